#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Caches and modules coming and going, and what oomtrace does about them
# (issue 19; unload_race.sh races rmmod oomtrace with a module going).
#  1. kmem_cache_destroy(NULL) is legal and a no-op: it must cost oomtrace
#     nothing (it once retired the free entries of the cache map, one scan
#     of the slot map each, under the raw lock with interrupts off).
#  2. A module that goes with many call sites: one pass over the site and
#     slot maps, not one slot-map scan per site (quadratic). Timed between
#     leaker's two module notifiers, the first and the last of the chain.
#  3. A cache is retired (its address may name the next cache) only when
#     it is really gone: a new cache at a destroyed cache's address has its
#     own name; a failed destroy (objects live: the kernel warns and the
#     cache stays) and the destroy of an alias of a merged cache (a
#     reference dropped) retire nothing.
#  4. A full module table (512 names): a module without room is dropped
#     and counted, never charged to [kernel], and its events leave
#     [kernel]'s state alone.
# 1 and 2 were fixed by 6c3f4d9 (one map pass per retirement); these are
# the tests that fail against the module before it.
# max_callsites=65536: maps of 131072 entries make a scan per site or per
# free entry cost seconds, and a pass milliseconds.
# lab: timeout=400 needs=oomtrace allow="leaker_busy[0-9]+"

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

plan 27

OT=$OT_DIR/oomtrace.ko
LT=/usr/bin/labtool
M=$OT_PROC/modules
S=$OT_PROC/slabs
SITES=/sys/module/otfill/parameters/sites

run_ok "insmod oomtrace max_callsites=65536" insmod $OT max_callsites=65536
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko

# ---- 1. kmem_cache_destroy(NULL) -----------------------------------------------------
mark "1. kmem_cache_destroy(NULL)"
lk_cmd kmalloc 10 64
lk_cmd free
run_ok "kmem_cache_destroy(NULL) x 3" lk_cmd destroy_null 3
t=$(lk_get destroy_null_ns)
diag "3 x kmem_cache_destroy(NULL): $t ns"
cmp_ok "$t" -lt $((200000000 * LAB_SCALE)) "3 x kmem_cache_destroy(NULL) take < 200 ms"

# ---- 2. a module goes with many call sites ----------------------------------------------
mark "2. unload cost"
# going_ns OBJECTS: load otfill, one object from each of OBJECTS call sites,
# unload it, 3 times; prints the call sites oomtrace knew before the last
# unload, and the least time the module notifiers took on an unload
# (leaker's going_ns): the work, without what a busy host adds to a run.
going_ns() {
	: >/tmp/going
	for _ in 1 2 3; do
		insmod $OT_DIR/otfill.ko || return 1
		echo "$1" >$SITES || return 1
		sites=$(awk '$2 == "otfill"' $OT_PROC/callsites | wc -l)
		rmmod otfill || return 1
		lk_get going_ns >>/tmp/going
	done
	echo "ns $(sort -n /tmp/going | head -n 1)"
	echo "sites $sites"
}
going_ns 20 >/tmp/g20
going_ns 2000 >/tmp/g2000
g20=$(awk '$1 == "ns" { print $2 }' /tmp/g20)
g2000=$(awk '$1 == "ns" { print $2 }' /tmp/g2000)
is "$(awk '$1 == "sites" { print $2 }' /tmp/g2000)" 2000 \
	"oomtrace knew otfill's 2000 call sites (one callsites row each) before the unload"
diag "module notifiers on otfill's unload (least of 3): 20 call sites $g20 ns, 2000 call sites $g2000 ns"
ok '[ -n "$g20" ] && [ "$g20" -gt 0 ]' "the unloads of otfill were timed"
cmp_ok "$g2000" -lt $((4 * g20 + 50000000 * LAB_SCALE)) \
	"2000 call sites: less than 4 x 20 call sites' time + 50 ms (a pass, not a scan per site)"

