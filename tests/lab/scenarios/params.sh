#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
# Module parameters: every parameter just outside its range (both ends),
# non-numeric, negative and overflowing values are refused at insmod with a
# kernel log message naming the parameter and nothing stays loaded; both ends
# of each range load and show in status and /sys/module/oomtrace/parameters.
# A tiny pointer table drops and counts, never corrupts.
# (The largest max_objects/max_callsites need more RAM than the lab guest:
# params_huge.sh.)
# lab: timeout=240
# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

OT=$OT_DIR/oomtrace.ko
P=/sys/module/oomtrace/parameters

# refused PARAM=VALUE MESSAGE: insmod fails, MESSAGE is in the kernel log,
# nothing is loaded.
refused() {
	local st=0 n
	n=$(dmesg | wc -l)
	if insmod $OT "$1" 2>/dev/null; then
		st=1
		rmmod oomtrace
	fi
	grep -q '^oomtrace ' /proc/modules && st=1
	dmesg | tail -n +$((n + 1)) | grep -qF "oomtrace: $2" || st=1
	_tap_result $st "$1 refused: '$2'"
	[ $st = 0 ] || diag "  kernel log: $(dmesg | tail -n +$((n + 1)) | grep oomtrace | tail -n 2)"
}

# Just outside each range, with the module's own message.
refused max_objects=1023 "max_objects=1023 out of range 1024..268435456"
refused max_objects=268435457 "max_objects=268435457 out of range 1024..268435456"
refused max_objects=10 "max_objects=10 out of range"
refused max_objects=0 "max_objects=0 out of range"
refused max_callsites=1023 "max_callsites=1023 out of range 1024..1048576"
refused max_callsites=1048577 "max_callsites=1048577 out of range 1024..1048576"
refused max_callsites=0 "max_callsites=0 out of range"
refused walk_depth=65 "walk_depth=65 out of range 0..64"
refused walk_depth=1000 "walk_depth=1000 out of range 0..64"
refused peak_ms=9 "peak_ms=9 out of range 10..60000"
refused peak_ms=60001 "peak_ms=60001 out of range 10..60000"
refused peak_ms=0 "peak_ms=0 out of range"
refused max_events=1 "max_events=1 out of range 2..4096"
refused max_events=4097 "max_events=4097 out of range 2..4096"
refused max_events=0 "max_events=0 out of range"

# Not numbers, negative, overflowing: the kernel's parameter parser.
for pv in max_objects=abc max_objects=-1 max_objects=1024x max_objects= \
	max_objects=18446744073709551616 max_callsites=1e4 max_callsites=-1024 \
	max_callsites=4294967296 walk_depth=x walk_depth=-1 walk_depth=4294967297 \
	peak_ms=fast peak_ms=-100 max_events=ten max_events=-64 walk_all=2 walk_all=maybe; do
	refused "$pv" "\`${pv#*=}' invalid for parameter \`${pv%%=*}'"
done

# Both ends of each range load; the value shows where it should.
# loads "PARAMS" "STATUS-KEY VALUE"...: one boot of oomtrace.ko with PARAMS.
loads() {
	local params=$1 kv got bad=""
	shift
	# shellcheck disable=SC2086
	if ! insmod $OT $params; then
		_tap_result 1 "insmod $params"
		return
	fi
	for kv in "$@"; do
		case ${kv%% *} in
		max_events) got=$(sed -n 's/^# max_events=\([0-9]*\) .*/\1/p' $OT_PROC/events) ;;
		*) got=$(ot_status "${kv%% *}") ;;
		esac
		[ "$got" = "${kv#* }" ] || bad="$bad ${kv%% *}=$got"
	done
	for kv in $params; do
		got=$(cat "$P/${kv%%=*}")
		case ${kv#*=} in 1) [ "$got" = Y ] && got=1 ;; 0) [ "$got" = N ] && got=0 ;; esac
		[ "$got" = "${kv#*=}" ] || bad="$bad sys:${kv%%=*}=$got"
	done
	grep -q '^version: ' $OT_PROC/status || bad="$bad status"
	rmmod oomtrace || bad="$bad rmmod"
	is "$bad" "" "insmod $params: loads, values shown, unloads"
}
loads "max_objects=1024 max_callsites=1024" "capacity 1024" "callsites_capacity 1024"
loads "walk_depth=0 peak_ms=10 max_events=2 walk_all=0" \
	"walk_depth 0" "peak_ms 10" "max_events 2" "walk_all 0"
loads "walk_depth=64 peak_ms=60000 max_events=4096 walk_all=1" \
	"walk_depth 64" "peak_ms 60000" "max_events 4096" "walk_all 1"
loads "max_objects=2097152 max_callsites=65536" "capacity 2097152" "callsites_capacity 65536"
ok '! grep -q "^oomtrace " /proc/modules' "nothing loaded after the boundary loads"

# A tiny pointer table.
run_ok "insmod max_objects=1024" insmod $OT max_objects=1024
is "$(ot_status capacity)" 1024 "status: capacity 1024"
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
base=$(ot_field $OT_PROC/modules leaker live)
lk_cmd kmalloc 5000 64
cmp_ok "$(ot_status dropped)" -gt 2000 "a full table drops and counts"
cmp_ok "$(ot_status tracked)" -le 2048 "tracked objects stay within the table"
live=$(ot_field $OT_PROC/modules leaker live)
cmp_ok "$live" -le 2048 "leaker's live count only holds tracked objects"
lk_cmd free
is "$(ot_field $OT_PROC/modules leaker live)" "$base" \
	"frees of dropped objects are ignored: live back to the baseline"
for f in slabs modules callsites module_slabs; do
	run_ok "invariants hold in $f with a full table" ot_check_invariants $OT_PROC/$f
done
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
