#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# OOM cascade with exact growth between the kills. Step by step, the leaker
# grows by a known amount (512 x 4 KiB kmalloc and 256 objects of its own
# 320-byte cache: 2179072 bytes), then a hog allocates user memory until the
# OOM killer shoots it. Every OOM event's summary is taken at OOM time, after
# the step completed: leaker's live_bytes must rise by exactly one step from
# one kill to the next (and the delta_bytes of the events in between add up
# to it). /proc/oomtrace/events lists every kill in order with the hog's pid
# and comm, and the kernel log carries oomtrace's summary of the first OOM.
# lab: mem=256 expect=oom timeout=300 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

E=$OT_PROC/events
KILLS=4
STEP=$((512 * 4096 + 256 * 320))

plan $((17 + 4 * KILLS))

# The scenario shell must survive: only the hogs are killable.
echo -1000 >/proc/self/oom_score_adj

run_ok "insmod oomtrace max_objects=131072" insmod $OT_DIR/oomtrace.ko max_objects=131072
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
leaker_counted
is "$(head -n 1 $E)" "# oomtrace events format=1 mode=exact" "events: first line"
is "$(grep -c '^event ' $E)" 0 "events: none before any OOM"
base=$(ot_field $OT_PROC/modules leaker live_bytes)

kills() { grep -c '^event .* pid=[0-9]' $E; }
k=0 pids=""
while [ $k -lt $KILLS ]; do
	k=$((k + 1))
	run_ok "step $k: leaker +$STEP bytes" sh -c "printf 'kmalloc 512 4096\n' >$LK_PROC && printf 'cache 256\n' >$LK_PROC"
	sh -c 'echo 1000 >/proc/self/oom_score_adj; exec hog' >/tmp/hog.out 2>&1 &
	pids="$pids $!"
	killed() { [ "$(kills)" -ge "$k" ] && pids_done "$1"; }
	run_ok "step $k: the hog is killed (bounded)" wait_until 60 killed $!
done
cp $E /tmp/events.txt
sed 's/^/#   /' /tmp/events.txt

# Every kill, in order, is a hog.
is "$(kills)" $KILLS "events: $KILLS kills recorded"
got=$(awk '/^event .* pid=[0-9]/ { for (i = 2; i <= NF; i++) if ($i ~ /^pid=/) printf "%s ", substr($i, 5) }' /tmp/events.txt)
is "$got" "$(echo $pids) " "events: the victims are the hogs, in kill order"
is "$(grep '^event .* pid=[0-9]' /tmp/events.txt | grep -vc ' comm=hog ')" 0 "events: comm=hog"
is "$(grep '^event .* pid=[0-9]' /tmp/events.txt | grep -vc ' kind=global ')" 0 \
	"events: every kill of this cascade is a global OOM"

# leaker at each kill: its live_bytes, and the delta_bytes of every event
# since the previous kill (extra global events without a kill may sit in
# between: the dying hog can run into the OOM killer again).
awk '
	/^event / { kill = / pid=[0-9]/; next }
	/^  module name=leaker / {
		split($3, lb, "="); split($4, d, "=")
		sum += d[2]
		if (kill) { print lb[2], sum; sum = 0 }
	}' /tmp/events.txt >/tmp/leaker.at
i=0
while read -r live sum; do
	i=$((i + 1))
	is "$live" $((base + i * STEP)) "kill $i: leaker's live_bytes is $i steps above its start, exactly"
	if [ $i = 1 ]; then
		cmp_ok "$sum" -ge $STEP "kill 1: leaker's delta_bytes since load covers the first step"
	else
		is "$sum" $STEP "kill $i: leaker's delta_bytes since the previous kill add up to one step"
	fi
done </tmp/leaker.at
[ $i = $KILLS ] || diag "leaker rows at kills: $i of $KILLS (events without leaker: see above)"

dmesg >/tmp/dmesg.txt
grep 'oomtrace: ' /tmp/dmesg.txt | sed 's/^/#   /'
ok 'grep -q "oomtrace: OOM #1 at [0-9.]*: top modules: leaker [0-9.]* [KM]iB (+[0-9.]* [KM]iB)" /tmp/dmesg.txt' \
	"dmesg: oomtrace: summary of OOM #1 names leaker first"
ok 'grep -q "oomtrace: OOM #1 at [0-9.]*: top caches: [^ ]* [0-9.]* [KM]iB (+" /tmp/dmesg.txt' \
	"dmesg: oomtrace: summary names the top caches"
is "$(grep -c 'oomtrace: OOM #1 ' /tmp/dmesg.txt)" 3 "dmesg: the summary of one OOM is 3 lines"
is "$(ot_status events_dropped)" 0 "status: events_dropped 0"

run_ok "reset accepted" sh -c "printf 'reset\n' > $OT_PROC/control"
is "$(grep -c '^event ' $E)" 0 "reset: events cleared"
lk_cmd free
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
