#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# The reader's verdicts when the core kernel outweighs a module, and what
# oomtrace explains of the box's kernel memory.
#
# 1. [kernel] grows most: 5000 files on tmpfs (a dentry and a shmem inode
#    each, ~4.7 MiB) while leaker leaks 100 KiB. report names [kernel], with
#    its caches (shmem_inode_cache, dentry) and call sites
#    (shmem_alloc_inode, __d_alloc), and leaker as the module that came
#    next; diff's kernel: line and verdict name [kernel] too.
# 2. leaker grows most: 20000 x 1 KiB and 4096 order-1 pages (52 MiB).
#    report and diff name leaker, and diff prints no kernel: line.
# 3. Coverage: status's BOX figures are /proc/meminfo's (within 1 MiB, 2 for
#    the kernel pages: the guest allocates between the reads, and the
#    per-CPU page lists move); between the snapshots around step 2 the
#    box's SUnreclaim grew as much as oomtrace's tracked unreclaimable slab
#    (within 1 MiB of the 20 MiB: partial slabs), and its kernel pages as
#    much as oomtrace's pages (within 2 MiB of the 32 MiB).
# lab: mem=512 timeout=300 cmdline="slab_nomerge" needs="oomtrace tool"

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

FILES=5000
MIB=1048576

# A line of FILE after the LIKELY CULPRIT heading: culprit FILE N (1: the name line).
culprit() {
	sed -n '/^LIKELY CULPRIT$/,$p' "$1" | sed -n "$(($2 + 1))p"
}

# The objects of an evidence line "  - cache NAME: SIZE in N objects" of FILE.
ev_objects() {
	sed -n "s/^  - cache $2: .* in \([0-9]*\) objects\$/\1/p" "$1"
}

# status's coverage line of KIND from DIR (--from) or live (""): "TRACKED BOX".
cov() {
	if [ -n "$2" ]; then
		oomtrace status --bytes --from "$2"
	else
		oomtrace status --bytes
	fi | sed -n "s/^coverage_$1: \([0-9]*\) of \([0-9]*\) (.*)\$/\1 \2/p"
}

# |A - B| <= D
near() {
	[ "$1" -ge $(($2 - $3)) ] && [ "$1" -le $(($2 + $3)) ]
}

plan 33

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
mkdir -p /mnt/t && mount -t tmpfs tmpfs /mnt/t
run_ok "snapshot /tmp/b0" oomtrace snapshot -o /tmp/b0

# ---- 1. [kernel] grows most ------------------------------------------------------
mark "kernel grows"
run_ok "leaker: kmalloc 100 x 1000 (100 KiB)" lk_cmd kmalloc 100 1000
mkdir /mnt/t/a
run_ok "$FILES files on tmpfs" labtool files /mnt/t/a $FILES
run_ok "snapshot /tmp/b1" oomtrace snapshot -o /tmp/b1
oomtrace report --from /tmp/b1 >/tmp/r1
sed -n '/^LIKELY CULPRIT$/,$p' /tmp/r1 | sed 's/^/# r1: /'
is "$(culprit /tmp/r1 1)" \
	"  the core kernel, [kernel] (largest live bytes, more than any module; no OOM event growth to go by)" \
	"report: the culprit is [kernel], not leaker's 100 KiB"
n=$(ev_objects /tmp/r1 shmem_inode_cache)
ok '[ "${n:-0}" -ge $FILES ] && [ "$n" -le $((FILES + 100)) ]' \
	"report: its cache shmem_inode_cache, $FILES objects and the few snapshots' files (${n:-none})"
n=$(ev_objects /tmp/r1 dentry)
ok '[ "${n:-0}" -ge $FILES ] && [ "$n" -le $((FILES + 1000)) ]' \
	"report: its cache dentry, $FILES objects and the reader's lookups in /proc and /sys (${n:-none})"
ok "grep -q '^  - call site shmem_alloc_inode+0x[0-9a-f]*/0x[0-9a-f]*: ' /tmp/r1" \
	"report: its call site shmem_alloc_inode"
ok "grep -q '^  - call site __d_alloc+0x[0-9a-f]*/0x[0-9a-f]*: ' /tmp/r1" \
	"report: its call site __d_alloc"
ok "tail -n 1 /tmp/r1 | grep -q '^  - the largest module: leaker, '" \
	"report: leaker named last, as the module that came next"
ok "oomtrace report | grep -qx '  the core kernel, \[kernel\] (largest live bytes, more than any module; no OOM event growth to go by)'" \
	"report (live): [kernel] too"
oomtrace diff --bytes /tmp/b0 /tmp/b1 >/tmp/d1
tail -n 2 /tmp/d1 | sed 's/^/# d1: /'
ok "tail -n 1 /tmp/d1 | grep -q '^verdict: top grower is module \[kernel\] (+[0-9]* live, +[0-9]* objects)'" \
	"diff: the verdict's top grower is [kernel]"
is "$(awk '$1 == "leaker" { print $5; exit }' /tmp/d1)" +102400 "diff: leaker's growth row, +100 x 1 KiB"
ok "tail -n 2 /tmp/d1 | head -n 1 | grep -q '^kernel: \[kernel\] grew +[0-9]* (+[0-9]* objects) in caches shmem_inode_cache (+[0-9]*), dentry (+[0-9]*).*; call sites .*shmem_alloc_inode+0x'" \
	"diff: the kernel: line names its caches shmem_inode_cache, dentry and call site shmem_alloc_inode"

