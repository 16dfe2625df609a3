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
# Both were fixed by 6c3f4d9 (one map pass per retirement); these are the
# tests that fail against the module before it.
# max_callsites=65536: maps of 131072 entries make a scan per site or per
# free entry cost seconds, and a pass milliseconds.
# lab: timeout=400 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

plan 9

OT=$OT_DIR/oomtrace.ko
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
cmp_ok "$t" -lt $((50000000 * LAB_SCALE)) "3 x kmem_cache_destroy(NULL) take < 50 ms"

# ---- 2. a module goes with many call sites ----------------------------------------------
mark "2. unload cost"
# going_ns OBJECTS: load otfill, one object from each of OBJECTS call sites,
# unload it; prints the module notifiers' time on that unload (leaker's).
going_ns() {
	insmod $OT_DIR/otfill.ko || return 1
	echo "$1" >$SITES || return 1
	echo "sites $(awk '$2 == "otfill"' $OT_PROC/callsites | wc -l)"
	rmmod otfill || return 1
	echo "ns $(lk_get going_ns)"
}
going_ns 20 >/tmp/g20
going_ns 2000 >/tmp/g2000
g20=$(awk '$1 == "ns" { print $2 }' /tmp/g20)
g2000=$(awk '$1 == "ns" { print $2 }' /tmp/g2000)
is "$(awk '$1 == "sites" { print $2 }' /tmp/g2000)" 2000 \
	"oomtrace knew otfill's 2000 call sites (one callsites row each) before the unload"
diag "module notifiers on otfill's unload: 20 call sites $g20 ns, 2000 call sites $g2000 ns"
ok '[ -n "$g20" ] && [ "$g20" -gt 0 ]' "the unload of otfill was timed"
cmp_ok "$g2000" -lt $((4 * g20 + 20000000 * LAB_SCALE)) \
	"2000 call sites: less than 4 x 20 call sites' time + 20 ms (a pass, not a scan per site)"

run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
mark "end"
