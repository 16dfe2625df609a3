#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# make bench, part 1: what oomtrace costs, in instructions. The boot runs
# under QEMU's icount (icount=1 below: one vCPU, single-threaded TCG,
# -icount shift=0,sleep=off): the guest clock advances one nanosecond per
# instruction executed, so every "ns" a workload measures is an instruction
# count, the same from run to run whatever the host's load.
#   otbench.ko     kmalloc/kfree 8..4096 B, kmem_cache, alloc_pages order 0
#                  and 3: instructions per alloc+free, batches of 16
#   churn          macro workloads in user space: file create/write/stat/
#                  unlink on tmpfs, AF_UNIX socketpair + 64 B round trip,
#                  TCP request/response over 127.0.0.1 (64 B each way)
#   perf           perf bench sched messaging (hackbench): 4 groups of 20
#                  senders and 20 receivers over socketpairs; per message
#                  (one group: +-3.5% from run to run, four: +-0.8%; 8
#                  loops moved the median of 5 rounds by 1.1% between two
#                  runs, hence 16)
#   drbd           DRBD 8.4 replicated writes: r0 and r1 on two RAM disks,
#                  connected over 127.0.0.1 <-> 127.0.0.2 (protocol C, as
#                  scenarios/drbd_repl.sh), 1 MiB O_DIRECT writes to r0;
#                  per MiB, the CPU's idle time (DRBD waits on timers) taken
#                  out, and MiB per second of guest time (idle included)
# Configurations: base (no oomtrace), floor (otbench's empty probes on the
# tracepoints oomtrace uses: what any tracepoint-based tracker pays), exact,
# sampled (sample_bytes=65536). REPS rounds, each running every
# configuration once, the order rotated by one from round to round; per
# configuration the median and the spread ((max - min) / median) over the
# rounds. One line per pattern for machines:
#   bench: PATTERN base=N floor=N exact=N sampled=N unit=instructions
# Then: the module's memory per object, the instructions to read every
# /proc/oomtrace file with 10000 call sites tracked, sampled mode's estimate
# of a 64 MiB leak, and each target of issue 21 met or missed. Idle time is
# guest time without instructions (sleep=off): the workloads never idle,
# and a test checks that they did not (but DRBD, whose idle time is taken
# out and shown).
# Knobs (GUEST_ENV): BENCH_LOOPS (30000), BENCH_REPS (5), BENCH_OPS (3000;
# perf messaging runs OPS / 187 loops of 1600 messages: perf prints
# milliseconds, a million instructions, and 16 loops take ~700 million;
# DRBD writes OPS / 200 MiB).
# Part 2, the cost of readers to allocators on two vCPUs, is wall-clock TCG:
# bench_smp.sh.
# nokaslr: with KASLR the kernel's and the modules' addresses change from boot
# to boot, and with them the lengths of hash probes (oomtrace's site map)
# and of the ORC unwinder's lookups: exact mode's alloc_pages-0 moved by
# 2.4% between two boots, with a spread of 0.0% within each.
# lab: mem=512 timeout=2400 icount=1 bins="/usr/bin/perf" modules="drbd brd" cmdline="nokaslr"

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

LOOPS=${BENCH_LOOPS:-30000}
REPS=${BENCH_REPS:-5}
OPS=${BENCH_OPS:-3000}
MSG_LOOPS=$((OPS / 187))
[ $MSG_LOOPS -ge 1 ] || MSG_LOOPS=1
DRBD_MIB=$((OPS / 200))
[ $DRBD_MIB -ge 1 ] || DRBD_MIB=1
CONFIGS="base floor exact sampled"
S=/lib/drbd/drbdsetup-84
MIB64=67108864

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

idle_us() { awk '$1 == "idle-us" { print $2 }' /proc/otbench; }