# ---- 2. leaker grows most -----------------------------------------------------------
mark "leaker grows"
run_ok "leaker: kmalloc 20000 x 1000 (20 MiB in kmalloc-1k)" lk_cmd kmalloc 20000 1000
run_ok "leaker: pages 4096 x order 1 (32 MiB)" lk_cmd pages 4096 1
run_ok "snapshot /tmp/b2" oomtrace snapshot -o /tmp/b2
oomtrace report --from /tmp/b2 >/tmp/r2
is "$(culprit /tmp/r2 1)" "  module leaker (largest live bytes; no OOM event growth to go by)" \
	"report: a leaker-dominated box still names leaker"
oomtrace diff --bytes /tmp/b1 /tmp/b2 >/tmp/d2
ok "tail -n 1 /tmp/d2 | grep -q '^verdict: top grower is module leaker (+$((20000 * 1024 + 4096 * 8192)) live, +24096 objects)'" \
	"diff: the verdict names leaker, +20000 x 1 KiB + 4096 x 8 KiB exactly"
ok "! grep -q '^kernel: ' /tmp/d2" "diff: no kernel: line when a module grew most"

# ---- 3. coverage --------------------------------------------------------------------
mark "coverage"
# tracked and box bytes of a kind, 0 when status does not print it
cov_t() { cov "$1" "$2" | awk '{ print $1 } END { if (!NR) print 0 }'; }
cov_b() { cov "$1" "$2" | awk '{ print $2 } END { if (!NR) print 0 }'; }
box=$(cov_b slab_unreclaimable "")
su=$(awk '$1 == "SUnreclaim:" { print $2 * 1024 }' /proc/meminfo)
diag "status: unreclaimable slab of the box $box; /proc/meminfo SUnreclaim $su"
ok "near \"\$box\" \"\$su\" $MIB" "status: SUnreclaim is /proc/meminfo's (within 1 MiB)"
cmp_ok "$(cov_t slab_unreclaimable "")" -ge $((20000 * 1024)) \
	"status: oomtrace explains at least leaker's 20000 KiB of it"
box=$(cov_b kernel_pages "")
pcp=$(awk '$1 == "count:" { n += $2 } END { print n * 4096 }' /proc/zoneinfo)
kp=$(awk -v pcp="$pcp" '{ v[$1] = $2 } END { print (v["MemTotal:"] - v["MemFree:"] - v["Active:"] -
	v["Inactive:"] - v["Unevictable:"] - v["Slab:"] - v["PageTables:"] - v["SecPageTables:"] -
	v["VmallocUsed:"] - v["Hugetlb:"]) * 1024 - pcp }' /proc/meminfo)
diag "status: kernel pages of the box $box; from /proc/meminfo and zoneinfo $kp (per-CPU lists $pcp)"
ok "near \"\$box\" \"\$kp\" $((2 * MIB))" \
	"status: kernel pages as /proc/meminfo and /proc/zoneinfo give them (within 2 MiB)"
t1=$(cov_t slab_unreclaimable /tmp/b1) t2=$(cov_t slab_unreclaimable /tmp/b2)
b1=$(cov_b slab_unreclaimable /tmp/b1) b2=$(cov_b slab_unreclaimable /tmp/b2)
diag "unreclaimable slab, b1 -> b2: tracked $t1 -> $t2, box $b1 -> $b2"
ok 'near $((t2 - t1)) $((20000 * 1024)) $((256 * 1024))' \
	"tracked unreclaimable slab grew by leaker's 20000 KiB (within 256 KiB)"
ok "[ \"\$b1\" -gt 0 ] && near \$((b2 - b1)) \$((t2 - t1)) $MIB" \
	"the box's SUnreclaim grew as much as oomtrace's tracked (within 1 MiB)"
t1=$(cov_t kernel_pages /tmp/b1) t2=$(cov_t kernel_pages /tmp/b2)
b1=$(cov_b kernel_pages /tmp/b1) b2=$(cov_b kernel_pages /tmp/b2)
diag "kernel pages, b1 -> b2: tracked $t1 -> $t2, box $b1 -> $b2"
ok 'near $((t2 - t1)) $((4096 * 8192)) $((256 * 1024))' \
	"tracked kernel pages grew by leaker's 32 MiB (within 256 KiB)"
ok "[ \"\$b1\" -gt 0 ] && near \$((b2 - b1)) \$((t2 - t1)) $((2 * MIB))" \
	"the box's kernel pages grew as much as oomtrace's (within 2 MiB)"
b=$(sed -n 's/^SUnreclaim: *\([0-9]*\) kB$/\1/p' /tmp/b2/meminfo)
oomtrace report --bytes --from /tmp/b2 >/tmp/r2b
ok "grep -Eq '^  unreclaimable slab \(SUnreclaim\) +$((b * 1024)) +[0-9]+ +[0-9.]+%\$' /tmp/r2b" \
	"report: COVERAGE's SUnreclaim is the snapshot's meminfo, to the byte"
ok "sed -n '/^SLAB CACHES/,/^\$/p' /tmp/r2b | awk '\$1 == \"kmalloc-1k\" && \$8 >= $((20000 * 1024)) { f = 1 } END { exit !f }'" \
	"report: SLAB CACHES: kmalloc-1k's tracked_bytes hold leaker's 20000 KiB"
sed -n '/^COVERAGE$/,/^TOP MODULES$/p' /tmp/r2 | sed 's/^/# r2: /'

lk_cmd free
run_ok "rmmod leaker" rmmod leaker
umount /mnt/t
run_ok "rmmod oomtrace" rmmod oomtrace
