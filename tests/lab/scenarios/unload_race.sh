# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Unload races.
#  1. leaker is unloaded while its objects are still being freed by others:
#     20000 kfree_rcu()'d objects drain after rmmod (batched, up to ~5 s), and
#     rmmod leaker waits for an in-flight churn write (proc_remove() waits
#     for running file operations). The gone row then reaches its baseline.
#  2. rmmod oomtrace with its files open: procfs does not pin the module
#     (proc_ops has no owner), so rmmod succeeds at once; proc_remove() waits
#     for operations in flight, releases the open files (the tables'
#     workspaces are freed then), and every later read or write on the old
#     descriptors fails with EIO, even after oomtrace is loaded again.
#  3. insmod/rmmod while control is written (reset) and the tables are read
#     in a loop: control exists from early in init until late in exit, and
#     a reset there must neither attach the probes twice (init) nor attach
#     them again after exit detached them (a use after free).
#  4. rmmod oomtrace while another module's unload is in the module
#     notifier chain: oomtrace's notifier runs on, so exit must unregister
#     it before freeing the tables it writes to (issue 19: they were freed
#     first, and the notifier retired the going module's slots in freed
#     memory). leaker's first notifier holds the chain for 2 s. Last, with
#     3, as a failure here takes the machine down.
# lab: timeout=300 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

plan 51

OT=$OT_DIR/oomtrace.ko
LT=/usr/bin/labtool
M=$OT_PROC/modules

# ---- 1. leaker unloaded while its objects drain ------------------------------------
mark "leaker unload with frees pending"
run_ok "insmod oomtrace" insmod $OT
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
base=$(ot_field $M leaker live)
diag "leaker live after load: $base"
run_ok "churn_rcu 20000 256" lk_cmd churn_rcu 20000 256
run_ok "rmmod leaker right away" rmmod leaker
is "$(ot_field $M leaker state)" gone "leaker row: gone"
f0=$(ot_field $M leaker frees)
drained() { [ "$(ot_field $M leaker live)" -le "$base" ]; }
run_ok "every free, also after the unload, reaches the gone row: live back to $base (bounded)" \
	wait_until 30 drained
diag "frees counted after rmmod returned: $(($(ot_field $M leaker frees) - f0)) (timing dependent)"
cmp_ok "$(ot_field $M leaker frees)" -ge 20000 "the 20000 frees are counted"
run_ok "invariants after the drain" ot_check_invariants $M

run_ok "insmod leaker again" insmod $OT_DIR/leaker.ko
base=$(ot_field $M leaker live)
# Long enough to be in flight when rmmod starts (~3 s under TCG), short
# enough to end within the bound: KASAN's kernel is slower per object by
# about the lab's scale.
lk_cmd churn_rcu $((1000000 / LAB_SCALE)) 128 >/tmp/churn.out 2>&1 &
churn=$!
sleep 0.5
ok "! pids_done $churn" "the churn write is still in flight when rmmod starts"
t0=$(cut -d. -f1 /proc/uptime)
run_ok "rmmod leaker while a churn write is in flight" timeout $((120 * LAB_SCALE)) /sbin/rmmod leaker
diag "rmmod leaker waited $(($(cut -d. -f1 /proc/uptime) - t0)) s for the write"
run_ok "the churn writer finished" wait_until 10 pids_done $churn
wait $churn
diag "churn write status $? ($(cat /tmp/churn.out))"
is "$(ot_field $M leaker state)" gone "leaker row: gone again"
run_ok "gone row drains to $base (bounded)" wait_until 30 drained
ot_invariants "after the second drain"

# ---- 2. rmmod oomtrace with its files open -------------------------------------------
mark "rmmod with open files"
exec 3<$OT_PROC/slabs
exec 4<$OT_PROC/status
exec 5<>$OT_PROC/control
exec 6<$OT_PROC/events
exec 7<$OT_PROC/modules
is "$(dd bs=64 count=1 <&3 2>/dev/null | head -c 18)" "# oomtrace slabs f" "slabs: first 64 bytes read, file left open"
is "$($LT read -4 | cut -d' ' -f1)" eof "status read to EOF, file left open"
t0=$(cut -d. -f1 /proc/uptime)
run_ok "rmmod oomtrace with 5 files open" timeout $((60 * LAB_SCALE)) /sbin/rmmod oomtrace
cmp_ok $(($(cut -d. -f1 /proc/uptime) - t0)) -le 5 "rmmod did not wait for the open files"
ok "[ ! -e $OT_PROC ]" "/proc/oomtrace gone"
is "$($LT read -3)" "EIO 0" "slabs: reading on after rmmod: EIO"
is "$($LT read -7)" "EIO 0" "modules (never read): EIO"
is "$($LT read -6)" "EIO 0" "events: EIO"
is "$($LT write -5 'reset')" EIO "control: write after rmmod: EIO"
exec 4<&-
exec 6<&-
run_ok "insmod oomtrace again" insmod $OT
is "$($LT read -3)" "EIO 0" "old slabs descriptor still EIO with the new module loaded"
is "$($LT write -5 'reset')" EIO "old control descriptor still EIO"
ok "grep -q '^# oomtrace slabs' $OT_PROC/slabs" "the new files work"
exec 3<&-
exec 5>&-
exec 7<&-
run_ok "rmmod oomtrace after closing the stale descriptors" rmmod oomtrace

