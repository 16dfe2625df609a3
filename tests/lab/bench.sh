#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: allocator cost without and with oomtrace, in one boot. Only the
# ratios mean something under TCG. BENCH_LOOPS and BENCH_REPS in the header.
# lab: mem=512 timeout=900
. /opt/oomtrace/lib.sh

LOOPS=${BENCH_LOOPS:-200000}
REPS=${BENCH_REPS:-5}

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure TAG: REPS runs, the median per pattern into /tmp/bench.TAG
measure() {
	: >/tmp/bench.raw
	r=0
	while [ $r -lt "$REPS" ]; do
		printf 'run %s\n' "$LOOPS" >/proc/otbench
		cat /proc/otbench >>/tmp/bench.raw
		r=$((r + 1))
	done
	for p in $(awk '{ print $1 }' /proc/otbench); do
		echo "$p $(awk -v p="$p" '$1 == p { print $2 }' /tmp/bench.raw | median)"
	done >"/tmp/bench.$1"
}

run_ok "insmod otbench" insmod $OT_DIR/otbench.ko
measure base
run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
measure exact
diag "oomtrace module_bytes: $(ot_status module_bytes)"
run_ok "rmmod oomtrace" rmmod oomtrace
measure base2

echo "# benchmark: ns per alloc+free, median of $REPS x $LOOPS, one boot"
printf '# %-16s %8s %8s %8s %7s\n' pattern base base2 exact ratio
while read -r p b; do
	b2=$(awk -v p="$p" '$1 == p { print $2 }' /tmp/bench.base2)
	e=$(awk -v p="$p" '$1 == p { print $2 }' /tmp/bench.exact)
	printf '# %-16s %8s %8s %8s %7s\n' "$p" "$b" "$b2" "$e" \
		"$(awk -v b="$b" -v b2="$b2" -v e="$e" 'BEGIN { m = (b + b2) / 2; printf "%.2f", m ? e / m : 0 }')"
done </tmp/bench.base
ok '[ -s /tmp/bench.exact ]' "benchmark produced numbers"
run_ok "rmmod otbench" rmmod otbench
