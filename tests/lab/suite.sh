#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/lab/suite.sh [-j N] [--stub] [--logs DIR] SCRIPT...
#
# Boots every SCRIPT with tests/lab/lab.sh, N VMs at a time (default 2 where
# the host has 2 CPUs or more: each TCG VM keeps one host CPU busy), the
# longest first (by its last measured time in build/lab/times, else by its
# header's timeout) so that the last one to start is short. Each boot's
# output goes to DIR/lab-NAME.log [build/check]. lab.sh's knobs pass
# through; LAB_ENV_NAME="K=V ..." is the GUEST_ENV of scenario NAME.
#
# One line per scenario as it finishes, with its wall time:
#   PASS lab:NAME (N ok[, N skipped] in Ts)
#   FAIL lab:NAME (N ok, N not ok in Ts), then the failed tests and the reason
#   SKIP lab:NAME (why)
# and last "lab-total ok=N notok=N skip=N failed=N skipped=N secs=T": ok,
# notok, skip count TAP results; failed counts failed boots, skipped boots.
#
# --stub: OT_KO is the stub module (tests/modules/stub/oomtrace.ko: fixed,
# plausible content, tracks nothing). A scenario that loads oomtrace must
# FAIL against it; per scenario:
#   CAUGHT lab:NAME (fails against the stub: REASON, first failed test)
#   MISSED lab:NAME (passes against the stub)
#   NOLOAD lab:NAME (does not load oomtrace)
# "Loads oomtrace" is what the boot shows (the stub announces itself in the
# kernel log) or what the scenario declares (needs=oomtrace). Last line
# "stub-total caught=N missed=N noload=N secs=T".

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
JOBS=1
[ "$(nproc)" -ge 2 ] && JOBS=2
STUB=0
LOGS=$ROOT/build/check
while [ $# -gt 0 ]; do
	case $1 in
	-j) JOBS=$2; shift ;;
	-j*) JOBS=${1#-j} ;;
	--stub) STUB=1 ;;
	--logs) LOGS=$2; shift ;;
	--) shift; break ;;
	-*) echo "suite: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
case $JOBS in [1-9]) ;; *) echo "suite: -j takes 1..9" >&2; exit 2 ;; esac
mkdir -p "$LOGS" "$ROOT/build/lab"
TIMES=$ROOT/build/lab/times
# Against the stub, the first failure answers the question (LAB_BAIL).
[ $STUB = 0 ] || export OT_KO=$ROOT/tests/modules/stub/oomtrace.ko LAB_BAIL=1
T0=$(date +%s)

# weight SCRIPT: seconds the scenario took last time, else its timeout.
weight() {
	local n t
	n=$(basename "$1" .sh)
	t=$(awk -v n="$n" '$1 == n { t = $2 } END { print t }' "$TIMES" 2>/dev/null)
	[ -n "$t" ] || t=$(sed -n 's/^# lab:.*timeout=\([0-9]*\).*/\1/p' "$1" | head -n 1)
	echo "${t:-180}"
}

# The base archive once, before VMs start side by side.
tests/lab/lab.sh --prepare

mapfile -t QUEUE < <(for s in "$@"; do echo "$(weight "$s") $s"; done | sort -rn -k1,1 | cut -d' ' -f2-)

OK=0 NOTOK=0 SK=0 FAILED=0 SKIPPED=0 CAUGHT=0 MISSED=0 NOLOAD=0
declare -A RUNNING=()

start() { # start SCRIPT
	local s=$1 name envv
	name=$(basename "$s" .sh)
	envv=LAB_ENV_$name
	(
		[ -z "${!envv:-}" ] || export GUEST_ENV=${!envv}
		LAB_QUIET=1 exec tests/lab/lab.sh "$s"
	) >"$LOGS/lab-$name.log" 2>&1 &
	RUNNING[$!]=$s
}

field() { sed -nE "s/.* $1=([^ ]*).*/\\1/p" <<<"$2"; }

