#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Module parameters: out-of-range values are refused at insmod; a tiny
# pointer table drops and counts, never corrupts.
# lab: timeout=180
. /opt/oomtrace/lib.sh

run_fails "max_objects=10 refused" insmod $OT_DIR/oomtrace.ko max_objects=10
run_fails "max_callsites=0 refused" insmod $OT_DIR/oomtrace.ko max_callsites=0
run_fails "walk_depth=1000 refused" insmod $OT_DIR/oomtrace.ko walk_depth=1000
run_fails "peak_ms=1 refused" insmod $OT_DIR/oomtrace.ko peak_ms=1
ok '! grep -q "^oomtrace " /proc/modules' "nothing loaded after refusals"
ok 'dmesg | grep -q "max_objects=10 out of range"' "refusal explained in the kernel log"

run_ok "insmod max_objects=1024" insmod $OT_DIR/oomtrace.ko max_objects=1024
is "$(ot_status capacity)" 1024 "status: capacity 1024"
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
base=$(ot_field $OT_PROC/modules leaker live)
lk_cmd kmalloc 5000 64
cmp_ok "$(ot_status dropped)" -gt 2000 "a full table drops and counts"
cmp_ok "$(ot_status tracked)" -le 2048 "tracked objects stay within the table"
live=$(ot_field $OT_PROC/modules leaker live)
cmp_ok "$live" -le 2048 "leaker's live count only holds tracked objects"
lk_cmd free
is "$(ot_field $OT_PROC/modules leaker live)" "$base" \
	"frees of dropped objects are ignored: live back to the baseline"
for f in slabs modules callsites module_slabs; do
	run_ok "invariants hold in $f with a full table" ot_check_invariants $OT_PROC/$f
done
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