# One workload each; every one prints "PATTERN instructions_per_op" lines.
otb() {
	printf 'run %s\n' "$LOOPS" >/proc/otbench && grep -v '^idle-us ' /proc/otbench
}
messaging() {
	local s
	s=$(perf bench -f simple sched messaging -g 4 -l $MSG_LOOPS) || return 1
	awk -v s="$s" -v n=$((1600 * MSG_LOOPS)) 'BEGIN { printf "perf-messaging %d\n", s * 1e9 / n }'
}

# drbd_writes: "drbd-write INSTRUCTIONS_PER_MIB", "x-drbd-ns PER_MIB" (guest
# time, idle included) and "x-drbd-idle-us US"
drbd_writes() {
	local i0 ns
	i0=$(idle_us)
	ns=$(churn dwrite /dev/drbd0 $DRBD_MIB | awk '{ print $2 }') && [ -n "$ns" ] || return 1
	awk -v ns="$ns" -v i=$(($(idle_us) - i0)) -v n=$DRBD_MIB 'BEGIN {
		printf "drbd-write %d\nx-drbd-ns %d\nx-drbd-idle-us %d\n", ns - i * 1000 / n, ns, i
	}'
}

# wl NAME CMD...: CMD's lines, then "idle-NAME US", the idle time meanwhile
wl() {
	local name=$1 i0
	shift
	i0=$(idle_us)
	"$@" || return 1
	echo "idle-$name $(($(idle_us) - i0))"
}

# run_one CONF: every workload once, appended to /tmp/bench.raw.CONF
run_one() {
	{
		wl otbench otb &&
			wl files churn files "$OPS" &&
			wl sockets churn sockets "$OPS" &&
			wl tcp-rr churn tcp-rr "$OPS" &&
			wl messaging messaging &&
			drbd_writes
	} >>"/tmp/bench.raw.$1"
}

# config CONF: CONF set up, measured, taken down
config() {
	case $1 in
	base) run_one base ;;
	floor)
		echo probes on >/proc/otbench || return 1
		run_one floor || { echo probes off >/proc/otbench; return 1; }
		echo probes off >/proc/otbench
		;;
	*)
		insmod $OT_DIR/oomtrace.ko mode="$1" || return 1
		run_one "$1" || { rmmod oomtrace; return 1; }
		rmmod oomtrace
		;;
	esac
}

both() { [ "$(grep -c "$1" /proc/drbd)" = 2 ]; }

# drbd_up: r0 (primary) and r1 on /dev/ram0 and /dev/ram1, connected, in
# sync without a resync (new-current-uuid --clear-bitmap: both are empty)
drbd_up() {
	modprobe drbd minor_count=1 usermode_helper=/bin/true &&
		modprobe brd rd_nr=2 rd_size=32768 || return 1
	mkdir -p /var/lib/drbd /run/drbd /var/lock
	for r in 0 1; do
		$S new-resource r$r && $S new-minor r$r $r 0 &&
			echo yes | drbdmeta --force $r v08 /dev/ram$r internal create-md >/dev/null 2>&1 &&
			$S attach $r /dev/ram$r /dev/ram$r internal || return 1
	done
	$S connect r0 ipv4:127.0.0.1:7789 ipv4:127.0.0.2:7789 --protocol=C &&
		$S connect r1 ipv4:127.0.0.2:7789 ipv4:127.0.0.1:7789 --protocol=C &&
		wait_until 30 both cs:Connected &&
		$S new-current-uuid --clear-bitmap 0 &&
		wait_until 30 both ds:UpToDate/UpToDate &&
		$S primary 0
}

# rotated N: CONFIGS starting at the (N mod 4)th
rotated() {
	echo $CONFIGS $CONFIGS | awk -v n="$1" '{ for (i = 0; i < 4; i++) printf "%s ", $(n % 4 + 1 + i) }'
}

