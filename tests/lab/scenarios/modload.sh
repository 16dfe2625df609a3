# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# oomtrace.ko loads and unloads cleanly 20 times (status readable after each
# load, /proc/oomtrace gone after each unload), then 5 more times while
# leaker's storm threads allocate and free on every CPU. Any kernel warning
# fails the boot (panic_on_warn=1).
# lab: needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

OT=/opt/oomtrace/oomtrace.ko

plan 9

cycle() { # cycle N: N load/unload rounds; prints "ins stat rm gone" failure counts
	local i=0 ins=0 st=0 rm=0 gone=0
	while [ $i -lt "$1" ]; do
		i=$((i + 1))
		if ! insmod $OT; then
			ins=$((ins + 1))
			continue
		fi
		grep -q '^version: ' $OT_PROC/status || st=$((st + 1))
		rmmod oomtrace || rm=$((rm + 1))
		[ ! -e $OT_PROC ] || gone=$((gone + 1))
	done
	echo "$ins $st $rm $gone"
}

# shellcheck disable=SC2046
set -- $(cycle 20)
is "$1" 0 "20 x insmod oomtrace.ko"
is "$2" 0 "status readable after every load"
is "$3" 0 "20 x rmmod oomtrace"
is "$4" 0 "/proc/oomtrace gone after every unload"

run_ok "insmod leaker.ko, storm on" sh -c "insmod /opt/oomtrace/leaker.ko && printf 'storm on\n' > $LK_PROC"
# shellcheck disable=SC2046
set -- $(cycle 5)
is "$*" "0 0 0 0" "5 load/unload rounds under the allocation storm"
run_ok "storm off" lk_cmd storm off
run_ok "rmmod leaker" rmmod leaker
ok '! lsmod | grep -q "^oomtrace "' "oomtrace not loaded at the end"
