#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Post-mortem: with vm.panic_on_oom=1 the leaker's kmalloc memory makes the
# guest panic at the first OOM. The OOM notifier runs before that panic, so
# the oomtrace: summary naming leaker is in the kernel log of the guest's
# memory, which lab.sh dumps (dump=1) and oom_panic.host.sh checks.
# lab: mem=256 expect=panic dump=1 modules="qemu_fw_cfg" timeout=300
. /opt/oomtrace/lib.sh

plan 5

run_ok "modprobe qemu_fw_cfg (VMCOREINFO for the dump)" modprobe qemu_fw_cfg
run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko max_objects=131072
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk_cmd kmalloc 100 4096
is "$(awk '$1 == "leaker" && $2 == "kmalloc-4k" { print $3 }' $OT_PROC/module_slabs)" 100 \
	"module_slabs: leaker's first 100 x 4 KiB counted, exactly"
echo -1000 >/proc/self/oom_score_adj
run_ok "vm.panic_on_oom=1" sh -c 'echo 1 > /proc/sys/vm/panic_on_oom'
diag "leaker eats kmalloc memory until the OOM panic"
step=0
while [ $step -lt 400 ]; do
	lk_cmd kmalloc 512 4096
	step=$((step + 1))
done
bail "the guest did not panic after 800 MiB of kmalloc"
