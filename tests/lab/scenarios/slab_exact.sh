#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Exact slab and kmalloc accounting for the leaker, caches unmerged: every
# kind of allocation lands on leaker with the exact object count, churn
# patterns (kfree_rcu, bulk, krealloc) net to zero, reset forgets.
# lab: cmdline="slab_nomerge" timeout=240
. /opt/oomtrace/lib.sh

plan 53

M=$OT_PROC/modules
MS=$OT_PROC/module_slabs
S=$OT_PROC/slabs

# live objects of leaker in one cache, 0 when there is no row
ms_live() {
	awk -v c="$1" '$1 == "leaker" && $2 == c { print $3; f = 1 } END { if (!f) print 0 }' $MS
}
lk_live() { ot_field $M leaker live 2>/dev/null || echo 0; }
lk_bytes() { ot_field $M leaker live_bytes 2>/dev/null || echo 0; }

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
is "$(ot_status slab_merge)" off "status reports slab_merge off under slab_nomerge"
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko

# The mempool's 4 reserve objects are allocated at leaker's init.
is "$(ms_live leaker_pool)" 4 "mempool reserve (4) charged to leaker through mempool_alloc_slab"
base=$(lk_live)
base_bytes=$(lk_bytes)

lk_cmd kmalloc 1000 200
lk_cmd cache 300
lk_cmd mempool 50
is "$(ms_live kmalloc-256)" 1000 "kmalloc 1000 x 200 B -> 1000 live in kmalloc-256"
is "$(ms_live leaker_obj)" 300 "own cache: 300 live in leaker_obj"
is "$(ms_live leaker_pool)" 54 "mempool: 50 more live in leaker_pool"
is "$(ot_field $S leaker_obj live)" 300 "slabs: leaker_obj live 300"
is "$(ot_field $S leaker_obj objsize)" 320 "slabs: leaker_obj objsize 320"
is "$(ot_field $S leaker_obj live_bytes)" 96000 "slabs: leaker_obj live_bytes 96000"
is "$(ot_field $S leaker_obj top_module)" leaker "slabs: leaker_obj top_module leaker"
is "$(ot_field $S leaker_pool top_module)" leaker "slabs: leaker_pool top_module leaker"
is "$(lk_live)" $((base + 1350)) "modules: leaker live grew by exactly 1350"
is "$(lk_bytes)" $((base_bytes + 256000 + 96000 + 50 * 448)) "modules: leaker live_bytes exact"
is "$(ot_field $M leaker state)" live "modules: leaker state live"
sum=$(awk '$2 == "leaker" { s += $5 } END { print s + 0 }' $OT_PROC/callsites)
is "$sum" "$(lk_live)" "callsites: leaker rows add up to the module's live objects"
ok 'grep -q "^leaker_[a-z_]*+0x[0-9a-f]*/0x[0-9a-f]* leaker " $OT_PROC/callsites' \
	"callsites: leaker rows named func+0xoff/0xsize"
ot_invariants "after the leak"

# Return addresses off the stack: the function graph tracer on every leaker
# function and on mempool_alloc*() (6.12: mempool_alloc_noprof()) swaps their
# return addresses for its trampoline's and keeps the originals on the
# task's own return stack, where the unwinder finds them. oomtrace's shortcut (no walk when the stack holds
# no module address) must not take leaker's allocations for [kernel]'s.
T=/sys/kernel/debug/tracing
run_ok "function_graph on leaker's functions and mempool_alloc" sh -c \
	"echo ':mod:leaker' >$T/set_ftrace_filter && echo 'mempool_alloc*' >>$T/set_ftrace_filter &&
	 echo function_graph >$T/current_tracer"
lk_cmd mempool 20
run_ok "tracer off" sh -c "echo nop >$T/current_tracer && echo >$T/set_ftrace_filter"
is "$(ms_live leaker_pool)" 74 "mempool under function_graph: 20 more live in leaker_pool"
peak=$(ot_field $M leaker peak_bytes)

lk_cmd free
is "$(ms_live kmalloc-256)" 0 "free: kmalloc-256 back to 0"
is "$(ms_live leaker_obj)" 0 "free: leaker_obj back to 0"
is "$(lk_live)" "$base" "free: leaker back to its baseline"
cmp_ok "$(ot_field $M leaker peak_bytes)" -ge "$peak" "peak_bytes kept after free"

# Churn patterns must net to zero.
a0=$(ot_field $M leaker allocs)
lk_cmd churn_krealloc 200
is "$(lk_live)" "$base" "krealloc churn nets to zero"
cmp_ok "$(ot_field $M leaker allocs)" -gt "$((a0 + 200))" "krealloc churn was seen"
a0=$(ot_field $S leaker_obj allocs)
lk_cmd churn_bulk 100
is "$(ms_live leaker_obj)" 0 "kmem_cache_alloc_bulk/free_bulk nets to zero"
is "$(ot_field $S leaker_obj allocs)" $((a0 + 100)) "bulk allocations counted (kretprobe)"
is "$(lk_live)" "$base" "kfree_bulk nets to zero"
lk_cmd churn_rcu 500 128
# kfree_rcu batches drain up to ~5 s later, through kfree_bulk.
at_base() { [ "$(lk_live)" = "$base" ]; }
run_ok "kfree_rcu churn nets to zero (bounded wait)" wait_until 20 at_base
ok '[ "$(lk_live)" = "$base" ]' "kfree_rcu churn: leaker live == baseline"
ot_invariants "after churn"
is "$(ot_status dropped)" 0 "nothing dropped"

# Control: bad input is rejected and changes nothing.
e0=$(ot_status epoch)
run_fails "control rejects an unknown command" sh -c "printf 'bogus\n' > $OT_PROC/control"
run_fails "control rejects reset with an argument" sh -c "printf 'reset now\n' > $OT_PROC/control"
run_fails "control rejects an empty command" sh -c "printf '\n' > $OT_PROC/control"
run_fails "control rejects a 4 KiB write" sh -c "head -c 4096 /dev/zero | tr '\\0' r > $OT_PROC/control"
is "$(ot_status epoch)" "$e0" "epoch unchanged by rejected writes"
is "$(lk_live)" "$base" "counts unchanged by rejected writes"

lk_cmd kmalloc 10 64
run_ok "reset accepted" sh -c "printf 'reset\n' > $OT_PROC/control"
is "$(ot_status epoch)" $((e0 + 1)) "reset starts a new epoch"
ok '! grep -q "^leaker " $M' "reset: leaker row forgotten"
lk_cmd free
ok '! grep -q "^leaker " $M' "frees of pre-reset objects are ignored (no negative row)"
lk_cmd kmalloc 7 64
is "$(ms_live kmalloc-64)" 7 "after reset: new allocations counted from zero"
lk_cmd free
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
