#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host side of oom_panic.sh: tests/lab/host/postmortem.py over the kernel log
# of the guest's memory ($1) and the serial console ($2).
exec python3 "$(dirname "$0")/../host/postmortem.py" "$@"