# ---- 3. caches retired only when really gone ----------------------------------------
mark "3. caches: alias destroyed, destroy failed, address reused"
run_ok "a cache destroyed, a new one at its address, 50 objects from it" lk_cmd reuse 50
# KASAN's quarantine holds a freed struct kmem_cache back (the debug lane).
if [ "$(lk_get reused)" = 1 ]; then
	is "$(ot_field $S leaker_reuse_b live)" 50 \
		"slabs: the 50 objects are leaker_reuse_b's (at leaker_reuse_a's address), by its own name"
	is "$(ot_field $S leaker_reuse_a live)" 0 "slabs: leaker_reuse_a (its one object freed) has none"
else
	skip "leaker_reuse_b's name" "the allocator never gave leaker_reuse_a's address back"
	skip "leaker_reuse_a's row" "the allocator never gave leaker_reuse_a's address back"
fi
lk_cmd free

# The kernel's own WARN on a failed destroy (allow= above) must not panic.
echo 0 >/proc/sys/kernel/panic_on_warn
c0=$(ot_status caches)
run_ok "10 caches destroyed with a live object each (the destroy fails, the cache stays)" \
	lk_cmd busy 10
c1=$(ot_status caches)
echo 1 >/proc/sys/kernel/panic_on_warn
diag "caches seen: $c0 before, $c1 after 10 new caches and their failed destroys"
cmp_ok $((c1 - c0)) -lt 15 "a failed destroy retires nothing: caches seen grew by 10 (+ noise < 5), not 20"
is "$(ot_field $S leaker_busy9 allocs) $(ot_field $S leaker_busy9 live)" "2 0" \
	"leaker_busy9: 2 objects, before and after the failed destroy, freed"

lk_cmd cache 100
obj=$(awk '$1 == "leaker" && $3 == 100 { print $2 }' $OT_PROC/module_slabs)
diag "leaker_obj is counted as $obj"
c0=$(ot_status caches)
d0=$(ot_status dropped)
if [ "$(ot_status slab_merge)" = on ]; then
	run_ok "200 x: an alias of leaker_obj's cache created and destroyed, one object allocated" \
		lk_cmd alias 200
else
	skip "200 aliases of leaker_obj's cache" "the kernel does not merge caches (slab_merge off)"
fi
c1=$(ot_status caches)
d1=$(ot_status dropped)
diag "caches seen: $c0 before the aliases, $c1 after; dropped: $d0 before, $d1 after"
cmp_ok $((c1 - c0)) -lt 20 "a destroyed alias retires nothing: caches seen grew by less than 20, not 200"
is "$(awk -v c="$obj" '$1 == "leaker" && $2 == c { print $3 }' $OT_PROC/module_slabs)" 100 \
	"leaker's 100 objects in $obj, exactly"
is "$((d1 - d0))" 0 "no allocation dropped meanwhile (a cache entry retired and added again, 64 times, fills its map's probe window)"
lk_cmd free

# ---- 4. a full module table ---------------------------------------------------------------
mark "4. 512 module names"
n=$(ot_status modules)
need=$((512 - n + 3))
is "$($LT modnames $OT_DIR/otfill.ko otfill of 1 $need fail=1)" "ENODEV=$need" \
	"$need renamed otfill modules came and went (init fails)"
is "$(ot_status modules) $(ot_status modules_capacity)" "512 512" \
	"status: the module table is full (modules 512, modules_capacity 512)"
is "$(ot_field $M '[kernel]' state)" live \
	"[kernel] is still live after the events of 3 modules without room"
d0=$(ot_status dropped)
is "$($LT modnames $OT_DIR/otfill.ko otfill of 9000 1 sites=1000)" "ok=1" \
	"of9000 loaded: 1000 objects from 1000 call sites, no room for its name"
d1=$(ot_status dropped)
is "$((d1 - d0))" 1000 "of9000's 1000 allocations: dropped and counted"
is "$(grep -c '^of9000_sites_text' $OT_PROC/callsites)" 0 "none charged to [kernel] (or anyone)"
run_ok "rmmod of9000" rmmod of9000
is "$(ot_field $M '[kernel]' state)" live "[kernel] is still live after of9000 went"

run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
mark "end"
