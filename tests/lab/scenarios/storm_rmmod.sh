#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rmmod oomtrace in the middle of an allocation storm on every CPU, 20 times;
# reading the files meanwhile. Any kernel warning fails the run (panic_on_warn).
# lab: timeout=300
. /opt/oomtrace/lib.sh

run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk_cmd storm on
is "$(lk_get storm)" 1 "storm running"
fails=0
i=0
while [ $i -lt 20 ]; do
	insmod $OT_DIR/oomtrace.ko || fails=$((fails + 1))
	cat $OT_PROC/modules $OT_PROC/slabs $OT_PROC/callsites $OT_PROC/module_slabs \
		$OT_PROC/status >/dev/null || fails=$((fails + 1))
	ot_check_invariants $OT_PROC/modules >/dev/null || fails=$((fails + 1))
	rmmod oomtrace || fails=$((fails + 1))
	i=$((i + 1))
done
is "$fails" 0 "20 insmod/read/rmmod cycles under the storm"
lk_cmd storm off
is "$(lk_get storm)" 0 "storm stopped"

# Quiescent: exact invariants once the storm is over.
run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
lk_cmd storm on
sleep 2
lk_cmd storm off
for f in slabs modules callsites module_slabs; do
	run_ok "invariants hold in $f after the storm" ot_check_invariants $OT_PROC/$f
done
cmp_ok "$(ot_field $OT_PROC/modules leaker allocs)" -gt 1000 "storm allocations charged to leaker"
run_ok "rmmod oomtrace" rmmod oomtrace
run_ok "rmmod leaker" rmmod leaker
