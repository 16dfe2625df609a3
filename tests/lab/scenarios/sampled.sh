# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Sampled mode: chosen at load time (mode=, sample_bytes=, out-of-range
# values refused) or through control ("mode exact", "mode sampled [BYTES]",
# bad forms rejected with the state unchanged); said by status and by every
# file's banner. Its estimates of 64 MiB leaked by leaker in 4 KiB kmallocs
# and in single pages are within 10% of the truth, allocations of
# sample_bytes or more are exact, and everything nets back to
# leaker's starting estimate once freed.
# lab: cmdline="slab_nomerge" needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

OT=$OT_DIR/oomtrace.ko
MIB64=67108864

plan 32

# within PCT GOT WANT: |GOT - WANT| <= PCT% of WANT
within() {
	awk -v p="$1" -v g="$2" -v w="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d * 100 <= p * w) }'
}

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
run_ok "leak 64 MiB in 16384 x 4 KiB kmallocs" lk_cmd kmalloc 16384 4096
got=$(($(leaker_bytes) - base))
diag "estimate of 67108864 bytes of kmalloc: $got"
ok "within 10 '$got' $MIB64" "estimate within 10% of 64 MiB"
cmp_ok "$(($(ot_status allocs_seen) - seen0))" -ge 16384 "allocs_seen counts every allocation"
ok "ot_check_invariants $OT_PROC/modules" "modules invariants hold"
ok "ot_check_invariants $OT_PROC/slabs" "slabs invariants hold"
run_ok "free" lk_cmd free
is "$(leaker_bytes)" "$base" "freed: leaker's estimate back to where it started" || ot_diag_module leaker

run_ok "leak 64 MiB in 16384 single pages" lk_cmd pages 16384 0
got=$(ot_field $OT_PROC/modules leaker page_bytes)
diag "estimate of 67108864 bytes of pages: $got"
ok "within 10 '$got' $MIB64" "page estimate within 10% of 64 MiB"
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
run_ok "mode exact accepted" ctl mode exact
is "$(ot_status mode) $(head -n 1 $OT_PROC/slabs)" "exact # oomtrace slabs format=1 mode=exact" \
	"status and banners say exact"
run_ok "leak 1000 x 4 KiB" lk_cmd kmalloc 1000 4096
is "$(leaker_bytes)" 4096000 "exact again: 4096000 bytes"
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
