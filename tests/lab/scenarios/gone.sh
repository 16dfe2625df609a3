#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A module unloaded with live objects keeps its row as "gone" with exactly
# what it leaked; loaded again, it continues under its name.
# lab: timeout=180
. /opt/oomtrace/lib.sh

plan 18

M=$OT_PROC/modules

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker leak_on_unload=1" insmod $OT_DIR/leaker.ko leak_on_unload=1
lk_cmd kmalloc 1000 1000
lk_cmd pages 8 1
lk_cmd vmalloc 2 65536
a0=$(ot_field $M leaker allocs)
live0=$(ot_field $M leaker live)
bytes0=$(ot_field $M leaker live_bytes)
run_ok "rmmod leaker (leaving its kmalloc objects behind)" rmmod leaker
is "$(ot_field $M leaker state)" gone "row stays with state gone"
# The mempool and own-cache objects are freed at unload; the 1000 x 1 KiB stay.
is "$(awk '$1 == "leaker" && $2 == "kmalloc-1k" { print $3 }' $OT_PROC/module_slabs)" 1000 \
	"module_slabs: 1000 leaked objects in kmalloc-1k"
cmp_ok "$(ot_field $M leaker live_bytes)" -ge 1024000 "gone row keeps >= 1000 KiB live"
cmp_ok "$(ot_field $M leaker live_bytes)" -le "$bytes0" "gone row: no more than was live before"
ok 'ot_field $OT_PROC/slabs kmalloc-1k top_module | grep -qx leaker' \
	"slabs: kmalloc-1k top_module is the gone leaker"
run_ok "invariants after unload" ot_check_invariants $M

run_ok "insmod leaker again" insmod $OT_DIR/leaker.ko
is "$(ot_field $M leaker state)" live "reloaded: state live again"
is "$(grep -c '^leaker ' $M)" 1 "reloaded: still one leaker row"
lk_cmd kmalloc 10 1000
cmp_ok "$(ot_field $M leaker allocs)" -ge $((a0 + 10)) "reloaded: allocs continue the old row"
cmp_ok "$(ot_field $M leaker live)" -ge 1010 "reloaded: old leak plus the new objects"
# The same function before and after the reload is one callsites row.
is "$(awk '$2 == "leaker" { print $1 }' $OT_PROC/callsites | sort | uniq -d)" "" \
	"callsites: one row per leaker function across the reload"
lk_cmd free
run_ok "rmmod leaker" rmmod leaker
run_ok "invariants at the end" ot_check_invariants $M
run_ok "rmmod oomtrace" rmmod oomtrace
: "$live0"
