/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: the slot table (slots.c). Every allocation is charged to a
 * slot: a (call site, cache) pair, which names its module. Each slot has
 * counters per CPU (local64: safe against interrupts on the same CPU, never
 * shared with another CPU). Every /proc table is a sum of slots at read
 * time. Slots are insert-only like the identity tables; a module unloaded
 * or a cache destroyed retires its slots, whose counters stay readable.
 *
 * Callers: the hot path (lookups and counters, inline below) and the
 * readers (ot_slot_cpu_ctrs()).
 */
#ifndef OOMTRACE_SLOTS_H
#define OOMTRACE_SLOTS_H

#include <linux/bitops.h>
#include <linux/types.h>
#include <linux/smp.h>
#include <asm/local64.h>

#include "identity.h"

/* Slot map value of a call site whose owner is found by a stack walk. */
#define OT_SLOT_WALK	(OT_NONE - 1)

struct ot_slot {
	u32 site;
	u16 cache;
	u16 module;
};

/*
 * Per slot and CPU. In sampled mode every tracked allocation adds the
 * objects and bytes it stands for: allocs, frees and bytes are estimates.
 */
struct ot_ctr {
	local64_t allocs;
	local64_t frees;
	local64_t bytes;
};

/* For the inline fast paths below only: the lookup map and the counters. */
extern struct ot_map ot_slot_map;
extern struct ot_slot *ot_slots;
extern struct ot_ctr *ot_slot_ctrs;
extern u32 ot_slot_stride;
extern unsigned long *ot_slot_kernel_bits;

/* Whether @slot is the core kernel's: one bit, a cache-hot array. */
static __always_inline bool ot_slot_kernel(u32 slot)
{
	return test_bit(slot, ot_slot_kernel_bits);
}

/* This CPU's counters of @slot (preemption off: the probes' context). */
static __always_inline struct ot_ctr *ot_slot_ctr(u32 slot)
{
	return &ot_slot_ctrs[(size_t)smp_processor_id() * ot_slot_stride + slot];
}

u32 ot_slot_of_slow(unsigned long call_site, u64 cache_key);
u32 ot_site_slot_slow(u32 site, u64 cache_key);

/*
 * The slot an allocation from @call_site in @cache_key is charged to, or
 * OT_NONE when a table is full. Lockless; the first sight of a pair takes
 * ot_slow_lock() once (ot_slot_of_slow()).
 */
static __always_inline u32 ot_slot_of(unsigned long call_site, u64 cache_key)
{
	u32 id = ot_map_find(&ot_slot_map, call_site, cache_key);

	if (likely(id < OT_SLOT_WALK))
		return id;
	return ot_slot_of_slow(call_site, cache_key);
}

/*
 * The slot of a page allocation owned by @site (found by a stack walk):
 * keyed by the site's id + 1, never an address. As ot_slot_of().
 */
static __always_inline u32 ot_page_slot(u32 site)
{
	u32 id = ot_map_find(&ot_slot_map, site + 1, OT_KEY_PAGES);

	if (likely(id != OT_NONE))
		return id;
	return ot_site_slot_slow(site, OT_KEY_PAGES);
}

int ot_slots_init(u32 max_slots);
void ot_slots_exit(void);
size_t ot_slots_bytes(u32 max_slots);
void ot_slots_clear(void);
u32 ot_slots_nr(void);

/*
 * A slot's site, cache and module; @id below ot_slots_nr(). Inline: readers
 * look at every slot for every file.
 */
static inline const struct ot_slot *ot_slot(u32 id)
{
	return &ot_slots[id];
}

const struct ot_ctr *ot_slot_cpu_ctrs(unsigned int cpu);
void ot_slots_retire_module(u32 mod, bool init_only);
void ot_slots_retire_cache(u32 cache);

#endif /* OOMTRACE_SLOTS_H */
