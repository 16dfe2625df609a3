#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# make bench, part 2: readers against allocators, two vCPUs, TCG WALL CLOCK
# (nanoseconds under emulation, not instructions: icount has one clock for
# every vCPU, so part 1, bench.sh, measures on one). oomtrace in exact mode
# with 10000 call sites tracked; otbench on CPU 1 alone, then while CPU 0
# reads /proc/oomtrace/callsites and slabs in a loop; REPS rounds of both,
# medians. Readers take only the control mutex, which the hot path never
# takes: a slowdown here is two vCPUs sharing the host's cores (make bench
# runs this boot with multi-threaded TCG, each vCPU a host thread), not a
# lock; the figure says no more than that.
# Knobs (GUEST_ENV): BENCH_LOOPS (30000), BENCH_REPS (5).
# lab: mem=512 smp=2 timeout=600 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

LOOPS=${BENCH_LOOPS:-30000}
REPS=${BENCH_REPS:-5}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# cpu1 TAG: otbench on CPU 1 alone, its lines appended to /tmp/smp.TAG
cpu1() {
	printf 'run %s 1\n' "$LOOPS" >/proc/otbench && grep -v '^idle-us ' /proc/otbench >>"/tmp/smp.$1"
}

plan 7

run_ok "insmod otbench" insmod $OT_DIR/otbench.ko
run_ok "insmod oomtrace mode=exact max_callsites=16384" insmod $OT_DIR/oomtrace.ko mode=exact \
	max_callsites=16384
run_ok "10000 call sites" sh -c "echo sites >/proc/otbench"
nsites=$(grep -c otbench $OT_PROC/callsites)
ok '[ "$nsites" -ge 10000 ]' "10000 call sites tracked"
cmp_ok "$(nproc)" -ge 2 "two CPUs"

rm -f /tmp/smp.*
r=0
fails=0
while [ $r -lt "$REPS" ]; do
	cpu1 alone || fails=$((fails + 1))
	(while :; do cat $OT_PROC/callsites $OT_PROC/slabs >/dev/null; done) &
	reader=$!
	taskset -p 1 $reader >/dev/null
	cpu1 reading || fails=$((fails + 1))
	kill $reader
	wait $reader 2>/dev/null
	r=$((r + 1))
done
is "$fails" 0 "$REPS rounds: CPU 1 alone, then while CPU 0 reads"

echo "# make bench, part 2: TCG WALL CLOCK, 2 vCPUs ($(uname -r)), ns per alloc+free (not"
echo "# instructions), median of $REPS rounds; oomtrace exact, $nsites call sites tracked;"
echo "# otbench on CPU 1: $LOOPS alloc+free per pattern; reader on CPU 0: callsites + slabs in a loop"
for p in $(awk '!seen[$1]++ { print $1 }' /tmp/smp.alone); do
	a=$(awk -v p="$p" '$1 == p { print $2 }' /tmp/smp.alone | median)
	b=$(awk -v p="$p" '$1 == p { print $2 }' /tmp/smp.reading | median)
	awk -v p="$p" -v a="$a" -v b="$b" 'BEGIN {
		printf "# %-16s CPU 1 alone %8d ns, while CPU 0 reads %8d ns (%.2fx)\n", p, a, b, b / (a ? a : 1)
	}'
done
run_ok "rmmod oomtrace, otbench" sh -c "rmmod oomtrace && rmmod otbench"
