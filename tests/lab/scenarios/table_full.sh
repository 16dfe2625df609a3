# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# The smallest tables (max_objects=1024, max_callsites=1024, with walk_all=1
# so that stack frames fill the call-site table) under leaker's
# storm, user-space churn and a crowd of kernel paths (sysfs and procfs
# walks, module loads): the pointer table and the call-site table fill up.
# What does not fit is dropped and counted (status: dropped, which counts
# both), never corrupts: counters stay within capacity, the invariants hold
# once quiet. Nothing blocks: every read of every file (timed one by one) and
# every control write finishes within a bound while the tables are full, and
# reset empties them.
# lab: timeout=300 modules="dummy bonding" needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

plan 43

LT=/usr/bin/labtool
STOP=/tmp/tf.stop
FILES="status slabs modules callsites module_slabs events control"

# walk_all=1: every core call site walks the stack, and every frame it
# meets becomes a call site: the site table fills within seconds.
run_ok "insmod oomtrace max_objects=1024 max_callsites=1024 walk_all=1" \
	insmod $OT_DIR/oomtrace.ko max_objects=1024 max_callsites=1024 walk_all=1
is "$(ot_status capacity) $(ot_status callsites_capacity)" "1024 1024" "status: both capacities 1024"
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
run_ok "leaker holds 3000 objects (more than the table)" lk_cmd kmalloc 3000 64
c0=$(ot_status callsites)
run_ok "storm on" lk_cmd storm on
rm -f $STOP /tmp/tf.*
pids=""

# Readers: every file, one timed read each; a read over 10 s (times LAB_SCALE) is a hang.
reader() { # reader BLOCKSIZE
	local f rc
	while [ ! -e $STOP ]; do
		for f in $FILES; do
			timeout $((10 * LAB_SCALE)) $LT read -b "$1" "$OT_PROC/$f"
			rc=$?
			[ $rc = 0 ] || echo "$f: exit $rc"
		done
	done
}
# Many distinct kernel call sites: filesystem walks, and modules loaded again
# and again (each load maps them elsewhere: new call sites every time).
paths() {
	while [ ! -e $STOP ]; do
		find /sys /proc/sys -maxdepth 4 -type f 2>/dev/null | head -n 400 |
			xargs cat >/dev/null 2>&1
		cat /proc/[0-9]*/status /proc/[0-9]*/maps >/dev/null 2>&1
		ip -s link >/dev/null
		ps >/dev/null
	done
}
mods() {
	while [ ! -e $STOP ]; do
		modprobe bonding max_bonds=1 && ip link set bond0 up && modprobe dummy numdummies=1 &&
			ip link set dummy0 up && modprobe -r bonding dummy
	done
}
# kernel_load TAG: paths, module loads and user-space churn in the
# background until $STOP, logs in /tmp/tf.*TAG; their pids added to $pids.
kernel_load() {
	paths >/tmp/tf.paths$1 2>&1 &
	pids="$pids $!"
	mods >/tmp/tf.mods$1 2>&1 &
	pids="$pids $!"
	( while [ ! -e $STOP ]; do $LT churn 3 /tmp; done ) >/tmp/tf.churn$1 2>&1 &
	pids="$pids $!"
}
reader 4096 >/tmp/tf.read1 2>&1 &
pids="$pids $!"
reader 13 >/tmp/tf.read2 2>&1 &
pids="$pids $!"
kernel_load ""

mark "loaded, storm on"
grows() { [ "$(ot_status callsites)" -gt "$c0" ]; }
run_ok "call sites seen under the storm (bounded)" wait_until 10 grows
sites_full() { [ "$(ot_status callsites)" -ge 1024 ]; }
run_ok "the call-site table fills up (bounded)" wait_until 90 sites_full
mark "call-site table full"
d1=$(ot_status dropped)
sleep 4
d2=$(ot_status dropped)
diag "dropped $d1 then $d2; tracked $(ot_status tracked); callsites $(ot_status callsites); slots $(ot_status slots)"
cmp_ok "$d1" -gt 0 "status: dropped counts what did not fit"
cmp_ok "$d2" -gt "$d1" "status: dropped keeps counting under the storm"
cmp_ok "$(ot_status tracked)" -le 2048 "status: tracked within the pointer table"
cmp_ok "$(ot_status callsites)" -le 1024 "status: callsites within callsites_capacity"
cmp_ok "$(ot_status slots)" -le 1024 "status: slots within max_callsites"
cmp_ok "$(grep -vc '^#' $OT_PROC/callsites)" -le 1024 "callsites: at most 1024 rows"

# Control writes with full tables: bounded (timeout kills a write that
# blocks, and the three answers are then missing).
t0=$(cut -d' ' -f1 /proc/uptime)
is "$(timeout $((20 * LAB_SCALE)) $LT write $OT_PROC/control 'threshold module leaker 1K' 'threshold clear' reset)" \
	"ok
