#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# The box of the post-mortem that started oomtrace: an OOM storm of 40
# kills, then the panic. Before each kill the leaker grows by a known step
# (64 x 4 KiB kmalloc); a hog is then shot by the OOM killer. The events
# ring keeps every kill at the default max_events, the kernel log's
# summaries stay bounded by their rate limit, and with vm.panic_on_oom=1 a
# last hog panics the guest. On the host (oom_storm.host.sh), the report
# rebuilt from the panic's dump, out of the guest's memory and out of the
# serial console, lists the 40 kills in order with the leaker's exact growth
# between them and names it as the culprit.
# lab: mem=256 expect=panic dump=1 modules="qemu_fw_cfg" timeout=600 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

E=$OT_PROC/events
KILLS=${STORM_KILLS:-40}
OBJS=64
STEP=$((OBJS * 4096))

plan $((11 + KILLS))

# The scenario shell must survive: only the hogs are killable.
echo -1000 >/proc/self/oom_score_adj

run_ok "modprobe qemu_fw_cfg (VMCOREINFO for the dump)" modprobe qemu_fw_cfg
run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko max_objects=131072
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
leaker_counted

kills() { grep -c '^event .* pid=[0-9]' $E; }
t0=$(cut -d' ' -f1 /proc/uptime)
k=0 pids=""
while [ $k -lt $KILLS ]; do
	k=$((k + 1))
	lk_cmd kmalloc $OBJS 4096 || diag "step $k: leaker's kmalloc failed"
	sh -c 'echo 1000 >/proc/self/oom_score_adj; exec hog' >/dev/null 2>&1 &
	pids="$pids,$!"
	killed() { [ "$(kills)" -ge "$k" ] && pids_done "$1"; }
	run_ok "kill $k: leaker +$STEP bytes, then the hog is shot" wait_until 60 killed $!
done
t1=$(cut -d' ' -f1 /proc/uptime)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", b - a + 1 }')
diag "$KILLS kills in $secs s"

got=$(awk '/^event .* pid=[0-9]/ { for (i = 2; i <= NF; i++) if ($i ~ /^pid=/) printf ",%s", substr($i, 5) }' $E)
is "$got" "$pids" "events: the $KILLS kills, in order, at the default max_events"
is "$(ot_status events_dropped)" 0 "status: events_dropped 0"

# The kernel log: the first OOM's summary always, then at most 3 summaries
# per 10 s (3 lines each), and the rest counted as suppressed; full dumps at
# the first OOM, then at most one a minute.
dmesg >/tmp/dmesg.txt
sums=$(grep -o 'oomtrace: OOM #[0-9]* at [0-9.]*: event ' /tmp/dmesg.txt | wc -l)
cmp_ok "$sums" -le $((1 + 3 * (secs / 10 + 1))) \
	"dmesg: $sums OOM summaries in $secs s, within the rate limit"
globals=$(grep -c '^event .* kind=global' $E)
if [ "$sums" -lt "$globals" ]; then
	ok 'grep -q "oomtrace: [0-9]* OOM summaries suppressed" /tmp/dmesg.txt' \
		"dmesg: the summaries left out ($sums of $globals printed) are counted"
else
	ok true "dmesg: every one of the $globals OOMs summarised: none to count as suppressed"
fi
dumps=$(grep -c 'oomtrace: dump [0-9]* begin .*reason=oom' /tmp/dmesg.txt)
cmp_ok "$dumps" -le $((1 + secs / 60)) "dmesg: $dumps OOM-time dumps in $secs s, at most one a minute"

# What oom_storm.host.sh (tests/lab/host/postmortem.py) expects of the dump.
lk4=$(awk '$1 == "leaker" && $2 == "kmalloc-4k" { print $3, $4 }' $OT_PROC/module_slabs)
is "${lk4% *}" $((KILLS * OBJS)) "module_slabs: leaker's kmalloc-4k objects, exactly"
echo "# postmortem: module=leaker live_bytes=$(ot_field $OT_PROC/modules leaker live_bytes)" \
	"cache=kmalloc-4k objects=${lk4% *} cache_bytes=${lk4#* }"
echo "# postmortem: kills=${pids#,} step=$STEP"

run_ok "vm.panic_on_oom=1" sh -c 'echo 1 > /proc/sys/vm/panic_on_oom'
diag "a last hog: the OOM panics"
hog >/dev/null 2>&1
bail "the guest did not panic at the OOM"
