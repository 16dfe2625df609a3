#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# layers.sh - tools/ calls downward only. The layers are docs/design.md's
# "layers tools" block; scripts/check-layers.sh checks every #include
# against them (run by make test, and by make check for module/ too).
exec "$(dirname "$0")/../../scripts/check-layers.sh" tools