ok
ok" "control writes (threshold, clear, reset) with full tables: ok within $((20 * LAB_SCALE)) s"
diag "control writes took $(awk -v t0="$t0" '{ printf "%.2f", $1 - t0 }' /proc/uptime) s"
d3=$(ot_status dropped)
diag "after reset: dropped $d3, tracked $(ot_status tracked), epoch $(ot_status epoch)"
cmp_ok "$d3" -lt "$d2" "reset: dropped starts over"
is "$(ot_status epoch)" 1 "status: epoch 1"
sleep 4

mark "stopping"
touch $STOP
# shellcheck disable=SC2086
run_ok "readers, paths and churn stop (bounded)" wait_until 60 pids_done $pids
wait
run_ok "storm off" lk_cmd storm off
n1=$(grep -c ' ' /tmp/tf.read1)
n2=$(grep -c ' ' /tmp/tf.read2)
diag "reads: $n1 (4 KiB reads) + $n2 (13-byte reads); $(cat /tmp/tf.read1 /tmp/tf.read2 | awk '{ print $1 }' | sort | uniq -c | tr -s ' \n' '  ')"
cmp_ok $((n1 + n2)) -gt 30 "the readers kept reading"
is "$(cat /tmp/tf.read1 /tmp/tf.read2 | grep -v '^eof [0-9]*$' | sort -u | head -n 5)" "" \
	"every read of every file finished within $((10 * LAB_SCALE)) s, to EOF"
diag "churn: $(grep -h '^rounds=' /tmp/tf.churn | awk -F= '{ n += $2 } END { print n + 0 }') rounds"

# Quiet: the invariants.
lk_cmd free
sleep 1
ot_invariants "after the full-table storm"
cmp_ok "$(ot_status tracked)" -le 2048 "quiet: tracked within the table"
# Quiet and after a reset, the small table still counts exactly what fits:
# 300 objects in a table of 2048 entries.
run_ok "reset" sh -c "printf 'reset\n' > $OT_PROC/control"
lk_cmd kmalloc 300 64
is "$(awk '$1 == "leaker" && $2 == "kmalloc-64" { print $3 }' $OT_PROC/module_slabs)" 300 \
	"quiet, after a reset: leaker's 300 x 64 B counted exactly"
lk_cmd free
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace

# ---- a full call-site table costs no lock -------------------------------------
# Every allocation from a call site that a full table had no room for used
# to take the tables' lock, interrupts off, on every CPU, only to fail. Here
# the storm fills the call-site table, then leaker, loaded after, allocates
# 20 000 objects from its call site, which is not in the table: all of them
# are dropped and counted, and a kprobe event on ot_slow_lock() counts the
# lock (kprobe_profile's hits) meanwhile: the module load takes it a few
# times, the drops never.
T=/sys/kernel/debug/tracing
lock_hits() { awk '$1 == "otslow" { print $2 }' $T/kprobe_profile; }
run_ok "insmod oomtrace max_callsites=1024 walk_all=1" \
	insmod $OT_DIR/oomtrace.ko max_callsites=1024 walk_all=1
rm -f $STOP
pids=""
kernel_load 2
run_ok "the call-site table fills up again (bounded)" wait_until 90 sites_full
touch $STOP
# shellcheck disable=SC2086
run_ok "paths, module loads and churn stop (bounded)" wait_until 60 pids_done $pids
wait
echo 0 >$T/tracing_on
run_ok "kprobe event on ot_slow_lock" sh -c \
	"echo 'p:otslow oomtrace:ot_slow_lock' >>$T/kprobe_events && echo 1 >$T/events/kprobes/otslow/enable"
h1=$(lock_hits)
d1=$(ot_status dropped)
run_ok "insmod leaker (after the table filled)" insmod $OT_DIR/leaker.ko
run_ok "leaker allocates 20000 x 64 B" lk_cmd kmalloc 20000 64
h2=$(lock_hits)
d2=$(ot_status dropped)
echo 0 >$T/events/kprobes/otslow/enable
echo '-:otslow' >>$T/kprobe_events
diag "full call-site table, leaker loaded and 20000 allocations: dropped $((d2 - d1)), ot_slow_lock taken $((h2 - h1)) times"
cmp_ok $((d2 - d1)) -ge 20000 "leaker's 20000 allocations from an unseen call site dropped and counted"
cmp_ok $((h2 - h1)) -lt 100 "the lock is taken by the module load, not once per drop"
lk_cmd free
run_ok "rmmod leaker (again)" rmmod leaker
ot_invariants "after the full call-site table"
run_ok "rmmod oomtrace (again)" rmmod oomtrace
mark "end"