# stats CONF: "PATTERN median spread%" per pattern of CONF's runs, into
# /tmp/bench.CONF
stats() {
	for p in $(awk '$1 !~ /^(idle|x)-/ && !seen[$1]++ { print $1 }' "/tmp/bench.raw.$1"); do
		awk -v p="$p" '$1 == p { print $2 }' "/tmp/bench.raw.$1" | sort -n |
			awk -v p="$p" '{ v[NR] = $1 } END {
				m = v[int((NR + 1) / 2)]
				printf "%s %d %.1f\n", p, m, m ? (v[NR] - v[1]) * 100 / m : 0
			}'
	done >"/tmp/bench.$1"
}

get() { awk -v p="$2" -v c="${3:-2}" '$1 == p { print $c }' "/tmp/bench.$1"; }

plan 18

run_ok "insmod otbench" insmod $OT_DIR/otbench.ko
run_ok "DRBD: r0 primary, replicating to r1 over TCP, in sync" drbd_up
ok '[ "$(idle_us)" -ge 0 ]' "the kernel keeps idle time (otbench's idle-us)"
# One untimed run first: the first configuration of round 1 would pay alone
# for what any first run grows (dentries, socket and skb slabs, ...).
run_ok "warm-up run" run_one warm-up
rm -f /tmp/bench.raw.*
i=0
fails=0
order=""
while [ $i -lt "$REPS" ]; do
	for c in $(rotated $i); do
		config "$c" || fails=$((fails + 1))
	done
	order="$order$(rotated $i | cut -c1)"
	i=$((i + 1))
done
is "$fails" 0 "$REPS rounds of: no oomtrace, empty probes, exact, sampled"
for c in $CONFIGS; do
	stats "$c"
done
idle=$(cat /tmp/bench.raw.* | awk '$1 ~ /^idle-/ { s += $2 } END { print s + 0 }')
is "$idle" 0 "no workload left the CPU idle (idle time is no instructions)"

run_ok "DRBD down, rmmod drbd brd" sh -c "$S down r0 && $S down r1 && rmmod drbd brd"

run_ok "insmod oomtrace mode=exact max_callsites=16384" insmod $OT_DIR/oomtrace.ko mode=exact \
	max_callsites=16384
exact_mem=$(ot_status module_bytes)
cap=$(ot_status capacity)

# Reading every file with 10000 call sites tracked.
run_ok "10000 call sites" sh -c "echo sites >/proc/otbench"
nsites=$(grep -c otbench $OT_PROC/callsites)
r=0
while [ $r -lt "$REPS" ]; do
	churn read $OT_PROC/status $OT_PROC/slabs $OT_PROC/modules $OT_PROC/callsites \
		$OT_PROC/module_slabs $OT_PROC/events | awk '{ print $2 }'
	r=$((r + 1))
done >/tmp/bench.read
read_k=$(median </tmp/bench.read)

# Accuracy: 64 MiB leaked in 4 KiB kmallocs, estimated in sampled mode.
run_ok "control: mode sampled" sh -c "echo mode sampled >$OT_PROC/control"
sample_bytes=$(ot_status sample_bytes)
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
run_ok "leak 64 MiB" lk_cmd kmalloc 16384 4096
est=$(ot_field $OT_PROC/modules leaker live_bytes)
run_ok "free, rmmod leaker" sh -c "echo free >$LK_PROC && rmmod leaker"
run_ok "rmmod oomtrace" rmmod oomtrace

echo "# make bench: instructions per operation (QEMU icount, 1 vCPU, $(uname -r)), median of"
echo "# $REPS rounds, configurations rotated (first per round: $order); spr = (max - min) / median"
echo "# otbench: $LOOPS alloc+free per pattern, batches of 16; churn: $OPS ops; perf-messaging:"
echo "# perf bench sched messaging -g 4 -l $MSG_LOOPS, per message; drbd-write: $DRBD_MIB MiB, per MiB;"
echo "# ratio = configuration / base"
printf '# %-16s %7s %5s %7s %5s %5s %7s %5s %5s %7s %5s %5s\n' pattern base spr floor ratio spr \
	exact ratio spr sampled ratio spr
