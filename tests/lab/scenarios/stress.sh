# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Everything at once: leaker's allocation storm on every CPU plus user-space
# churn (pipes, AF_UNIX, TCP and UDP over lo, tmpfs files), background
# readers of every /proc/oomtrace file, a writer sending reset, mode
# changes, thresholds and garbage to control, while oomtrace.ko is loaded
# and unloaded 30 times (every 5th load with the smallest tables; every load
# checks the modules invariants under the storm). Meanwhile leaker is
# unloaded and loaded again, and a real drbd resource and a real bond come
# and go. The readers and writers must only ever see data, EINVAL/ENOSPC,
# ENOENT (not loaded), EBUSY (reset while loading or unloading) or EIO
# (removed under an open file); at the end, with everything quiet, the
# tables' invariants hold and leaker's known allocations are counted
# exactly. Any kernel splat fails the boot.
#
# Merged here: modload (20 quiet load/unload cycles first; its 5 cycles
# under the storm are the 30 below) and storm_rmmod (its 20 load/read/rmmod
# cycles under the storm are the 30 below, with the background readers; its
# quiescent checks are the ones at the end). 30 cycles, not 50: each one
# under this load takes 5-10 s of TCG time, and every kind of cycle (small
# tables, drbd and bonding coming and going, leaker reloaded) still runs.
# (Multi-threaded TCG locked up here, at the patched tracepoint site: see
# tests/lab/host/boot.sh, the lab runs single-threaded TCG.)
# lab: mem=512 timeout=600 modules="drbd brd bonding dummy" needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

OT=$OT_DIR/oomtrace.ko
LT=/usr/bin/labtool
CYCLES=30
STOP=/tmp/stress.stop
DS=/lib/drbd/drbdsetup-84
FILES="status slabs modules callsites module_slabs events control"

plan 33

rm -f $STOP /tmp/st.*

# ---- quiet load/unload cycles ---------------------------------------------------------
mark "quiet cycles"
i=0 ins=0 st=0 rm=0 gone=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	if ! insmod $OT; then
		ins=$((ins + 1))
		continue
	fi
	grep -q '^version: ' $OT_PROC/status || st=$((st + 1))
	rmmod oomtrace || rm=$((rm + 1))
	[ ! -e $OT_PROC ] || gone=$((gone + 1))
done
is "$ins $rm" "0 0" "20 quiet insmod/rmmod cycles"
is "$st" 0 "status readable after every load"
is "$gone" 0 "/proc/oomtrace gone after every unload"

# Counting works before the storm: leaker's 100 x 512 B, exactly.
run_ok "insmod oomtrace" insmod $OT
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk_cmd kmalloc 100 512
is "$(awk '$1 == "leaker" && $2 == "kmalloc-512" { print $3 }' $OT_PROC/module_slabs)" 100 \
	"before the storm: leaker's 100 x 512 B live in kmalloc-512, exactly"
lk_cmd free
run_ok "rmmod oomtrace" rmmod oomtrace
run_ok "storm on" lk_cmd storm on
pids=""

# ---- background load --------------------------------------------------------------
churn() {
	while [ ! -e $STOP ]; do
		$LT churn 3 /tmp
	done
}
reader() { # reader BLOCKSIZE
	while [ ! -e $STOP ]; do
		# shellcheck disable=SC2046
		$LT read -b "$1" $(for f in $FILES; do echo "$OT_PROC/$f"; done)
	done
}
writer() {
	while [ ! -e $STOP ]; do
		$LT write $OT_PROC/control 'reset\n' 'threshold module leaker 1M' \
			'threshold growth cache kmalloc-64 100K' 'bogus' 'threshold clear' \
			'mode sampled 4096' 'mode exact'
		sleep 0.3
	done
}
churn >/tmp/st.churn1 2>&1 &
pids="$pids $!"
churn >/tmp/st.churn2 2>&1 &
pids="$pids $!"
reader 4096 >/tmp/st.read1 2>&1 &
pids="$pids $!"
reader 7 >/tmp/st.read2 2>&1 &
pids="$pids $!"
writer >/tmp/st.write 2>&1 &
pids="$pids $!"

# drbd up, 8 MiB of writes, down, unload; then a bond with ARP traffic.
drbd_bond() {
	mkdir -p /var/lib/drbd /run/drbd /var/lock
	modprobe drbd && modprobe brd rd_nr=1 rd_size=32768 &&
		$DS new-resource r0 && $DS new-minor r0 0 0 &&
		echo yes | drbdmeta --force 0 v08 /dev/ram0 internal create-md >/dev/null 2>&1 &&
		$DS attach 0 /dev/ram0 /dev/ram0 internal && $DS primary 0 --force &&
		dd if=/dev/zero of=/dev/drbd0 bs=1M count=8 oflag=direct 2>/dev/null &&
		$DS down r0 && rmmod drbd && rmmod brd && echo "drbd ok"
	B=/sys/class/net/bond0/bonding
	modprobe bonding max_bonds=0 && modprobe dummy numdummies=2 &&
		echo +bond0 >/sys/class/net/bonding_masters &&
		echo active-backup >$B/mode && echo 100 >$B/arp_interval &&
		echo +10.9.0.2 >$B/arp_ip_target && echo +dummy0 >$B/slaves &&
		echo +dummy1 >$B/slaves && ip link set bond0 up &&
		ip addr add 10.9.0.1/24 dev bond0 &&
		{ ping -c 5 -i 0.2 -W 1 10.9.0.2 >/dev/null 2>&1; true; } &&
		ip link set bond0 down && echo -bond0 >/sys/class/net/bonding_masters &&
		rmmod bonding && rmmod dummy && echo "bonding ok"
}

