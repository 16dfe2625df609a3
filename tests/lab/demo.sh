# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# `make demo`: load oomtrace and the leaker test module, leak some memory,
# and show what oomtrace sees. Runs in the lab guest (tests/lab/lab.sh).
# Booted with slab_nomerge so leaker's own caches show under their names.
# lab: needs=oomtrace cmdline="slab_nomerge"
# shellcheck disable=SC2016 # ok's COND is eval'ed in ok()

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

section() {
	echo
	echo "=== $* ==="
}

plan 9
run_ok "insmod oomtrace.ko" insmod /opt/oomtrace/oomtrace.ko
run_ok "insmod leaker.ko" insmod /opt/oomtrace/leaker.ko

section "leaker: kmalloc 2000 1000; cache 500; pages 64 2"
lk_cmd kmalloc 2000 1000
lk_cmd cache 500
lk_cmd pages 64 2
cat $LK_PROC
ok '[ "$(lk_get kmalloc)" = 2000 ]' "leaker holds its objects"
# What oomtrace must see, exactly (slab_nomerge: leaker's caches by name).
is "$(awk '$1 == "leaker" && $2 == "kmalloc-1k" { print $3 }' $OT_PROC/module_slabs)" 2000 \
	"oomtrace: 2000 objects of leaker's in kmalloc-1k"
is "$(ot_field $OT_PROC/slabs leaker_obj live)" 500 "oomtrace: 500 in leaker_obj"
is "$(awk '$1 == "leaker" && $2 == "pages" { print $4 }' $OT_PROC/module_slabs)" $((64 * 16384)) \
	"oomtrace: 64 order-2 pages of leaker's, 1 MiB"

section "/proc/oomtrace/status"
cat $OT_PROC/status
section "/proc/oomtrace/modules"
cat $OT_PROC/modules
section "/proc/oomtrace/slabs (head -15)"
head -n 15 $OT_PROC/slabs
section "/proc/oomtrace/callsites (head -15)"
head -n 15 $OT_PROC/callsites
if command -v oomtrace >/dev/null 2>&1 && [ -x /usr/sbin/oomtrace ]; then
	section "oomtrace report"
	run_ok "oomtrace report" /usr/sbin/oomtrace report
else
	section "oomtrace report"
	echo "(tools/oomtrace not built: make tools)"
	skip "oomtrace report" "tools/oomtrace not built"
fi

section "unload leaker with leak_on_unload=1, then /proc/oomtrace/modules"
echo 1 >/sys/module/leaker/parameters/leak_on_unload
rmmod leaker
cat $OT_PROC/modules
ok 'grep -q "^leaker gone" $OT_PROC/modules' "leaker shows as gone with its leak"
is "$(ot_field $OT_PROC/modules leaker live)" $((2000 + 64)) \
	"its leak: the 2000 kmallocs and 64 page blocks it left behind"
echo
