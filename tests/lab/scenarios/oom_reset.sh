#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# A reset and an OOM at once: the OOM's capture (summary, kernel log dump,
# event) is of one epoch, never half of each. leaker holds 4000 x 1 KiB; a
# reset is held up for 4 s inside its clearing (leaker's stall: the reset's
# call of ot_track_clear() sleeps first, after the slots were cleared and
# before the epoch, the counters and the events are), and a hog runs into
# the OOM killer meanwhile. The dump must show the old epoch with leaker's
# 4000 objects or the new one without them, and the event must be in the
# new epoch's ring: the OOM happened after the reset began.
# lab: mem=256 expect=oom timeout=240 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

E=$OT_PROC/events

plan 16

# The scenario shell must survive: only the hog is killable.
echo -1000 >/proc/self/oom_score_adj

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk_cmd kmalloc 4000 1024
is "$(awk '$1 == "leaker" && $2 == "kmalloc-1k" { print $3 }' $OT_PROC/module_slabs)" 4000 \
	"leaker holds 4000 x 1 KiB"
is "$(ot_status epoch)" 0 "epoch 0"

run_ok "stall ot_track_clear 4000" lk_cmd stall ot_track_clear 4000
sh -c "printf 'reset\n' >$OT_PROC/control" &
reset_pid=$!
stalled() { [ "$(lk_get stall_hits)" = 1 ]; }
run_ok "the reset is held up inside its clearing (bounded)" wait_until 10 stalled
sh -c 'echo 1000 >/proc/self/oom_score_adj; exec hog' >/tmp/hog.out 2>&1 &
hog=$!
run_ok "the hog is killed (bounded)" wait_until 60 pids_done $hog
run_ok "the reset is done (bounded)" wait_until 30 pids_done $reset_pid
ok '! pids_done $reset_pid || wait $reset_pid' "the reset succeeded"
run_ok "stall off" lk_cmd stall off
is "$(ot_status epoch)" 1 "epoch 1"

dmesg >/tmp/dmesg.txt
grep -E 'oomtrace: OOM #|invoked oom-killer' /tmp/dmesg.txt | sed 's/^/#   /'
seq=$(sed -n 's/.*oomtrace: dump \([0-9]*\) begin .*reason=oom.*/\1/p' /tmp/dmesg.txt | head -n 1)
grep "oomtrace: dump $seq \(status epoch\|status allocs_seen\|module_slabs leaker\)" /tmp/dmesg.txt |
	sed 's/^.*oomtrace: /#   /'
e=$(sed -n "s/.*oomtrace: dump $seq status epoch: //p" /tmp/dmesg.txt)
lk=$(sed -n "s/.*oomtrace: dump $seq module_slabs leaker kmalloc-1k \([0-9]*\) .*/\1/p" /tmp/dmesg.txt)
ok '[ -n "$seq" ]' "the OOM's dump is in the kernel log"
ok '{ [ "$e" = 0 ] && [ "$lk" = 4000 ]; } || { [ "$e" = 1 ] && [ -z "$lk" ]; }' \
	"the dump is of one epoch: epoch $e, leaker's kmalloc-1k objects '$lk' (0 and 4000, or 1 and none)"
is "$(grep -c "^event .* pid=$hog " $E)" 1 "events: the OOM after the reset began is in the new epoch"

lk_cmd free
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