# ---- the cycles -----------------------------------------------------------------------
mark "cycles start"
cycle=0 ins_fail=0 rm_fail=0 lk_ok=0 inv_fail=0
while [ $cycle -lt $CYCLES ]; do
	cycle=$((cycle + 1))
	params=""
	[ $((cycle % 5)) = 0 ] && params="max_objects=1024 max_callsites=1024"
	# shellcheck disable=SC2086
	if ! insmod $OT $params; then
		ins_fail=$((ins_fail + 1))
		continue
	fi
	case $cycle in
	8)
		drbd_bond >/tmp/st.modules 2>&1 &
		mod_pid=$!
		;;
	18)
		# leaker goes and comes back while oomtrace watches.
		lk_cmd storm off && rmmod leaker && insmod $OT_DIR/leaker.ko &&
			lk_cmd kmalloc 100 512 && lk_cmd storm on && lk_ok=1
		;;
	esac
	ot_check_invariants $OT_PROC/modules >/tmp/st.inv || {
		inv_fail=$((inv_fail + 1))
		cat /tmp/st.inv
	}
	sleep 0.2
	rmmod oomtrace || rm_fail=$((rm_fail + 1))
	# Progress, so that a hung run shows how far it got.
	[ $((cycle % 10)) = 0 ] && mark "cycle $cycle"
done
mark "cycles done"
diag "cycles done: $cycle (insmod failures $ins_fail, rmmod failures $rm_fail)"
is "$ins_fail $rm_fail" "0 0" "$CYCLES insmod/rmmod cycles under the storm, churn, readers and writer"
is "$inv_fail" 0 "every cycle: the modules invariants hold under the storm"
is "$lk_ok" 1 "leaker unloaded and loaded again mid-run"
run_ok "drbd and bonding sequence finishes (bounded)" wait_until 120 pids_done "$mod_pid"
is "$(tr '\n' ' ' </tmp/st.modules)" "drbd ok bonding ok " "drbd and bonding came and went"

touch $STOP
# shellcheck disable=SC2086
run_ok "background load stops (bounded)" wait_until 60 pids_done $pids
wait
run_ok "storm off" lk_cmd storm off
mark "quiet"

# ---- what the background saw ------------------------------------------------------------
reads=$(cat /tmp/st.read1 /tmp/st.read2 | awk '{ print $1 }' | sort | uniq -c | tr -s ' \n' '  ')
diag "reads: $reads"
is "$(cat /tmp/st.read1 /tmp/st.read2 | awk '$1 != "eof" && $1 != "EIO" && $1 != "open:ENOENT"' | sort -u | head -n 5)" "" \
	"readers saw only data, EIO (removed while open) or ENOENT (not loaded)"
cmp_ok "$(cat /tmp/st.read1 /tmp/st.read2 | grep -c '^eof [1-9]')" -gt 20 "readers read many files while loaded"
writes=$(tr ' ' '\n' </tmp/st.write | sort | uniq -c | tr -s ' \n' '  ')
diag "control writes: $writes"
is "$(tr ' ' '\n' </tmp/st.write | grep -vE '^(ok|EINVAL|ENOSPC|EBUSY|EIO|open:ENOENT)$' | sort -u | head -n 5)" "" \
	"control writer saw only ok, EINVAL, ENOSPC, EBUSY, EIO or ENOENT"
ok 'grep -q "^ok$\|^ok " /tmp/st.write' "some control writes were taken"
rounds=$(sed -n 's/^rounds=//p' /tmp/st.churn1 /tmp/st.churn2 | awk '{ n += $1 } END { print n + 0 }')
diag "user-space churn rounds: $rounds"
cmp_ok "$rounds" -gt 100 "user-space churn ran"
is "$(grep -v '^rounds=' /tmp/st.churn1 /tmp/st.churn2 | head -n 3)" "" "churn saw no error"

# ---- quiescence: exact counts and invariants -----------------------------------------
run_ok "insmod oomtrace" insmod $OT
lk_cmd kmalloc 1000 256
lk_cmd storm on
sleep 2
lk_cmd storm off
ot_invariants "after the stress"
# leaker held 100 x 512 B from cycle 18 (before this load: not counted) and
# now 1000 x 256 B: exactly those 1000 are live in kmalloc-256; the storm's
# objects are all freed again.
is "$(awk '$1 == "leaker" && $2 == "kmalloc-256" { print $3 }' $OT_PROC/module_slabs)" 1000 \
	"module_slabs: leaker's 1000 x 256 B live in kmalloc-256, exactly"
cmp_ok "$(ot_field $OT_PROC/modules leaker allocs)" -gt 1000 "leaker's storm charged to leaker"
lk_cmd free
is "$(ot_field $OT_PROC/modules leaker live)" 0 "free: nothing of leaker's live since this load"
is "$(ot_status dropped)" 0 "nothing dropped with the default table"
run_ok "rmmod oomtrace" rmmod oomtrace
run_ok "rmmod leaker" rmmod leaker
ok '! grep -qE "^(oomtrace|leaker|drbd|bonding) " /proc/modules' "nothing left loaded"
mark "end"
