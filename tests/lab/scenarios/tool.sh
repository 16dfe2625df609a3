#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# The reader, tools/oomtrace, in the guest against the real module and
# leaker.ko: its tables agree with /proc/oomtrace to the byte, vmalloc is
# folded per module exactly (pages=, no guard page), `report` names leaker as
# the likely culprit and lists what it left behind on rmmod, and a snapshot
# pair taken around a leak gives a `diff` verdict naming leaker. The JSON
# documents are checked on the host by tool.host.sh (python3 is not in the
# guest).
# lab: mem=512 timeout=300 cmdline="slab_nomerge" needs="oomtrace tool"

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

M=$OT_PROC/modules
PAGE=4096

# One cell of a reader table, numbers in bytes: mod COLUMN (modules, leaker row).
mod() { ot_tool_field MODULE leaker "$1" oomtrace modules --bytes; }

# A JSON document for tool.host.sh, between marker lines.
json_doc() {
	local _n=$1
	shift
	echo "OT-JSON-BEGIN $_n"
	"$@"
	echo "OT-JSON-END $_n rc=$?"
}

# Pages of leaker's vmalloc areas, from /proc/vmallocinfo itself.
vm_pages() {
	stable awk '/\[leaker\]/ && / vmalloc/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^pages=/) n += substr($i, 7)
	} END { print n + 0 }' /proc/vmallocinfo
}

plan 48

# ---- without the module ------------------------------------------------------
oomtrace modules >/tmp/out 2>/tmp/err
is "$?" 1 "without oomtrace.ko: modules exits 1"
ok 'grep -q "the oomtrace module is not loaded" /tmp/err' "and says the module is not loaded"

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
is "$(oomtrace status | awk '$1 == "kernel:" { print $2 }')" "$(uname -r)" "status: kernel is the running one"

# ---- modules: the reader and /proc agree, exact growth -----------------------
b=$(mod LIVE_BYTES)
is "$b" "$(ot_field $M leaker live_bytes)" "modules: leaker LIVE_BYTES equals /proc/oomtrace/modules"
s0=$(mod SLAB_BYTES)
p0=$(mod PAGE_BYTES)
n0=$(mod LIVE)

# ---- kmalloc, pages: exact ----------------------------------------------------
lk_cmd kmalloc 1000 200
lk_cmd pages 16 1
is "$(mod LIVE_BYTES)" $((b + 256000 + 16 * 8192)) "kmalloc 1000 x 200 + 16 order-1 pages: LIVE_BYTES exact"
is "$(mod SLAB_BYTES)" $((s0 + 256000)) "SLAB_BYTES + 1000 x 256"
is "$(mod PAGE_BYTES)" $((p0 + 16 * 8192)) "PAGE_BYTES + 16 x 8 KiB"
is "$(mod LIVE)" $((n0 + 1016)) "LIVE + 1016 objects"
is "$(mod LIVE_BYTES)" "$(ot_field $M leaker live_bytes)" "LIVE_BYTES still equals /proc"
# A "partial:" line comes first when a free went unseen (a few on 6.12).
is "$(oomtrace modules -m leaker | grep -vc '^partial: ')" 2 "modules -m leaker: header and one row"
is "$(ot_tool_field CACHE kmalloc-256 LIVE_BYTES oomtrace slabs -m leaker --bytes)" 256000 \
	"slabs -m leaker: kmalloc-256 holds 256000 B of leaker's"
is "$(ot_tool_field CACHE kmalloc-256 LIVE oomtrace slabs -m leaker --bytes)" 1000 \
	"slabs -m leaker: 1000 objects in kmalloc-256"
is "$(ot_tool_field CACHE leaker_pool LIVE_BYTES oomtrace slabs -m leaker --bytes)" $((4 * 448)) \
	"slabs -m leaker: the mempool's 4 reserved 448 B objects"
ok 'oomtrace callsites -m leaker --bytes | awk '"'"'$1 ~ /^leaker_cmd\+0x/ && $5 == 1000 && $6 == 256000'"'"' | grep -q .' \
	"callsites -m leaker: leaker_cmd row with 1000 objects, 256000 B"
lb=$(mod LIVE_BYTES)
ok "oomtrace modules --prom | grep -qx 'oomtrace_module_live_bytes{module=\"leaker\"} $lb'" \
	"modules --prom: leaker's live bytes"
echo "# json: leaker live_bytes=$lb"
json_doc modules oomtrace modules --json
json_doc slabs-leaker oomtrace slabs -m leaker --json
json_doc callsites oomtrace callsites --json -n 40
json_doc status oomtrace status --json
json_doc events oomtrace events --json
run_ok "top -n 1 runs" sh -c 'oomtrace top -n 1 >/tmp/top && grep -q "^leaker " /tmp/top'

# ---- report ---------------------------------------------------------------------
oomtrace report >/tmp/report
is "$?" 0 "report exits 0"
is "$(sed -n '/^LIKELY CULPRIT$/{n;p;}' /tmp/report)" \
	"  module leaker (largest live bytes; no OOM event growth to go by)" \
	"report: the likely culprit is leaker (not oomtrace's own buffers)"
ok "oomtrace report -b | grep -q '^  - holds $lb in $((n0 + 1016)) live objects now'" \
	"report: its live bytes and objects"
sed 's/^/# report: /' /tmp/report
json_doc report oomtrace report --json