# ---- 3. insmod/rmmod under control writes and readers ---------------------------------
# writer/reader loops until /tmp/ur.stop; results in /tmp/ur.write, /tmp/ur.read.
bg_start() {
	rm -f /tmp/ur.stop
	(
		while [ ! -e /tmp/ur.stop ]; do
			$LT write $OT_PROC/control reset reset 'threshold module x 1M' reset 'threshold clear'
		done
	) >>/tmp/ur.write 2>&1 &
	bg_pids=$!
	(
		while [ ! -e /tmp/ur.stop ]; do
			$LT read $OT_PROC/status $OT_PROC/slabs $OT_PROC/callsites $OT_PROC/control
		done
	) >>/tmp/ur.read 2>&1 &
	bg_pids="$bg_pids $!"
}
bg_stop() {
	touch /tmp/ur.stop
	# shellcheck disable=SC2086
	wait_until 30 pids_done $bg_pids || bg_hung=$((bg_hung + 1))
	wait
}
rm -f /tmp/ur.write /tmp/ur.read
bg_hung=0

# 3a. Exit side: loaded first, then resets and reads run into rmmod.
mark "rmmod while control is written"
i=0 fails=0
while [ $i -lt 6 ]; do
	i=$((i + 1))
	insmod $OT || fails=$((fails + 1))
	bg_start
	sleep 0.3
	rmmod oomtrace || fails=$((fails + 1))
	bg_stop
done
is "$fails" 0 "6 x rmmod while control takes resets and the files are read"

# 3b. Both sides: insmod and rmmod while resets and reads run all along.
mark "insmod/rmmod while control is written"
bg_start
i=0 fails=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	insmod $OT || fails=$((fails + 1))
	rmmod oomtrace || fails=$((fails + 1))
done
bg_stop
is "$fails" 0 "20 insmod/rmmod cycles while control takes resets and the files are read"
is "$bg_hung" 0 "writer and reader always stopped (bounded)"
diag "control writes: $(tr ' ' '\n' </tmp/ur.write | sort | uniq -c | tr -s ' \n' '  ')"
diag "reads: $(awk '{ print $1 }' /tmp/ur.read | sort | uniq -c | tr -s ' \n' '  ')"
# EBUSY: a reset between control's creation in init and the probes'
# attachment, or between their detachment in exit and control's removal.
is "$(tr ' ' '\n' </tmp/ur.write | grep -vE '^(ok|EBUSY|EIO|open:ENOENT)$' | sort -u)" "" \
	"control writes: ok, EBUSY, EIO or ENOENT only"
is "$(awk '$1 != "eof" && $1 != "EIO" && $1 != "open:ENOENT"' /tmp/ur.read | sort -u)" "" \
	"reads: data, EIO or ENOENT only"
run_ok "insmod oomtrace at the end" insmod $OT
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk_cmd kmalloc 100 64
is "$(awk '$1 == "leaker" && $2 == "kmalloc-64" { print $3 }' $OT_PROC/module_slabs)" 100 \
	"tracking works after the races: leaker's 100 x 64 B live in kmalloc-64, exactly"
lk_cmd free
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace

# ---- 4. rmmod oomtrace while a module goes --------------------------------------------
mark "rmmod oomtrace while the module notifier chain runs"
run_ok "insmod oomtrace" insmod $OT
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
run_ok "insmod otfill" insmod $OT_DIR/otfill.ko
echo 10 >/sys/module/otfill/parameters/sites
is "$(awk '$2 == "otfill"' $OT_PROC/callsites | wc -l)" 10 "oomtrace knows otfill's 10 call sites"
lk_cmd notify_delay 2000
/sbin/rmmod otfill &
going=$!
sleep 0.5
ok "! pids_done $going" "rmmod otfill is held in the module notifier chain"
/sbin/rmmod oomtrace &
exiting=$!
run_ok "rmmod otfill ends (bounded)" wait_until 20 pids_done $going
run_ok "rmmod oomtrace ends (bounded)" wait_until 20 pids_done $exiting
wait $exiting
is "$?" 0 "rmmod oomtrace succeeded"
lk_cmd notify_delay 0
run_ok "rmmod leaker" timeout $((20 * LAB_SCALE)) /sbin/rmmod leaker
mark "end"
