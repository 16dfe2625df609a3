#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# make bench-profile: where oomtrace's instructions go. Under icount a guest
# nanosecond is one instruction, so perf record's cpu-clock samples, one
# every PERIOD ns, fall one every PERIOD instructions: a profile by
# instructions executed. otbench runs one pattern alone, LOOPS alloc+free,
# under perf record -a; per configuration (floor: otbench's empty probes;
# exact; sampled) and pattern, the functions with their instructions per
# alloc+free (samples x PERIOD / LOOPS; the sampling interrupt's own cost is
# in none of them: it runs after the sample is taken).
# Knobs (GUEST_ENV): PROFILE_LOOPS (300000), PROFILE_PATTERNS
# ("kmalloc-64 kmem_cache-192 alloc_pages-0"), PROFILE_CONFIGS ("floor
# exact sampled"; exact must be one of them), PROFILE_TOP (16 functions),
# PROFILE_READ (1: also the profile of reading every /proc/oomtrace file with
# 10000 call sites tracked, in thousands of instructions).
# lab: mem=512 timeout=1200 icount=1 bins="/usr/bin/perf" cmdline="nokaslr"

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

LOOPS=${PROFILE_LOOPS:-300000}
PATTERNS=${PROFILE_PATTERNS:-kmalloc-64 kmem_cache-192 alloc_pages-0}
TOP=${PROFILE_TOP:-16}
CONFIGS=${PROFILE_CONFIGS:-floor exact sampled}
# A prime: no aliasing with the loops' own periods.
PERIOD=20011

# report OPS: the functions of /tmp/perf.data, instructions per op
report() {
	perf report -i /tmp/perf.data --stdio -q -n --sort sym 2>/dev/null |
		awk -v per=$PERIOD -v loops="$1" -v top="$TOP" '
			$2 ~ /^[0-9]+$/ && n < top {
				sym = $0; sub(/^.*\] /, "", sym)
				printf "#   %8.1f  %s\n", $2 * per / loops, sym; n++
			}
			$2 ~ /^[0-9]+$/ { all += $2 }
			END { printf "#   %8.1f  all\n", all * per / loops }'
}

# profile CONF PATTERN: the profile of PATTERN alone, instructions per op
profile() {
	rm -f /tmp/perf.data
	perf record -q -a -e cpu-clock -c $PERIOD -o /tmp/perf.data \
		sh -c "echo 'run $LOOPS -1 $2' >/proc/otbench" >/dev/null 2>&1 || return 1
	echo "# profile: $1 $2 ($LOOPS alloc+free; instructions per alloc+free by function)"
	report "$LOOPS"
}

# read_profile: exact mode, 10000 call sites tracked, every file read once
read_profile() {
	insmod $OT_DIR/oomtrace.ko mode=exact max_callsites=16384 || return 1
	echo sites >/proc/otbench && rm -f /tmp/perf.data &&
		perf record -q -a -e cpu-clock -c $PERIOD -o /tmp/perf.data \
			churn read $OT_PROC/status $OT_PROC/slabs $OT_PROC/modules $OT_PROC/callsites \
			$OT_PROC/module_slabs $OT_PROC/events >/dev/null 2>&1 || { rmmod oomtrace; return 1; }
	echo "# profile: reading every file with 10000 call sites (thousands of instructions by function)"
	report 1000
	rmmod oomtrace
}

plan 6

echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid
run_ok "insmod otbench" insmod $OT_DIR/otbench.ko
fails=0
for c in $CONFIGS; do
	case $c in
	floor) echo probes on >/proc/otbench ;;
	*) insmod $OT_DIR/oomtrace.ko mode=$c ;;
	esac || fails=$((fails + 1))
	for p in $PATTERNS; do
		profile $c "$p" || fails=$((fails + 1))
	done
	case $c in
	floor) echo probes off >/proc/otbench ;;
	*) rmmod oomtrace ;;
	esac || fails=$((fails + 1))
done >/tmp/profile.out
if [ "${PROFILE_READ:-1}" = 1 ]; then
	read_profile >>/tmp/profile.out || fails=$((fails + 1))
fi
cat /tmp/profile.out
is "$fails" 0 "every profile taken"
ok 'grep -q "ot_track_free" /tmp/profile.out' "oomtrace's free path in the profiles"
ok 'grep -q "ot_probe_kmalloc" /tmp/profile.out' "oomtrace's kmalloc probe in the profiles"
ok 'grep -q "ot_charge" /tmp/profile.out' "exact mode's charge (the pointer table's insert) in the profiles"
run_ok "rmmod otbench" rmmod otbench
