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

plan 5
run_ok "insmod oomtrace.ko" insmod /opt/oomtrace/oomtrace.ko
run_ok "insmod leaker.ko" insmod /opt/oomtrace/leaker.ko

section "leaker: kmalloc 2000 1000; cache 500; pages 64 2"
lk_cmd kmalloc 2000 1000
lk_cmd cache 500
lk_cmd pages 64 2
cat $LK_PROC
ok '[ "$(lk_get kmalloc)" = 2000 ]' "leaker holds its objects"

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
	/usr/sbin/oomtrace report
	ok '[ $? -eq 0 ]' "oomtrace report"
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
echo