while read -r p b bs; do
	awk -v p="$p" -v b="$b" -v bs="$bs" -v f="$(get floor "$p")" -v fs="$(get floor "$p" 3)" \
		-v e="$(get exact "$p")" -v es="$(get exact "$p" 3)" \
		-v s="$(get sampled "$p")" -v ss="$(get sampled "$p" 3)" 'BEGIN {
		m = b ? b : 1
		printf "# %-16s %7d %4.1f%% %7d %5.2f %4.1f%% %7d %5.2f %4.1f%% %7d %5.2f %4.1f%%\n",
			p, b, bs, f, f / m, fs, e, e / m, es, s, s / m, ss
	}'
done </tmp/bench.base
while read -r p b _; do
	echo "bench: $p base=$b floor=$(get floor "$p") exact=$(get exact "$p") sampled=$(get sampled "$p") unit=instructions"
done </tmp/bench.base
for c in $CONFIGS; do
	m=$(awk '$1 == "x-drbd-ns" { print $2 }' /tmp/bench.raw.$c | median)
	awk -v c=$c -v n=$DRBD_MIB -v m="$m" '$1 == "x-drbd-idle-us" { i += $2; k++ } END {
		printf "# drbd %-8s %6.1f MiB/s of guest time (1 instruction per ns), idle %4.1f%% of it\n",
			c, m ? 1e9 / m : 0, m ? i * 1000 * 100 / (k * n * m) : 0 }' /tmp/bench.raw.$c
done
echo "# module memory (exact, max_callsites=16384): $exact_mem bytes for $cap objects: $((exact_mem / cap)) B/object"
echo "# reading every file with $nsites otbench call sites tracked: $read_k k instructions (median)"
awk -v e="$est" -v t=$MIB64 -v sb="$sample_bytes" 'BEGIN {
	printf "# sampled accuracy (sample_bytes=%d): 64 MiB leak estimated %d bytes (%+.1f%%)\n", sb, e, (e - t) * 100 / t
}'

# The targets of issue 21, met or missed: over the floor (+N instructions)
# for the slab patterns, a ratio to base for pages (exact) and the macro
# workloads.
target() { # target WHAT GOT LIMIT: lower is better
	awk -v w="$1" -v g="$2" -v l="$3" 'BEGIN {
		printf "# target %-34s %9s <= %-7s %s\n", w, g, l, (g + 0 <= l + 0) ? "met" : "MISSED"
	}'
}
over() { echo $(($(get "$1" "$2") - $(get floor "$2"))); }
ratio() { awk -v a="$(get "$1" "$2")" -v b="$(get base "$2")" 'BEGIN { printf "%.3f", a / (b ? b : 1) }'; }
for p in kmalloc-8 kmalloc-64 kmalloc-256 kmalloc-4096 kmem_cache-192; do
	target "sampled $p over floor" "+$(over sampled $p)" 15
done
target "sampled alloc_pages-0 over floor" "+$(over sampled alloc_pages-0)" 40
for p in churn-files churn-sockets churn-tcp-rr perf-messaging drbd-write; do
	target "sampled $p / base" "$(ratio sampled $p)" 1.02
done
for p in kmalloc-8 kmalloc-64 kmalloc-256 kmalloc-4096 kmem_cache-192; do
	target "exact $p over floor" "+$(over exact $p)" 120
done
target "exact alloc_pages-0 / base" "$(ratio exact alloc_pages-0)" 2.0
for p in churn-files churn-sockets churn-tcp-rr perf-messaging drbd-write; do
	target "exact $p / base" "$(ratio exact $p)" 1.10
done
target "memory per object (bytes)" $((exact_mem / cap)) 32
target "read all files, 10000 sites (M instr)" "$(awk -v k="$read_k" 'BEGIN { printf "%.1f", k / 1000 }')" 20

ok '[ "$(wc -l </tmp/bench.base)" -eq 12 ]' "12 patterns measured"
ok '[ "$est" -gt 0 ]' "sampled mode saw the leak"
ok '[ "$nsites" -ge 10000 ]' "10000 call sites tracked"
run_ok "rmmod otbench" rmmod otbench
