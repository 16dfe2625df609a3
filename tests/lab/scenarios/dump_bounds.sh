#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# The kernel log dump stays bounded whatever the parameters: with
# max_events=80 and 70 OOM events in the ring, a dump keeps the first event
# and the newest 63 (64, the default max_events), says so, and each kept
# event's dropped_events counts the ones left out before it; dump_rows=1
# keeps one row of each table and says of how many. The events are memcg
# OOM kills (fast: a 16 MiB group). The reader in the guest rebuilds the
# report from that log: complete, with the 64 events and the cut tables.
# lab: mem=256 expect=oom needs="oomtrace tool"

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

E=$OT_PROC/events
CG=/sys/fs/cgroup
KILLS=70

plan 19

echo -1000 >/proc/self/oom_score_adj
run_ok "insmod oomtrace max_events=80 dump_rows=1" \
	insmod $OT_DIR/oomtrace.ko max_events=80 dump_rows=1
grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 cgroup2 $CG
run_ok "cgroup2 memory controller enabled" sh -c "echo +memory > $CG/cgroup.subtree_control"
mkdir -p $CG/small
run_ok "memory.max 16M on the small group" sh -c "echo 16M > $CG/small/memory.max"
echo 0 >$CG/small/memory.swap.max 2>/dev/null

first() { [ "$(ot_status events)" = 1 ]; }
i=0
while [ $i -lt $KILLS ]; do
	sh -c "echo \$\$ > $CG/small/cgroup.procs; echo 0 > /proc/self/oom_score_adj; exec hog 64" >/dev/null 2>&1 &
	pid=$!
	killed() { ! kill -0 $pid 2>/dev/null || grep -q "^State:.*Z" /proc/$pid/status; }
	wait_until 60 killed || diag "hog $pid not killed"
	wait $pid 2>/dev/null
	i=$((i + 1))
	# The notifier records a kill as it happens: the first is there at once.
	[ $i != 1 ] || run_ok "the first kill is in events (bounded wait)" wait_until 5 first
done
all() { [ "$(ot_status events)" = $KILLS ]; }
run_ok "$KILLS events recorded, none dropped by the ring (bounded wait)" wait_until 20 all
summaries() { ! grep '^event ' $E | grep -qv ' tracked_bytes=[0-9]'; }
run_ok "every event's summary taken (bounded wait)" wait_until 20 summaries

# The OOM reports filled the log buffer: clear it, then dump.
dmesg -c >/dev/null
run_ok "echo dump > control" sh -c "echo dump > $OT_PROC/control"
dmesg >/tmp/dump.txt
sed -n 's/.*oomtrace: dump 1 events //p' /tmp/dump.txt >/tmp/dump-events.txt
sed 's/^/#   /' /tmp/dump-events.txt | head -n 8
is "$(grep -c '^event ' /tmp/dump-events.txt)" 64 "dump: 64 of the $KILLS events"
want="1 $(seq -s ' ' $((KILLS - 62)) $KILLS)"
is "$(sed -n 's/^event seq=\([0-9]*\) .*/\1/p' /tmp/dump-events.txt | tr '\n' ' ')" "$want " \
	"dump: the first event, then the newest 63"
is "$(sed -n 2p /tmp/dump-events.txt)" "# max_events=80 events=$KILLS dropped_events=6" \
	"dump: its totals count the 6 left out as dropped"
is "$(sed -n 3p /tmp/dump-events.txt)" "# the dump keeps the first and the newest 63 of $KILLS events" \
	"dump: it says it kept the first and the newest"
is "$(grep "^event seq=$((KILLS - 62)) " /tmp/dump-events.txt | sed 's/.* dropped_events=//')" 6 \
	"dump: the event after the gap has dropped_events=6"
is "$(grep -c 'oomtrace: dump 1 [a-z_]* # rows=1 of=[0-9]*$' /tmp/dump.txt)" 4 \
	"dump: each of the 4 tables keeps 1 row and says of how many"
bytes=$(grep -o 'oomtrace: dump 1 .*' /tmp/dump.txt | wc -c)
diag "dump: $(grep -c 'oomtrace: dump 1 ' /tmp/dump.txt) lines, $bytes bytes"
ok '[ "$bytes" -gt 32768 ] && [ "$bytes" -lt 49152 ]' \
	"dump: 32 to 48 KiB of log (64 events at ~570 bytes, 1 row a table)"

oomtrace report --dmesg /tmp/dump.txt --json >/tmp/report.json
is "$?" 0 "report --dmesg: exit 0"
ok 'grep -q "\"dump\":{\"seq\":1,\"reason\":\"control\",.*\"complete\":true" /tmp/report.json' \
	"report --dmesg: dump 1, reason control, complete"
is "$(grep -o '"kind":"victim"' /tmp/report.json | wc -l)" 64 "report --dmesg: the 64 events"
oomtrace report --dmesg /tmp/dump.txt >/tmp/report.txt
sed -n 2,3p /tmp/report.txt | sed 's/^/#   /'
ok 'sed -n 3p /tmp/report.txt | grep -q "^rows:     modules 1 of [0-9]*, slabs 1 of [0-9]*"' \
	"report --dmesg: says each table kept 1 row of how many"

rmdir $CG/small
run_ok "rmmod oomtrace" rmmod oomtrace
