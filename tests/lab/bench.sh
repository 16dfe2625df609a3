#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# make bench: allocator cost without oomtrace, in exact mode and in sampled
# mode, all in one boot (only ratios mean something under TCG), plus the
# accuracy of sampled mode on a 64 MiB leak and the module's own memory.
#   otbench.ko   kmalloc/kfree 8..4096 B, kmem_cache, alloc_pages order 0 and
#                3: a thread per CPU, all CPUs at once, ns per alloc+free
#   floor        otbench's empty probes on oomtrace's tracepoints: the cost of
#                the tracepoint calls alone, the floor of any such tracker
#   churn        macro workloads in user space: file create/stat/unlink on
#                tmpfs, AF_UNIX socketpair + 64 B round trip
# The configurations take turns, REPS rounds; medians per configuration. Knobs
# (GUEST_ENV): BENCH_LOOPS (30000), BENCH_REPS (7), BENCH_OPS (3000).
# lab: mem=512 timeout=900

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

LOOPS=${BENCH_LOOPS:-30000}
REPS=${BENCH_REPS:-7}
OPS=${BENCH_OPS:-3000}
MIB64=67108864

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run_one TAG: one run of everything, appended to /tmp/bench.raw.TAG
run_one() {
	{
		printf 'run %s\n' "$LOOPS" >/proc/otbench || return 1
		cat /proc/otbench
		churn files "$OPS" || return 1
		churn sockets "$OPS" || return 1
	} >>"/tmp/bench.raw.$1"
}

# round: every configuration once, back to back, so that drift of the host
# (TCG shares it) spreads over all of them alike
round() {
	run_one base &&
		echo probes on >/proc/otbench && run_one null && echo probes off >/proc/otbench &&
		insmod $OT_DIR/oomtrace.ko mode=exact && run_one exact &&
		echo mode sampled >$OT_PROC/control && run_one sampled &&
		rmmod oomtrace
}

# medians TAG: the median per pattern of TAG's runs, into /tmp/bench.TAG
medians() {
	for p in $(awk '!seen[$1]++ { print $1 }' "/tmp/bench.raw.$1"); do
		echo "$p $(awk -v p="$p" '$1 == p { print $2 }' "/tmp/bench.raw.$1" | median)"
	done >"/tmp/bench.$1"
}

get() { awk -v p="$2" '$1 == p { print $2 }' "/tmp/bench.$1"; }

plan 13

run_ok "insmod otbench" insmod $OT_DIR/otbench.ko
rm -f /tmp/bench.raw.*
i=0
fails=0
while [ $i -lt "$REPS" ]; do
	round || fails=$((fails + 1))
	i=$((i + 1))
done
is "$fails" 0 "$REPS rounds of: no oomtrace, empty probes, exact, sampled"
for t in base null exact sampled; do
	medians $t
done

run_ok "insmod oomtrace mode=exact max_callsites=16384" insmod $OT_DIR/oomtrace.ko mode=exact \
	max_callsites=16384
exact_mem=$(ot_status module_bytes)
cap=$(ot_status capacity)

# Reading every file with 10000 call sites tracked: wall time, and the cost
# of allocations on the CPUs meanwhile (a reader loop in the background).
run_ok "10000 call sites" sh -c "echo sites >/proc/otbench"
nsites=$(grep -c otbench $OT_PROC/callsites)
r=0
while [ $r -lt "$REPS" ]; do
	churn read $OT_PROC/status $OT_PROC/slabs $OT_PROC/modules $OT_PROC/callsites \
		$OT_PROC/module_slabs $OT_PROC/events | awk '{ print $2 / 1000 }'
	r=$((r + 1))
done >/tmp/bench.read
read_ms=$(median </tmp/bench.read)
# CPU 1 allocates alone, then while CPU 0 reads in a loop.
printf 'run %s 1\n' "$LOOPS" >/proc/otbench
cp /proc/otbench /tmp/bench.alone
(while :; do cat $OT_PROC/callsites $OT_PROC/slabs >/dev/null; done) &
reader=$!
taskset -p 1 $reader >/dev/null
printf 'run %s 1\n' "$LOOPS" >/proc/otbench
kill $reader
wait $reader 2>/dev/null
cp /proc/otbench /tmp/bench.reading

# Accuracy: 64 MiB leaked in 4 KiB kmallocs, estimated in sampled mode.
run_ok "control: mode sampled" sh -c "echo mode sampled >$OT_PROC/control"
sample_bytes=$(ot_status sample_bytes)
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
run_ok "leak 64 MiB" lk_cmd kmalloc 16384 4096
est=$(ot_field $OT_PROC/modules leaker live_bytes)
run_ok "free, rmmod leaker" sh -c "echo free >$LK_PROC && rmmod leaker"
run_ok "rmmod oomtrace" rmmod oomtrace

echo "# benchmark: ns per op, median of $REPS interleaved rounds; otbench: $LOOPS alloc+free"
echo "# per CPU, all CPUs at once; churn: $OPS ops; ratio = configuration / base; $(nproc) CPUs"
echo "# floor: empty probes on the same tracepoints (what any tracepoint-based tracker pays)"
printf '# %-16s %8s %8s %5s %8s %5s %8s %5s\n' pattern base floor ratio exact ratio sampled ratio
while read -r p b; do
	awk -v p="$p" -v b="$b" -v f="$(get null "$p")" -v e="$(get exact "$p")" \
		-v s="$(get sampled "$p")" 'BEGIN {
		m = b ? b : 1
		printf "# %-16s %8d %8d %5.2f %8d %5.2f %8d %5.2f\n", p, b, f, f / m, e, e / m, s, s / m
	}'
done </tmp/bench.base
echo "# module memory (exact, max_callsites=16384): $exact_mem bytes for $cap objects: $((exact_mem / cap)) B/object"
echo "# reading every file with $nsites otbench call sites tracked: $read_ms ms (median)"
awk 'NR == FNR { e[$1] = $2; next } e[$1] { printf "# %-16s CPU 1 alone %8d ns/op, while CPU 0 reads %8d (%.2fx)\n", $1, e[$1], $2, $2 / e[$1] }' \
	/tmp/bench.alone /tmp/bench.reading
awk -v e="$est" -v t=$MIB64 -v sb="$sample_bytes" 'BEGIN {
	printf "# sampled accuracy (sample_bytes=%d): 64 MiB leak estimated %d bytes (%+.1f%%)\n", sb, e, (e - t) * 100 / t
}'
ok '[ "$(wc -l </tmp/bench.base)" -eq 9 ]' "9 patterns measured"
ok '[ "$est" -gt 0 ]' "sampled mode saw the leak"
ok '[ "$nsites" -ge 10000 ]' "10000 call sites tracked"
run_ok "rmmod otbench" rmmod otbench
