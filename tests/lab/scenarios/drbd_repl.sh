#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Real DRBD 8.4 replication inside one guest: resources r0 and r1 on two RAM
# disks, connected over 127.0.0.1 <-> 127.0.0.2 with protocol C. A full
# initial sync and 16 MiB of writes through the primary cross TCP; the data
# is read back on the other side after switching roles. drbd's receive
# buffers come from drbd_alloc_pages(): they show in drbd's page_bytes and
# in a callsites row while replicating; after `down` drbd is back to its
# modprobe figure plus the pages parked in its global receive pool; after
# rmmod they are all freed. The reader, in the guest, shows the same.
#
# Ground truth from the kernel: booted with slab_nomerge, drbd's own caches
# (drbd_req, drbd_ee, drbd_bm, drbd_al) are created after oomtrace is
# loaded, so every object in them is in view; once quiet, oomtrace's live
# count of each must equal the kernel's in-use count, and drbd_req holds
# exactly its mempool reserve when /proc/drbd shows no request in flight.
# (Merged from drbd: a single-node resource proved the same attributions;
# its "allocs > 100" and "live_bytes > 0" are subsumed by the exact checks.)
#
# minor_count=1: drbd keeps one global pool of 256 x minor_count pages for
# receive buffers, preallocated at modprobe with GFP_HIGHUSER (counted, as a
# module's own GFP_HIGHUSER pages are: it is in the modprobe figure). With
# the default 32 that pool (32 MiB) absorbs all one guest can replicate and
# drbd_alloc_pages() never reaches the page allocator. With 1 (1 MiB), and
# the resync at a fixed 100 MB/s (c-plan-ahead=0: up to max-buffers, 8 MiB,
# in flight), the resync has to allocate pages, as on a busy node.
# lab: mem=640 timeout=400 modules="drbd brd" needs="oomtrace tool" cmdline="slab_nomerge"

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

M=$OT_PROC/modules
S=/lib/drbd/drbdsetup-84
PAGE=4096
MINORS=1
# drbd_alloc_pages() rows, in callsites or the reader's table:
# "__drbd_alloc_pages.constprop.0+0x3d/0x150 drbd ..." (for eval'ed conditions)
export APRE='^_*drbd_alloc_pages[.a-z0-9_]*+0x[0-9a-f]*/0x[0-9a-f]*  *drbd '

pb() { ot_field $M drbd page_bytes; }
# column COL (allocs, live_bytes, ...) of the drbd_alloc_pages row, 0 if none
ap() {
	awk -v c="$1" '/^#/ { n = split(substr($0, 2), h, " "); next }
		$2 == "drbd" && $1 ~ /^_*drbd_alloc_pages[.a-z0-9_]*\+0x/ {
			for (i = 1; i <= n; i++) if (h[i] == c) v += $i
		} END { print v + 0 }' $OT_PROC/callsites
}
# /proc/drbd counter KEY (ns, nr: KiB sent, received) of MINOR
cnt() {
	awk -v m="$1:" -v k="$2" '$1 == m { on = 1; next } on {
		for (i = 1; i <= NF; i++) if (index($i, k ":") == 1) { print substr($i, length(k) + 2); exit }
	}' /proc/drbd
}
both() { [ "$(grep -c "$1" /proc/drbd)" = 2 ]; }
# kernel_inuse CACHE: objects in use in CACHE, from the kernel. SLUB's
# "objects" is every object minus the free ones on the node partial lists
# (mm/slub.c, show_slab_objects()); shrink first moves every CPU's slabs
# back to the node, so the count is exact while nothing allocates.
kernel_inuse() {
	echo 1 >/sys/kernel/slab/$1/shrink
	cut -d' ' -f1 /sys/kernel/slab/$1/objects
}
# slab_live CACHE: oomtrace's live objects of CACHE (0 without a row)
slab_live() { ot_field $OT_PROC/slabs "$1" live 2>/dev/null || echo 0; }

plan 57

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk_cmd pages 64 2
is "$(ot_field $M leaker page_bytes)" $((64 * 16384)) "leaker: 64 order-2 pages, page_bytes 1 MiB exactly"