# ---- snapshot and diff ----------------------------------------------------------
run_ok "snapshot -o /tmp/base" oomtrace snapshot -o /tmp/base
is "$(ls /tmp/base | tr '\n' ' ')" \
	"callsites events meminfo module_slabs modules slab_reclaim slabinfo slabs status timestamp vmallocinfo zoneinfo " \
	"the snapshot holds every file"
is "$(ot_tool_field MODULE leaker LIVE_BYTES oomtrace --from /tmp/base modules --bytes)" "$lb" \
	"--from the snapshot: leaker's LIVE_BYTES as live"
lk_cmd kmalloc 10000 1000
run_ok "snapshot -o /tmp/new after leaking 10000 x 1 KiB" oomtrace snapshot -o /tmp/new
oomtrace diff --bytes /tmp/base /tmp/new >/tmp/diff
is "$?" 0 "diff exits 0"
ok 'case "$(tail -n 1 /tmp/diff)" in "verdict: top grower is module leaker (+10240000 live, +10000 objects); cache kmalloc-1k (+"*) true ;; *) false ;; esac' \
	"diff verdict: top grower leaker, +10240000 B and +10000 objects, in kmalloc-1k"
is "$(awk '$1 == "leaker" { print $5 }' /tmp/diff)" +10240000 "diff: leaker's growth row"
sed 's/^/# diff: /' /tmp/diff
ok 'oomtrace diff /tmp/base | tail -n 1 | grep -q "^verdict: top grower is module leaker "' \
	"diff against the live system: leaker"
json_doc diff oomtrace diff --json /tmp/base /tmp/new

# ---- a module that leaks on rmmod -----------------------------------------------
lk_cmd free
run_ok "rmmod leaker" rmmod leaker
run_ok "insmod leaker leak_on_unload=1" insmod $OT_DIR/leaker.ko leak_on_unload=1
lk_cmd kmalloc 100 1000
run_ok "rmmod leaker with 100 x 1 KiB held" rmmod leaker
is "$(mod STATE)" gone "modules: leaker gone"
is "$(mod LIVE_BYTES)" 102400 "modules: the gone row holds exactly the 100 x 1 KiB"
ok 'oomtrace report -b | grep -qx "  module leaker was unloaded with 102400 still allocated (100 objects)"' \
	"report: leak left behind by leaker"

# ---- vmalloc, folded from /proc/vmallocinfo ------------------------------------
# Mapping vmalloc areas may allocate kernel page-table pages
# (__pte_alloc_kernel): nobody's leak, oomtrace does not count them.
# vmalloc(10000) is 3 pages plus an unmapped guard page: vmallocinfo prints
# "16384 ... pages=3"; the reader counts the 3 pages (12288 B), as
# VmallocUsed does. vmalloc(1000000) is 245 pages (its page array is 1960 B,
# kmalloc'ed by vmalloc for [kernel]).
run_ok "insmod leaker again" insmod $OT_DIR/leaker.ko
is "$(mod VMALLOC_BYTES)" 0 "modules: leaker has no vmalloc yet"
p0=$(mod PAGE_BYTES)
lk_cmd vmalloc 8 10000
is "$(mod VMALLOC_BYTES)" $((8 * 3 * PAGE)) "vmalloc 8 x 10000: VMALLOC_BYTES 8 x 3 pages exactly"
lk_cmd vmalloc 2 1000000
want=$((8 * 3 * PAGE + 2 * 245 * PAGE))
is "$(mod VMALLOC_BYTES)" "$want" "vmalloc 2 x 1000000: + 2 x 245 pages exactly"
# One page, and 101 (a bulk request of 100, then one of 1): the bulk
# allocator hands a one-page request to the page allocator, whose tracepoint
# fires; on Debian's 6.1 the walk meets __vmalloc_node_range() (the vmalloc
# helpers are inlined into it). They are vmalloc's pages all the same.
lk_cmd vmalloc 8 4096
lk_cmd vmalloc 2 413696
want=$((want + 8 * PAGE + 2 * 101 * PAGE))
is "$(mod VMALLOC_BYTES)" "$want" "vmalloc 8 x 1 page + 2 x 101 pages: + 210 pages exactly"
is "$(mod VMALLOC_BYTES)" $(($(vm_pages) * PAGE)) "VMALLOC_BYTES = pages= of leaker's vmallocinfo areas"
# vmalloc's pages (bulk-allocated, or one by one through the page
# allocator) and the page tables that map them are not in page_bytes too:
# counted once, as VMALLOC_BYTES.
is "$(mod PAGE_BYTES)" "$p0" "vmalloc: PAGE_BYTES unchanged (no vmalloc or page-table page)"
# vmalloc is not live_bytes: 1000 KiB of kmalloc make leaker outweigh the
# core kernel's live bytes, or report would name [kernel] as the culprit.
run_ok "leaker: kmalloc 1000 x 1000" lk_cmd kmalloc 1000 1000
ok "oomtrace report -b | grep -qx '  - it also holds $want of vmalloc areas'" \
	"report: the culprit's evidence names its vmalloc bytes"
lk_cmd free
is "$(mod VMALLOC_BYTES)" 0 "free: VMALLOC_BYTES back to 0"
is "$(vm_pages)" 0 "free: no leaker area left in vmallocinfo"
run_ok "rmmod leaker" rmmod leaker

run_ok "rmmod oomtrace" rmmod oomtrace
