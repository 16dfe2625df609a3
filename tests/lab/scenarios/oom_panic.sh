#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# After the panic: with vm.panic_on_oom=1, a known module leak (leaker:
# 16384 x 4 KiB kmalloc, 64 MiB) and a hog make the guest panic at the
# first OOM. oomtrace writes its tables into the kernel log twice: at the
# OOM (reason=oom) and from its panic notifier (reason=panic). lab.sh dumps
# the halted guest's memory (dump=1) and extracts its kernel log with
# makedumpfile; oom_panic.host.sh runs `oomtrace report --dmesg` over that
# log and over the serial console's capture, and both must name leaker as
# the culprit with its exact numbers.
# lab: mem=256 expect=panic dump=1 modules="qemu_fw_cfg" timeout=300 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

N=16384

plan 6

run_ok "modprobe qemu_fw_cfg (VMCOREINFO for the dump)" modprobe qemu_fw_cfg
run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko max_objects=131072
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
run_ok "leaker: kmalloc $N x 4096" lk_cmd kmalloc $N 4096
is "$(awk '$1 == "leaker" && $2 == "kmalloc-4k" { print $3 }' $OT_PROC/module_slabs)" $N \
	"module_slabs: leaker's $N live 4 KiB objects counted, exactly"
# What oom_panic.host.sh (tests/lab/host/postmortem.py) expects of the dump.
lk4=$(awk '$1 == "leaker" && $2 == "kmalloc-4k" { print $4 }' $OT_PROC/module_slabs)
echo "# postmortem: module=leaker live_bytes=$(ot_field $OT_PROC/modules leaker live_bytes)" \
	"cache=kmalloc-4k objects=$N cache_bytes=$lk4"
echo "# postmortem: kills="
echo -1000 >/proc/self/oom_score_adj
run_ok "vm.panic_on_oom=1" sh -c 'echo 1 > /proc/sys/vm/panic_on_oom'
diag "a hog runs the guest out of memory: the first OOM panics"
hog >/dev/null 2>&1
bail "the guest did not panic at the OOM"