run_ok "modprobe drbd minor_count=$MINORS" modprobe drbd minor_count=$MINORS usermode_helper=/bin/true
run_ok "modprobe brd (2 x 32 MiB)" modprobe brd rd_nr=2 rd_size=32768
base=$(pb)
diag "drbd page_bytes after modprobe: $base (receive pool and meta-data I/O pages)"
cmp_ok "$base" -ge $((256 * MINORS * PAGE)) "after modprobe: drbd's GFP_HIGHUSER receive pool is counted"
mkdir -p /var/lib/drbd /run/drbd /var/lock
for r in 0 1; do
	$S new-resource r$r && $S new-minor r$r $r 0 &&
		echo yes | drbdmeta --force $r v08 /dev/ram$r internal create-md >/dev/null 2>&1 &&
		$S attach $r /dev/ram$r /dev/ram$r internal --c-plan-ahead=0 --resync-rate=100M
	is "$?" 0 "r$r: resource, minor $r, meta-data and disk /dev/ram$r"
done
run_ok "connect r0 127.0.0.1 -> 127.0.0.2" $S connect r0 ipv4:127.0.0.1:7789 ipv4:127.0.0.2:7789 --protocol=C
run_ok "connect r1 127.0.0.2 -> 127.0.0.1" $S connect r1 ipv4:127.0.0.2:7789 ipv4:127.0.0.1:7789 --protocol=C
run_ok "both connected" wait_until 30 both cs:Connected

# ---- initial full sync r0 -> r1 -------------------------------------------------
run_ok "primary r0 --force: full sync to r1" $S primary 0 --force
peak=$(pb)
i=0
while [ $i -lt 600 ] && ! both ds:UpToDate/UpToDate; do
	p=$(pb)
	[ "$p" -gt "$peak" ] && peak=$p
	sleep 0.2
	i=$((i + 1))
done
ok 'both ds:UpToDate/UpToDate' "the sync finished (both UpToDate)"
diag "drbd page_bytes peak while syncing: $peak (after modprobe: $base)"
cmp_ok "$peak" -gt "$base" "page_bytes grew while replicating"
n=$(ap allocs)
diag "drbd_alloc_pages: $n page allocations"
cmp_ok "$n" -gt 256 "callsites: drbd_alloc_pages allocated pages (more than its 1 MiB pool)"
ok 'grep -q "$APRE" $OT_PROC/callsites' "callsites: the row is named func+0xoff/0xsize, module drbd"
cmp_ok "$(awk '$1 == "drbd" && $2 == "pages" { print $4 }' $OT_PROC/module_slabs)" -ge "$(ap live_bytes)" \
	"module_slabs: drbd's pages hold at least the drbd_alloc_pages row"

# ---- writes through the primary, read back on the other side --------------------
ns0=$(cnt 0 ns)
nr0=$(cnt 1 nr)
dd if=/dev/urandom of=/tmp/data bs=1M count=16 2>/dev/null
run_ok "16 MiB of direct writes to /dev/drbd0" dd if=/tmp/data of=/dev/drbd0 bs=1M oflag=direct
is $(($(cnt 0 ns) - ns0)) 16384 "/proc/drbd: r0 sent 16384 KiB"
is $(($(cnt 1 nr) - nr0)) 16384 "/proc/drbd: r1 received 16384 KiB"
diag "/proc/oomtrace/modules while replicating:"
sed 's/^/#   /' $M
diag "drbd call sites:"
grep ' drbd ' $OT_PROC/callsites | head -12 | sed 's/^/#   /'
run_ok "switch roles: r0 secondary, r1 primary" sh -c "$S secondary 0 && $S primary 1"
is "$(dd if=/dev/drbd1 bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)" \
	"$(md5sum </tmp/data | cut -d' ' -f1)" "r1 reads back the 16 MiB written through r0"
run_ok "r1 secondary" $S secondary 1

# ---- ground truth: drbd's caches, object by object ------------------------------
is "$(ot_field $M drbd state)" live "modules: drbd state live"
diag "/proc/drbd: $(grep -o ' [ap][pl]:[0-9]* \| lo:[0-9]* \| pe:[0-9]* \| ua:[0-9]*' /proc/drbd | tr -d '\n')"
inflight() { awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(lo|pe|ua|ap):/) n += substr($i, 4) } END { exit n != 0 }' /proc/drbd; }
run_ok "/proc/drbd: no request in flight (lo, pe, ua, ap all 0; bounded)" wait_until 15 inflight
for c in drbd_req drbd_ee drbd_bm drbd_al; do
	k=$(kernel_inuse $c)
	is "$(slab_live $c)" "$k" "slabs: $c live = the kernel's in-use count ($k)"
