# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Sampled mode: chosen at load time (mode=, sample_bytes=, out-of-range
# values refused) or through control ("mode exact", "mode sampled [BYTES]",
# bad forms rejected with the state unchanged); said by status and by every
# file's banner. Its estimates of 256 MiB leaked by leaker in 4 KiB
# kmallocs and in single pages are within the bound the sampling math gives
# (below), allocations of sample_bytes or more are exact, and everything
# nets back to leaker's starting estimate once freed.
#
# The bound. A leak of L bytes is estimated as N x P, N the sample points
# that fell inside it, P = sample_bytes. E[N] = L / P: unbiased. Points are
# P/2..3P/2 apart; if the leak's allocations were all the CPU allocated,
# N would vary by sqrt(L / 12P) only. They are not: for kmalloc-4k, slab
# pages (32 KiB, order 3) take half of the CPU's stream, so a point lands in
# the leak or next to it almost like a coin toss. The bound is taken for
# the worst case, each point in the leak independently (Poisson): sd(N x P)
# = sqrt(P x L), 1.56% of L for P = 64 KiB and L = 256 MiB; four standard
# deviations, 6.25%, fail a correct module about once in 16000 runs.
# (Measured spread: see the closing diag lines and BENCHMARKS.md.)
# lab: mem=640 cmdline="slab_nomerge" needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

OT=$OT_DIR/oomtrace.ko
LEAK=268435456

# isqrt N: the integer square root (Newton; busybox awk has no sqrt)
isqrt() {
	local x=$1 y
	[ "$x" -gt 1 ] || { echo "$x"; return; }
	y=$(((x + 1) / 2))
	while [ "$y" -lt "$x" ]; do
		x=$y
		y=$(((x + $1 / x) / 2))
	done
	echo "$x"
}
# Four standard deviations of the worst case: 4 x sqrt(P x L) bytes,
# 16777216 (6.25% of 256 MiB) for P = 65536.
TOL=$((4 * $(isqrt $((65536 * LEAK)))))

plan 34

# within TOL GOT WANT: |GOT - WANT| <= TOL
within() {
	local d=$(($2 - $3))
	[ "${d#-}" -le "$1" ]
}
# pct GOT WANT: the error in percent, for the diag lines
pct() { awk -v g="$1" -v w="$2" 'BEGIN { printf "%+.2f%%", (g - w) * 100 / w }'; }

leaker_bytes() {
	ot_field $OT_PROC/modules leaker live_bytes
}

# ctl CMD: write CMD to control; fails if the write is rejected
ctl() {
	printf '%s\n' "$*" >$OT_PROC/control
}

run_fails "mode=bogus refused" insmod $OT mode=bogus
run_fails "sample_bytes=100 refused" insmod $OT mode=sampled sample_bytes=100
run_fails "sample_bytes=8388608 refused" insmod $OT mode=sampled sample_bytes=8388608
run_ok "insmod mode=sampled" insmod $OT mode=sampled
is "$(ot_status mode) $(ot_status sample_bytes)" "sampled 65536" "status: sampled, 65536 bytes"
bad=0
for f in slabs modules callsites module_slabs events; do
	head -n 2 $OT_PROC/$f | tr '\n' ' ' | grep -q "^# oomtrace $f format=1 mode=sampled # sample_bytes=65536 " ||
		bad="$bad $f"
done
is "$bad" 0 "every file's banner says mode=sampled and sample_bytes"

run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
# leaker's init keeps its mempool: 4 reserve objects and their pointer array
# (1824 bytes). About one run in 36 a sample point falls in them and leaker
# starts at 65536, not 0 (measured: 1 in 60 loads; 2 in 10 runs on the
# debug kernel).
base=$(leaker_bytes || echo 0)	# no row yet: nothing sampled
ok "[ $base = 0 ] || [ $base = 65536 ]" "leaker starts at 0 or one sample: $base"
[ "$base" = 0 ] || ot_diag_module leaker
seen0=$(ot_status allocs_seen)
run_ok "leak 256 MiB in 65536 x 4 KiB kmallocs" lk_cmd kmalloc 65536 4096
got=$(($(leaker_bytes) - base))
diag "estimate of $LEAK bytes of kmalloc: $got ($(pct "$got" $LEAK))"
ok "within $TOL '$got' $LEAK" "kmalloc estimate within $TOL bytes (4 sd, 6.25%) of 256 MiB"
cmp_ok "$(($(ot_status allocs_seen) - seen0))" -ge 65536 "allocs_seen counts every allocation"
ok "ot_check_invariants $OT_PROC/modules" "modules invariants hold"
ok "ot_check_invariants $OT_PROC/slabs" "slabs invariants hold"
run_ok "free" lk_cmd free
is "$(leaker_bytes)" "$base" "freed: leaker's estimate back to where it started" || ot_diag_module leaker

run_ok "leak 256 MiB in 65536 single pages" lk_cmd pages 65536 0
got=$(ot_field $OT_PROC/modules leaker page_bytes)
diag "estimate of $LEAK bytes of pages: $got ($(pct "$got" $LEAK))"
ok "within $TOL '$got' $LEAK" "page estimate within $TOL bytes (4 sd, 6.25%) of 256 MiB"
run_ok "free" lk_cmd free
is "$(leaker_bytes)" "$base" "freed pages: back to where it started" || ot_diag_module leaker
run_ok "leak 10 order-4 blocks (64 KiB each, = sample_bytes)" lk_cmd pages 10 4
is "$(ot_field $OT_PROC/modules leaker page_bytes)" 655360 "allocations >= sample_bytes are exact"
run_ok "free" lk_cmd free

epoch=$(ot_status epoch)
for c in "mode" "mode bogus" "mode exact 4096" "mode sampled 100" "mode sampled 8388608" \
	"mode sampled 64k" "mode sampled 4096 x" "modesampled"; do
	if ctl "$c" 2>/dev/null; then
		diag "accepted: $c"
		bad=1
	fi
done
is "$bad" 0 "bad mode commands rejected"
is "$(ot_status mode) $(ot_status sample_bytes) $(ot_status epoch)" "sampled 65536 $epoch" \
	"state unchanged by them"
run_ok "mode sampled 4096 accepted" ctl mode sampled 4096
is "$(ot_status mode) $(ot_status sample_bytes) $(ot_status epoch)" "sampled 4096 $((epoch + 1))" \
	"sample_bytes 4096, a new epoch"
# Object counts are as unbiased as bytes: a sample stands for n x P / s
# objects, rounded up or down with the probability of the fraction (it was
# rounded to nearest: -18% at P = 5000, +33% at P = 6144 in kmalloc-4k).
# 80 MiB: sd = sqrt(P / L) < 0.9%, 5% is more than 5 sd.
for p in 5000 6144; do
	ctl mode sampled $p
	lk_cmd kmalloc 20000 4096
	objs=$(awk '$1 == "leaker" && $2 == "kmalloc-4k" { print $3 }' $OT_PROC/module_slabs)
	diag "sample_bytes=$p: leaker's 20000 kmalloc-4k objects estimated as $objs"
	ok "within 1000 '${objs:-0}' 20000" "sample_bytes=$p: 20000 objects estimated within 5% ($objs)"
	lk_cmd free
done
run_ok "mode exact accepted" ctl mode exact
is "$(ot_status mode) $(head -n 1 $OT_PROC/slabs)" "exact # oomtrace slabs format=1 mode=exact" \
	"status and banners say exact"
run_ok "leak 1000 x 4 KiB" lk_cmd kmalloc 1000 4096
is "$(leaker_bytes)" 4096000 "exact again: 4096000 bytes"
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
