#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# memcg OOM: a hog in a cgroup v2 group with memory.max 16M is killed by a
# memcg OOM. The OOM notifier chain does not run for it (no global event),
# but oom:mark_victim does: /proc/oomtrace/events shows one victim event with
# the hog's pid and comm, and its summary, taken by a work item. Four more
# kills overflow the ring (max_events=3): event 1 stays, the oldest others go.
# lab: mem=256 expect=oom
. /opt/oomtrace/lib.sh

plan 30

E=$OT_PROC/events
CG=/sys/fs/cgroup

echo -1000 >/proc/self/oom_score_adj
run_fails "insmod max_events=1 rejected" insmod $OT_DIR/oomtrace.ko max_events=1
run_fails "insmod max_events=4097 rejected" insmod $OT_DIR/oomtrace.ko max_events=4097
ok 'dmesg | grep -q "oomtrace: max_events=4097 out of range 2..4096"' "pr_err names the range"
run_ok "insmod oomtrace max_events=3" insmod $OT_DIR/oomtrace.ko max_events=3
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk_cmd kmalloc 256 4096
is "$(awk '$1 == "leaker" && $2 == "kmalloc-4k" { print $4 }' $OT_PROC/module_slabs)" 1048576 \
	"module_slabs: leaker's 256 x 4 KiB in kmalloc-4k, exactly"
lb=$(ot_field $OT_PROC/modules leaker live_bytes)

grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 cgroup2 $CG
run_ok "cgroup2 memory controller enabled" sh -c "echo +memory > $CG/cgroup.subtree_control"
mkdir -p $CG/small
run_ok "memory.max 16M on the small group" sh -c "echo 16M > $CG/small/memory.max"
echo 0 >$CG/small/memory.swap.max 2>/dev/null

sh -c "echo \$\$ > $CG/small/cgroup.procs; echo 0 > /proc/self/oom_score_adj; exec hog 64" \
	>/tmp/hog.out 2>&1 &
pid=$!
killed() { ! kill -0 $pid 2>/dev/null || grep -q "^State:.*Z" /proc/$pid/status; }
run_ok "the hog is killed by the memcg OOM (bounded wait)" wait_until 60 killed
wait $pid 2>/dev/null
have_event() { grep -q "^event .* pid=$pid " $E; }
run_ok "a victim event for the hog (bounded wait)" wait_until 10 have_event
summary() { grep "^event .* pid=$pid " $E | grep -q ' tracked_bytes=[0-9]'; }
run_ok "its summary is taken by the work item (bounded wait)" wait_until 10 summary
sed 's/^/#   /' $E
ev=$(grep "^event .* pid=$pid " $E)
field() { echo "$ev" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
is "$(grep -c '^event ' $E)" 1 "events: exactly one event"
is "$(field kind)" victim "events: kind=victim (memcg OOM: no global event)"
is "$(field comm)" hog "events: comm=hog"
is "$(field oom_score_adj)" 0 "events: oom_score_adj=0"
rss=$(field rss_kb)
ok '[ "$rss" -gt 8000 ] && [ "$rss" -le 20480 ]' "events: rss_kb $rss about the group's 16 MiB"
ok '[ "$(field free_kb)" -gt 0 ]' "events: free_kb > 0"
ok '[ "$(field tracked_bytes)" -ge 1048576 ]' "events: tracked_bytes >= 1 MiB (leaker holds 1 MiB)"
is "$(grep -A1 "^event .* pid=$pid " $E | sed -n '2s/^  module name=\([^ ]*\) .*/\1/p')" leaker \
	"events: top module is leaker"
is "$(grep -A1 "^event .* pid=$pid " $E | sed -n '2s/^  module name=leaker live_bytes=\([0-9]*\) .*/\1/p')" "$lb" \
	"events: leaker's live_bytes at the OOM is what modules showed before it ($lb)"
ok 'dmesg | grep -q "Memory cgroup out of memory: Killed process $pid (hog)"' \
	"dmesg: the kernel reports the memcg kill"
ok '! dmesg | grep -q "oomtrace: OOM #"' "dmesg: no global OOM summary for a memcg OOM"
is "$(ot_status events)" 1 "status: events 1"


# Four more kills: the ring (max_events=3) keeps event 1 and the last two.
i=0
while [ $i -lt 4 ]; do
	sh -c "echo \$\$ > $CG/small/cgroup.procs; echo 0 > /proc/self/oom_score_adj; exec hog 64" \
		>/tmp/hog.out 2>&1 &
	pid=$!
	wait_until 60 killed || diag "hog $pid not killed"
	wait $pid 2>/dev/null
	i=$((i + 1))
done
have5() { [ "$(ot_status events)" = 5 ]; }
run_ok "5 events recorded (bounded wait)" wait_until 10 have5
sed 's/^/#   /' $E
is "$(grep '^event ' $E | sed 's/^event seq=\([0-9]*\) .*/\1/' | tr '\n' ' ')" "1 4 5 " \
	"ring: the first event pinned, then the latest ones"
is "$(grep '^event seq=4 ' $E | sed 's/.* dropped_events=//')" 2 \
	"dropped_events=2 on the event after the gap"
is "$(ot_status events_dropped)" 2 "status: events_dropped 2"
is "$(sed -n 2p $E)" "# max_events=3 events=5 dropped_events=2" "events: second header line"

lk_cmd free
rmdir $CG/small
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
