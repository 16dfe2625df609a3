#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# At the edge of memory, with the smallest event ring: hogs hold user memory
# while the leaker eats kmalloc memory until the OOM killer has shot five of
# them. The OOM path must allocate nothing: oomtrace tracks its own
# allocations, so any allocation from the OOM notifier or the victim probe
# would show as a new oomtrace call site. The ring (max_events=2) keeps the
# first event pinned and the newest one, counts the rest as dropped, and the
# box stays up. (Debian's kernel has no fault injection: no failslab here.)
# lab: mem=256 expect=oom timeout=300
. /opt/oomtrace/lib.sh

plan 20

E=$OT_PROC/events
NHOG=6
KILLS=5
HOG_MIB=20

echo -1000 >/proc/self/oom_score_adj

# oomtrace's own allocating functions ("ot_agg_alloc+0x../0x.." -> ot_agg_alloc)
own_sites() {
	awk '!/^#/ && $2 == "oomtrace" { sub(/\+.*/, "", $1); print $1 }' $OT_PROC/callsites | sort -u
}

run_ok "insmod oomtrace max_events=2" insmod $OT_DIR/oomtrace.ko max_events=2 max_objects=131072
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
# Every file once, so that every reader's allocation site is known.
for f in status slabs modules callsites module_slabs events control; do
	cat $OT_PROC/$f >/dev/null
done
before=$(own_sites)
diag "oomtrace's allocating functions before any OOM: $(echo $before)"
# oomtrace's own kvmallocs go through a core helper: only a walk finds the
# oomtrace function that asked (the stack scan that spares most helper
# allocations their walk leaves oomtrace's own words out).
ok 'echo "$before" | grep -qx ot_agg_alloc' "oomtrace's workspace (kvmalloc) charged to ot_agg_alloc"
# ot_table_open() allocates twice per open: its view (kzalloc, its own call
# site) and the seq buffer (single_open_size()'s kvmalloc: a helper, walked,
# for callsites' buffer of more than a page; a smaller one is kmalloc'd by a
# tail call, single_open_size() its call site). The snapshot is taken
# between the two: from one read of callsites to the next, the first read's
# buffer, 10 opens of callsites and the second read's view: 22.
topen() { awk '$2 == "oomtrace" && $1 ~ /^ot_table_open\+/ { s += $3 } END { print s + 0 }' $OT_PROC/callsites; }
a0=$(topen)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	cat $OT_PROC/callsites >/dev/null
done
is "$(($(topen) - a0))" 22 "ot_table_open: 2 allocations an open (its seq buffer is oomtrace's too)"

hogs_start $NHOG $HOG_MIB

# No read of /proc/oomtrace from here until the kills are done: count them
# in the kernel log.
kills() { dmesg | grep -c 'Out of memory: Killed process'; }
step=0
while [ $step -lt 400 ] && [ "$(kills)" -lt $KILLS ]; do
	lk_cmd kmalloc 512 4096 || diag "leaker step $step failed"
	step=$((step + 1))
done
nk=$(kills)
diag "leaker: $step steps of 2 MiB; $nk kills"
cmp_ok "$nk" -ge $KILLS "the OOM killer ran $KILLS times or more"

after=$(own_sites)
is "$(echo $after)" "$(echo $before)" "the OOM path allocated nothing (no new oomtrace call site)"
cp $E /tmp/events.txt
sed 's/^/#   /' /tmp/events.txt
n=$(ot_status events)
cmp_ok "$n" -ge "$nk" "status: events >= kills ($nk)"
is "$(grep -c '^event ' /tmp/events.txt)" 2 "events: the ring holds 2 events"
ok 'grep -q "^event seq=1 " /tmp/events.txt' "events: the first event is kept"
ok "grep -q '^event seq=$n ' /tmp/events.txt" "events: the newest event (seq=$n) is there"
is "$(ot_status events_dropped)" $((n - 2)) "status: events_dropped = events - 2"
ok "grep -q 'dropped_events=$((n - 2))' /tmp/events.txt" "events: the header counts the dropped"

is "$(awk '$1 == "leaker" && $2 == "kmalloc-4k" { print $3 }' $OT_PROC/module_slabs)" "$(lk_get kmalloc)" \
	"module_slabs: leaker's kmalloc-4k objects are the $(lk_get kmalloc) leaker holds, exactly"
lk_cmd free
for p in $HOG_PIDS; do kill -9 "$p" 2>/dev/null; done
ot_invariants "after the OOM kills"
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