done
# drbd_create_mempools(): (DRBD_MAX_BIO_SIZE / PAGE_SIZE) * minor_count
# requests in reserve, 1 MiB / 4 KiB = 256 per minor.
is "$(slab_live drbd_req)" $((256 * MINORS)) "nothing in flight: drbd_req holds exactly its mempool reserve (256 x minor_count)"
is "$(awk '$1 == "drbd" && $2 == "drbd_req" { print $3 }' $OT_PROC/module_slabs)" $((256 * MINORS)) \
	"module_slabs: the reserve is drbd's (through mempool_alloc_slab)"
is "$(ot_field $OT_PROC/slabs drbd_req top_module)" drbd "slabs: drbd_req top_module drbd"
ok 'grep -q "^drbd_[a-z_0-9.]*+0x[0-9a-f]*/0x[0-9a-f]* drbd " $OT_PROC/callsites' \
	"callsites: drbd functions named func+0xoff/0xsize"

# ---- the reader on the same figures ---------------------------------------------
is "$(ot_tool_field MODULE drbd PAGE_BYTES oomtrace modules --bytes)" "$(pb)" \
	"oomtrace modules: drbd PAGE_BYTES as /proc"
is "$(ot_tool_field MODULE leaker PAGE_BYTES oomtrace modules --bytes)" $((64 * 16384)) \
	"oomtrace modules: leaker PAGE_BYTES 1 MiB"
ok 'oomtrace callsites -m drbd | grep -q "$APRE"' "oomtrace callsites -m drbd: the drbd_alloc_pages row"
ok 'oomtrace slabs -m drbd | grep -q "^drbd  *pages "' "oomtrace slabs -m drbd: drbd's pages"
ok 'oomtrace slabs -m drbd | grep -q "^drbd  *drbd_"' "oomtrace slabs -m drbd: drbd's own caches"
oomtrace modules | sed 's/^/# oomtrace modules: /'

# ---- down: back to the modprobe figure plus the receive pool --------------------
run_ok "down r0" $S down r0
run_ok "down r1" $S down r1
pool=$(ap live_bytes)
after=$(pb)
diag "after down: drbd page_bytes $after = $base after modprobe + $pool in the receive pool + $((after - base - pool))"
# drbd_free_pages() parks freed pages in the global pool while it holds at
# most 256 x minor_count pages, a chain of up to 256 pages at a time: the
# pool holds at most 256 x (minor_count + 1) pages until rmmod.
cmp_ok "$pool" -le $((256 * (MINORS + 1) * PAGE)) \
	"after down: at most 256 x (minor_count + 1) pages left in drbd's receive pool"
# Everything per device (bitmap, meta-data I/O page, peer requests) is
# freed. (The page kvfree_rcu() may take for its per-CPU batch while drbd
# frees its net_conf is charged to [kernel]: it serves every later caller.)
cmp_ok $((after - base - pool)) -le 0 \
	"after down: drbd page_bytes back to modprobe + pool"
run_ok "rmmod drbd" rmmod drbd
is "$(ot_field $M drbd state)" gone "after rmmod: drbd's row is gone, not live"
is "$(ap live)" 0 "after rmmod: every drbd_alloc_pages page freed (the pool too)"
# kvfree_rcu() batches drain up to ~5 s later. skb heads that TCP allocated
# for drbd (ACKs sent from its receive path) may be freed into the network
# stack's per-CPU NAPI cache, which fires no free tracepoint: they stay
# drbd's until reused (README, "Limits"). Anything else is a leak.
slab0() {
	awk '$1 == "drbd" && $2 != "skbuff_head_cache" { n += $3 } END { exit n != 0 }' \
		$OT_PROC/module_slabs
}
run_ok "after rmmod: no drbd slab object left, but parked skb heads (polled 15 s)" \
	wait_until 15 slab0
cmp_ok "$(awk '$1 == "drbd" && $2 == "skbuff_head_cache" { n += $3 } END { print n + 0 }' \
	$OT_PROC/module_slabs)" -le $((64 * $(nproc))) "after rmmod: at most 64 parked skb heads per CPU"
is "$(pb)" 0 "after rmmod: drbd page_bytes 0"
grep '^drbd ' $M | sed 's/^/# after rmmod: /'
awk '$2 == "drbd" && $5 > 0' $OT_PROC/callsites | sed 's/^/# still live: /'

lk_cmd free
is "$(ot_field $M leaker page_bytes)" 0 "leaker: free, page_bytes 0"
run_ok "rmmod brd" rmmod brd
is "$(ot_field $M brd page_bytes)" 0 "after rmmod brd: its RAM disk pages all freed"
ot_invariants "at the end"
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
