#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# What status and callsites say is what is true.
#  - bulk_probes is "on" only while the kprobes fire: debugfs' kprobes/enabled
#    switch disarms every kprobe of the box, registered or not; leaker's bulk
#    frees then go unseen (its objects look leaked), and status says so.
#  - frees_seen counts a batched page free once: a hog's 64 MiB freed at exit
#    is 16384 pages, each reported by mm_page_free and again by
#    mm_page_free_batched (transparent huge pages are off in the guest).
#  - callsites has no row for a site whose every allocation was dropped (the
#    pointer table full of leaker's objects, [kernel] left to sampling).
#  - probe_missed counts the calls a kretprobe missed: with probe_maxactive=1
#    and a bulk allocation loop on each CPU at once, some are missed, each
#    one all of its 16 objects, and the tables' # partial line says so.
# lab: mem=512 timeout=240 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

KPE=/sys/kernel/debug/kprobes/enabled

plan 20

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko

# ---- bulk_probes ----------------------------------------------------------------
is "$(ot_status bulk_probes)" on "bulk_probes: on"
a0=$(ot_field $OT_PROC/modules leaker allocs)
f0=$(ot_field $OT_PROC/modules leaker frees)
echo 0 >$KPE
lk_cmd churn_bulk 100
# Armed, the 100 frees would all count; a few may, as lost frees (addresses reused).
is "$(($(ot_field $OT_PROC/modules leaker allocs) - a0))" 100 "kprobes disarmed: leaker's 100 kmalloc(64)s seen"
cmp_ok "$(($(ot_field $OT_PROC/modules leaker frees) - f0))" -lt 100 \
	"but their kfree_bulk() is not: they look live"
st=$(ot_status bulk_probes)
diag "disarmed: bulk_probes: $st"
is "${st%% *}" "off:" "kprobes disarmed: bulk_probes says off"
ok 'echo "$st" | grep -q " kmem_cache_free_bulk=disarmed"' "and names the bulk free probe disarmed"
echo 1 >$KPE
is "$(ot_status bulk_probes)" on "kprobes armed again: bulk_probes on"

# ---- frees_seen -------------------------------------------------------------------
hogs_start 1 64
f0=$(ot_status frees_seen)
kill $HOG_PIDS
run_ok "the hog exits (bounded)" wait_until 30 pids_done $HOG_PIDS
f1=$(ot_status frees_seen)
diag "frees_seen grew by $((f1 - f0)) while the hog's 64 MiB (16384 pages) were freed"
cmp_ok $((f1 - f0)) -ge 16384 "frees_seen: at least the hog's 16384 pages"
# The rest is the exit's and the shell's own frees: a few hundred to a few
# thousand. Counted twice, the hog's pages alone would be 32768.
cmp_ok $((f1 - f0)) -lt $((16384 + 8192)) "frees_seen: the batched frees counted once"

# ---- callsites ----------------------------------------------------------------------
run_ok "insmod oomtrace max_objects=1024 (again)" sh -c \
	"rmmod oomtrace && insmod $OT_DIR/oomtrace.ko max_objects=1024"
# 20000 objects for 2048 entries: leaker takes every free entry, then the
# new sites below and [kernel]'s new sites drop or are left to sampling.
lk_cmd kmalloc 20000 64
lk_cmd cache 200
lk_cmd pages 50 0
diag "dropped $(ot_status dropped), kernel_sampled $(ot_status kernel_sampled)"
zero=$(awk '!/^#/ && $3 == 0 && $4 == 0' $OT_PROC/callsites)
[ -z "$zero" ] || echo "$zero" | head -n 5 | sed 's/^/#   zero row: /'
is "$(echo "$zero" | grep -c .)" 0 "callsites: no row without an allocation or a free"
lk_cmd free

# ---- probe_missed ----------------------------------------------------------------
run_ok "insmod oomtrace probe_maxactive=1 (again)" sh -c \
	"rmmod oomtrace && insmod $OT_DIR/oomtrace.ko probe_maxactive=1"
bulk_allocs() {
	awk '$1 ~ /^leaker_bulk_fn\+/ { n += $3 } END { print n + 0 }' $OT_PROC/callsites
}
c0=$(lk_get bulk_calls)
b0=$(bulk_allocs)
lk_cmd bulk_storm 2000
calls=$(($(lk_get bulk_calls) - c0))
short=$((16 * calls - ($(bulk_allocs) - b0)))
m=$(ot_status probe_missed)
diag "$calls bulk allocations of 16 on 2 CPUs, one kretprobe instance: $short objects unseen, probe_missed $m"
cmp_ok "$short" -gt 0 "two CPUs' bulk allocations at once: the one instance misses some"
is $((short % 16)) 0 "a missed call is all of its 16 objects"
cmp_ok $((short / 16)) -le "${m:-0}" "status: probe_missed counts every missed call"
ok 'grep -q "^# partial allocs=[0-9]* .* missed=[1-9][0-9]*$" $OT_PROC/slabs' \
	"slabs: the # partial line says missed="
run_ok "rmmod oomtrace" rmmod oomtrace