# failures LOG: the failed tests (with their diagnostics) and the reason.
failures() {
	grep -E -A6 '^not ok' "$1" | grep -E '^(not ok|#)' | sed 's/^/    /' || true
	grep -E "^lab: " "$1" | sed 's/^/    /' || true
}

report() { # report SCRIPT
	local s=$1 name log res ok notok sk verdict secs stub reason
	name=$(basename "$s" .sh)
	log=$LOGS/lab-$name.log
	res=$(grep '^lab-result ' "$log" | tail -n 1 || true)
	if [ -z "$res" ]; then
		res="lab-result $name ok=0 notok=0 skip=0 verdict=fail stub=0 secs=0"
		echo "lab: $name fail (lab.sh gave no result)" >>"$log"
	fi
	ok=$(field ok "$res") notok=$(field notok "$res") sk=$(field skip "$res")
	verdict=$(field verdict "$res") secs=$(field secs "$res") stub=$(field stub "$res")
	echo "$name ${secs%.*}" >>"$TIMES.new"
	if [ $STUB = 1 ]; then
		reason=$(grep -E "^lab: $name (fail|skip)" "$log" | tail -n 1 | sed -E 's/^lab: [^ ]+ [a-z]+ \((.*)\) [0-9.]+s$/\1/')
		if [ "$stub" != 1 ] && ! grep -qE '^# lab:.*needs="?[a-z ]*oomtrace' "$s"; then
			NOLOAD=$((NOLOAD + 1))
			echo "NOLOAD lab:$name (does not load oomtrace; $verdict in ${secs}s)"
		elif [ "$verdict" = pass ]; then
			MISSED=$((MISSED + 1))
			echo "MISSED lab:$name (passes against the stub: $ok ok in ${secs}s)"
		else
			CAUGHT=$((CAUGHT + 1))
			echo "CAUGHT lab:$name (fails against the stub: $reason; $(grep -m1 '^not ok' "$log" || echo 'no failed test line'))"
		fi
		return
	fi
	OK=$((OK + ok)) NOTOK=$((NOTOK + notok)) SK=$((SK + sk))
	case $verdict in
	pass)
		echo "PASS lab:$name ($ok ok$([ "$sk" = 0 ] || echo ", $sk skipped") in ${secs}s)"
		;;
	skip)
		SKIPPED=$((SKIPPED + 1))
		echo "SKIP lab:$name ($(grep "^lab: $name skip" "$log" | sed -E 's/^[^(]*\((.*)\) [0-9.]+s$/\1/'))"
		;;
	*)
		FAILED=$((FAILED + 1))
		echo "FAIL lab:$name ($ok ok, $notok not ok in ${secs}s)"
		failures "$log"
		;;
	esac
}

rm -f "$TIMES.new"
i=0
while [ $i -lt ${#QUEUE[@]} ] || [ ${#RUNNING[@]} -gt 0 ]; do
	while [ $i -lt ${#QUEUE[@]} ] && [ ${#RUNNING[@]} -lt "$JOBS" ]; do
		start "${QUEUE[$i]}"
		i=$((i + 1))
	done
	pid=""
	wait -n -p pid "${!RUNNING[@]}" || true
	[ -n "$pid" ] || continue
	report "${RUNNING[$pid]}"
	unset "RUNNING[$pid]"
done
# Keep the times of scenarios not run this time.
if [ -e "$TIMES.new" ]; then
	awk 'NR == FNR { new[$1] = 1; print; next } !($1 in new)' "$TIMES.new" "$TIMES" \
		2>/dev/null >"$TIMES.tmp" || cp "$TIMES.new" "$TIMES.tmp"
	mv "$TIMES.tmp" "$TIMES"
	rm -f "$TIMES.new"
fi
if [ $STUB = 1 ]; then
	echo "stub-total caught=$CAUGHT missed=$MISSED noload=$NOLOAD secs=$(($(date +%s) - T0))"
	[ $MISSED = 0 ]
else
	echo "lab-total ok=$OK notok=$NOTOK skip=$SK failed=$FAILED skipped=$SKIPPED secs=$(($(date +%s) - T0))"
	[ $FAILED = 0 ]
fi
