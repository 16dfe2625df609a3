#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# OOM cascade: four hogs hold user memory while the leaker eats kmalloc
# memory in 4 MiB steps. The OOM killer kills the hogs one by one (their
# oom_score_adj fixes the order); /proc/oomtrace/events must list every kill
# in order, name leaker as the top module with a growing delta, and the
# kernel log must carry the oomtrace: summary. The leaker stops after three
# kills; one step may see two kills (the first victim still exiting), so at
# most four die and the fifth hog keeps the OOM killer from running out of
# victims.
# lab: mem=256 expect=oom timeout=300
. /opt/oomtrace/lib.sh

E=$OT_PROC/events
NHOG=5
KILLS=3
HOG_MIB=24

# The scenario shell must survive: only the hogs are killable.
echo -1000 >/proc/self/oom_score_adj

run_ok "insmod oomtrace max_objects=131072" insmod $OT_DIR/oomtrace.ko max_objects=131072
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
is "$(head -n 1 $E)" "# oomtrace events format=1 mode=exact" "events: first line"
is "$(grep -c '^event ' $E)" 0 "events: none before any OOM"
is "$(ot_status events)" 0 "status: events 0"

# oom_score_adj 500, 400, ..., 100: the kill order is the start order.
hogs_start $NHOG $HOG_MIB
hog_pids=$HOG_PIDS
diag "hogs:$hog_pids; $(grep MemFree /proc/meminfo)"

victims() { grep -c '^event .* pid=[0-9]' $E; }
# Each step: 2 MiB of kmalloc-4k plus 80 KiB of leaker's own 320-byte cache.
# kill_steps: the step during which each kill happened.
step=0 nv=0 kill_steps=""
while [ $step -lt 300 ] && [ $nv -lt $KILLS ]; do
	lk_cmd kmalloc 512 4096 || diag "leaker kmalloc step $step failed"
	lk_cmd cache 256 || diag "leaker cache step $step failed"
	step=$((step + 1))
	v=$(victims)
	while [ $nv -lt "$v" ]; do
		kill_steps="$kill_steps $step"
		nv=$((nv + 1))
	done
done
diag "leaker: $step steps, $(lk_get kmalloc) + $(lk_get cache) objects; kills at steps:$kill_steps"
cp $E /tmp/events.txt
lk_cmd free
sed 's/^/#   /' /tmp/events.txt

nk=$(victims)
ok '[ $nk -ge $KILLS ] && [ $nk -lt $NHOG ]' "events: $nk kills recorded ($KILLS..$((NHOG - 1)))"
want=$(echo $hog_pids | cut -d' ' -f1-$nk)
got=$(awk '/^event / { for (i = 2; i <= NF; i++) if ($i ~ /^pid=[0-9]/) printf "%s%s", n++ ? " " : "", substr($i, 5) }' /tmp/events.txt)
is "$got" "$want" "events: victims are the hogs, in kill order"
is "$(grep '^event .* pid=[0-9]' /tmp/events.txt | grep -vc ' kind=global ')" 0 \
	"events: every kill of this cascade is a global OOM"
is "$(grep '^event .* pid=[0-9]' /tmp/events.txt | grep -vc ' comm=hog ')" 0 "events: comm=hog"
got=$(awk '/^event .* pid=[0-9]/ { for (i = 2; i <= NF; i++) if ($i ~ /^oom_score_adj=/) printf "%s%s", n++ ? " " : "", substr($i, 15) }' /tmp/events.txt)
is "$got" "$(echo 500 400 300 200 | cut -d' ' -f1-$nk)" "events: oom_score_adj of the victims"
small=$(awk '/^event .* pid=[0-9]/ { for (i = 2; i <= NF; i++) if ($i ~ /^rss_kb=/ && substr($i, 8) + 0 < 20000) n++ } END { print n + 0 }' /tmp/events.txt)
is "$small" 0 "events: each victim's rss_kb >= 20000 (holds $HOG_MIB MiB)"

# Every event line has all keys; comm has no space; module/cache lines parse.
bad=$(awk '
	/^#/ { next }
	/^event / {
		n = split("seq time kind pid comm oom_score_adj rss_kb free_kb slab_reclaimable_kb slab_unreclaimable_kb pagetables_kb tracked_bytes dropped_events", k, " ")
		if (NF != n + 1) { print "fields: " $0; next }
		for (i = 1; i <= n; i++) if (index($(i + 1), k[i] "=") != 1) print "key " k[i] ": " $0
		if ($2 != "seq=" (++seq)) print "seq: " $0
		if ($3 !~ /^time=[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]$/) print "time: " $0
		t = substr($3, 6) + 0; if (t < last) print "time order: " $0; last = t
		next
	}
	/^  module name=[^ ]+ live_bytes=[0-9]+ delta_bytes=-?[0-9]+$/ { next }
	/^  cache name=[^ ]+ live_bytes=[0-9]+ delta_bytes=-?[0-9]+$/ { next }
	{ print "line: " $0 }' /tmp/events.txt)
is "$bad" "" "events: every line well formed, seq consecutive, time ordered"

# Top module of the last global event, and leaker's delta at each kill.
top=$(awk '/^event / { g = / kind=global /; first = 1; next }
	/^  module / && g && first { top = substr($2, 6); first = 0 }
	END { print top }' /tmp/events.txt)
is "$top" leaker "events: top module at the last global event is leaker"
deltas=$(awk '/^event / { k = / pid=[0-9]/; next }
	/^  module name=leaker / && k { printf "%s%s", n++ ? " " : "", substr($4, 13) }' /tmp/events.txt)
diag "leaker delta_bytes at each kill: $deltas"
# Two kills during one leaker step (the first victim still exiting) see no
# growth in between: their delta may be 0, never negative.
bad=$(echo "$deltas" "|$kill_steps" | awk -F'|' '{
	nd = split($1, d, " "); ns = split($2, s, " ")
	if (nd != ns) { print "count"; exit }
	for (i = 1; i <= nd; i++)
		if (d[i] < 0 || (d[i] == 0 && (i == 1 || s[i] != s[i - 1]))) print i }')
is "$bad" "" "events: leaker delta_bytes > 0 between consecutive kills (steps:$kill_steps)"

dmesg >/tmp/dmesg.txt
grep 'oomtrace: ' /tmp/dmesg.txt | sed 's/^/#   /'
ok 'grep -q "oomtrace: OOM #1 at [0-9.]*: top modules: leaker [0-9.]* [KM]iB (+[0-9.]* [KM]iB)" /tmp/dmesg.txt' \
	"dmesg: oomtrace: summary of OOM #1 names leaker first"
ok 'grep -q "oomtrace: OOM #1 at [0-9.]*: top caches: [^ ]* [0-9.]* [KM]iB (+" /tmp/dmesg.txt' \
	"dmesg: oomtrace: summary names the top caches"
long=$(grep -c 'oomtrace: OOM #1 ' /tmp/dmesg.txt)
is "$long" 3 "dmesg: the summary of one OOM is 3 lines"
cmp_ok "$(ot_status events)" -ge $KILLS "status: events >= $KILLS"
is "$(ot_status events_dropped)" 0 "status: events_dropped 0"
is "$(ot_status thresholds)" 0 "status: thresholds 0"

run_ok "reset accepted" sh -c "printf 'reset\n' > $OT_PROC/control"
is "$(grep -c '^event ' $E)" 0 "reset: events cleared"
is "$(ot_status events)" 0 "reset: status events 0"

for p in $hog_pids; do kill -9 "$p" 2>/dev/null; done
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
