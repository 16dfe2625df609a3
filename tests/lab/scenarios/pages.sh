#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Page allocator attribution: alloc_pages() of orders 0, 2 and 5 lands in the
# leaker's page_bytes exactly, so do alloc_pages_exact() and split blocks
# once their tails are freed; large kmalloc is counted once; a leak survives
# rmmod as a gone row; page cache traffic on tmpfs is no module's leak.
# lab: mem=512 timeout=240
. /opt/oomtrace/lib.sh

plan 33

M=$OT_PROC/modules
pb() { ot_field $M leaker page_bytes 2>/dev/null || echo 0; }
sb() { ot_field $M leaker slab_bytes 2>/dev/null || echo 0; }

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker leak_on_unload=1" insmod $OT_DIR/leaker.ko leak_on_unload=1
p0=$(pb)
lk_cmd pages 16 0
is "$(pb)" $((p0 + 16 * 4096)) "16 order-0 pages: page_bytes +64 KiB exactly"
lk_cmd pages 8 2
is "$(pb)" $((p0 + 16 * 4096 + 8 * 16384)) "8 order-2 pages: page_bytes +128 KiB exactly"
lk_cmd pages 4 5
want=$((p0 + 16 * 4096 + 8 * 16384 + 4 * 131072))
is "$(pb)" "$want" "4 order-5 pages: page_bytes +512 KiB exactly"
is "$(ot_field $OT_PROC/slabs pages top_module)" leaker "slabs: the pages row's top module is leaker"
ok 'grep -q "^leaker_[a-z_]*+0x[0-9a-f]*/0x[0-9a-f]* leaker 28 0 28 720896$" $OT_PROC/callsites' \
	"callsites: one leaker row with the 28 page allocations"
run_ok "invariants (modules)" ot_check_invariants $M
lk_cmd free
is "$(pb)" "$p0" "free: page_bytes back to the baseline"

# alloc_pages_exact(5 pages) takes an order-3 block and frees its last 3
# pages before it returns; free_pages_exact() frees the 5 one by one. A
# split_page() block's pages are freed one by one too, in any order.
cs() { # cs ALLOCS FREES LIVE BYTES: leaker's callsites rows with these numbers
	awk -v w="$*" '$2 == "leaker" && $3 " " $4 " " $5 " " $6 == w { n++ } END { print n + 0 }' \
		$OT_PROC/callsites
}
lk_cmd exact 4 20480
is "$(pb)" $((p0 + 4 * 20480)) "4 x alloc_pages_exact(5 pages): page_bytes +80 KiB, not 4 order-3 blocks"
is "$(cs 4 0 4 81920)" 1 "callsites: one leaker row, 4 allocations holding 80 KiB"
lk_cmd split 2 3 5
is "$(pb)" $((p0 + 6 * 20480)) "2 order-3 blocks split, 3 pages of each freed: +40 KiB more"
is "$(cs 2 0 2 40960)" 1 "callsites: one leaker row, 2 split blocks holding 40 KiB"
run_ok "invariants (modules)" ot_check_invariants $M
lk_cmd free
is "$(pb)" "$p0" "free_pages_exact: page_bytes back to the baseline"
is "$(cs 4 4 0 0) $(cs 2 2 0 0)" "1 1" "callsites: both rows freed whole"

s0=$(sb)
lf0=$(ot_status lost_frees)
lk_cmd kmalloc 10 65536
is "$(pb)" $((p0 + 655360)) "10 x 64 KiB kmalloc: page_bytes +640 KiB, counted once"
is "$(sb)" "$s0" "large kmalloc: slab_bytes unchanged"
is "$(awk '$1 == "leaker" && $2 == "kmalloc-large" { print $4 }' $OT_PROC/module_slabs)" 655360 \
	"module_slabs: leaker kmalloc-large 640 KiB"
# 6.12 traces a large kmalloc twice, the first time from inside __kmalloc*:
# one allocation, no lost free, no row for the allocator's own call site.
is "$(cs 10 0 10 655360)" 1 "callsites: one leaker row, 10 allocations holding 640 KiB"
is "$(ot_status lost_frees)" "$lf0" "large kmalloc: no lost free"
is "$(grep -c '^__kmalloc' $OT_PROC/callsites)" 0 "callsites: no row inside __kmalloc*"
lk_cmd free
is "$(pb)" "$p0" "large kmalloc freed: page_bytes back"

# Page cache: 100 MiB written to tmpfs and read back is no module's leak.
k0=$(ot_field $M '[kernel]' page_bytes)
l0=$(ot_field $M leaker live_bytes)
mkdir -p /mnt/t && mount -t tmpfs -o size=128m tmpfs /mnt/t
dd if=/dev/zero of=/mnt/t/f bs=1M count=100 2>/dev/null
cat /mnt/t/f >/dev/null
k1=$(ot_field $M '[kernel]' page_bytes)
diag "[kernel] page_bytes before/after 100 MiB on tmpfs: $k0 / $k1"
cmp_ok $((k1 - k0)) -lt 8388608 "100 MiB of tmpfs page cache: [kernel] page_bytes grows < 8 MiB"
is "$(ot_field $M leaker live_bytes)" "$l0" "tmpfs traffic: leaker unchanged"
rm /mnt/t/f; umount /mnt/t

lk_cmd pages 32 1
run_ok "rmmod leaker with 32 order-1 pages leaked" rmmod leaker
is "$(ot_field $M leaker state)" gone "gone row after rmmod"
is "$(ot_field $M leaker page_bytes)" $((p0 + 32 * 8192)) "gone row keeps the leaked 256 KiB of pages"
ot_invariants "after the leak"
run_ok "rmmod oomtrace" rmmod oomtrace
