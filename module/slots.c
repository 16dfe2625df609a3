// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the slot table and its per-CPU counters (slots.h).
 *
 * A slot is found by (call site, cache key) in ot_slot_map. A call site
 * whose owner is up the stack (a core helper) maps to OT_SLOT_WALK instead;
 * its allocations are charged to a slot keyed by (owner site + 1, cache
 * key): site ids never collide with code addresses. Inserts take
 * ot_slow_lock(); lookups and counters are lockless.
 */
#include <linux/vmalloc.h>
#include <linux/cpumask.h>
#include <linux/string.h>

#include "slots.h"

struct ot_map ot_slot_map;
struct ot_ctr *ot_slot_ctrs;
u32 ot_slot_stride;
unsigned long *ot_slot_kernel_bits;

struct ot_slot *ot_slots;
static struct ot_tab ot_slots_tab;

/* Whether allocations from a site of @class are charged up the stack. */
static bool ot_walked(u8 class)
{
	if (!ot_walk_depth())
		return false;
	return class == OT_SITE_HELPER ||
	       (ot_walk_all() && (class == OT_SITE_KERNEL || class == OT_SITE_BOUNDARY));
}

/* A new slot for (@k1, @cache_key), charged to @site; ot_slow_lock() held. */
static u32 ot_slot_new(u64 k1, u32 site, u64 cache_key)
{
	struct ot_slot *s;
	u32 id, cache;

	cache = ot_cache_resolve(cache_key);
	if (cache == OT_NONE)
		return OT_NONE;
	id = ot_tab_next(&ot_slots_tab);
	if (id == OT_NONE)
		goto full;
	s = &ot_slots[id];
	s->site = site;
	s->cache = cache;
	s->module = ot_site_module(site);
	if (s->module == OT_KERNEL)
		set_bit(id, ot_slot_kernel_bits);
	else
		clear_bit(id, ot_slot_kernel_bits);
	if (ot_map_insert(&ot_slot_map, k1, cache_key, id))
		goto full;
	ot_tab_publish(&ot_slots_tab, id);
	return id;
full:
	ot_tab_set_full(&ot_slots_tab);
	return OT_NONE;
}

/*
 * Slow path: first sight of (@k1, @cache_key); takes ot_slow_lock(). A
 * @direct key is a call site: if its owner is up the stack, it is marked
 * OT_SLOT_WALK instead of getting a slot.
 */
static u32 ot_slot_insert(u64 k1, u32 site, u64 cache_key, bool direct)
{
	bool walk = direct && ot_walked(ot_site_class(site));
	unsigned long flags;
	u32 id;

	/* A full table costs no lock (walk marks are bounded by the sites). */
	if (!walk && (ot_tab_full(&ot_slots_tab) || ot_cache_full_for(cache_key)))
		return OT_NONE;
	/* A module without room in the module table: dropped, never [kernel]'s. */
	if (ot_site_module(site) == OT_MOD_UNNAMED)
		return OT_NONE;
	flags = ot_slow_lock();
	id = ot_map_find(&ot_slot_map, k1, cache_key);
	if (id != OT_NONE)
		goto out;
	if (walk) {
		/* The owner is up the stack: remember to walk for this site. */
		id = OT_SLOT_WALK;
		if (ot_map_insert(&ot_slot_map, k1, cache_key, OT_SLOT_WALK)) {
			ot_tab_set_full(&ot_slots_tab);
			id = OT_NONE;
		}
		goto out;
	}
	id = ot_slot_new(k1, site, cache_key);
out:
	ot_slow_unlock(flags);
	return id;
}

/**
 * ot_site_slot_slow - first sight of an allocation owned by @site in @cache_key
 * @site: the owner, found by a stack walk
 * @cache_key: the cache
 *
 * Walked sites are keyed by the owner's site id + 1, never an address.
 *
 * Return: the slot, or OT_NONE when a table is full.
 */
u32 ot_site_slot_slow(u32 site, u64 cache_key)
{
	return ot_slot_insert(site + 1, site, cache_key, false);
}

/* The slot of an allocation whose owner is @site (a walk's result). */
static u32 ot_site_slot(u32 site, u64 cache_key)
{
	u32 id = ot_map_find(&ot_slot_map, site + 1, cache_key);

	if (likely(id != OT_NONE))
		return id;
	return ot_site_slot_slow(site, cache_key);
}

/**
 * ot_slot_of_slow - ot_slot_of() for a pair not seen yet, or a walked site
 * @call_site: the allocator's caller
 * @cache_key: the cache (kmem_cache pointer or kmalloc key)
 *
 * Return: the slot, or OT_NONE when a table is full.
 */
u32 ot_slot_of_slow(unsigned long call_site, u64 cache_key)
{
	u32 id = ot_map_find(&ot_slot_map, call_site, cache_key);
	u32 site;
	u8 class;

	if (id == OT_NONE) {
		site = ot_site_of(call_site, &class);
		if (site == OT_NONE)
			return OT_NONE;
		id = ot_slot_insert(call_site, site, cache_key, true);
		if (id != OT_SLOT_WALK)
			return id;
	}
	site = ot_owner_site(call_site);
	if (site == OT_NONE)
		return OT_NONE;
	return ot_site_slot(site, cache_key);
}

/**
 * ot_slot_cpu_ctrs - one CPU's counters of every slot
 * @cpu: a possible CPU
 *
 * A reader sums them over every possible CPU, CPU by CPU (the per-CPU array
 * of one CPU is contiguous): bytes may be transiently negative while CPUs
 * race.
 *
 * Return: the counters, indexed by slot id.
 */
const struct ot_ctr *ot_slot_cpu_ctrs(unsigned int cpu)
{
	return &ot_slot_ctrs[(size_t)cpu * ot_slot_stride];
}

/**
 * ot_slots_nr - slots in use; entries below are complete
 *
 * Return: the count.
 */
u32 ot_slots_nr(void)
{
	return ot_tab_nr(&ot_slots_tab);
}

struct ot_slot_match {
	u32 mod;
	u32 cache;
	bool init_only;
};

static bool ot_slot_matches(const struct ot_map_ent *e, const void *arg)
{
	const struct ot_slot_match *m = arg;
	const struct ot_slot *s;

	if (e->val >= OT_SLOT_WALK)
		return false;
	s = &ot_slots[e->val];
	if (m->cache != OT_NONE)
		return s->cache == m->cache;
	return s->module == m->mod && (!m->init_only || ot_site_init_phase(s->site));
}

/**
 * ot_slots_retire_module - a module's slots take no more allocations
 * @mod: the module
 * @init_only: only the slots of its init text's sites
 *
 * Called with ot_slow_lock() held, after the sites were retired. Retired
 * slots keep their counters; frees of their objects still find them
 * through the pointer table.
 */
void ot_slots_retire_module(u32 mod, bool init_only)
{
	struct ot_slot_match m = { .mod = mod, .cache = OT_NONE, .init_only = init_only };

	ot_map_retire_if(&ot_slot_map, ot_slot_matches, &m);
}

/**
 * ot_slots_retire_cache - a gone cache's slots take no more allocations
 * @cache: the cache
 *
 * Called with ot_slow_lock() held, after the cache was retired (a new cache
 * took its address).
 */
void ot_slots_retire_cache(u32 cache)
{
	struct ot_slot_match m = { .mod = OT_NONE, .cache = cache };

	ot_map_retire_if(&ot_slot_map, ot_slot_matches, &m);
}

/**
 * ot_slots_clear - forget every slot and count; the probes are detached
 */
void ot_slots_clear(void)
{
	unsigned long flags;

	flags = ot_slow_lock();
	ot_map_clear(&ot_slot_map);
	ot_slots_tab.nr = 0;
	ot_slots_tab.full = false;
	ot_slow_unlock(flags);
	memset(ot_slot_ctrs, 0, array3_size(nr_cpu_ids, ot_slot_stride, sizeof(*ot_slot_ctrs)));
}

/**
 * ot_slots_init - allocate the slot table, its map and counters
 * @max_slots: slots the table holds
 *
 * Return: 0 or -ENOMEM.
 */
int ot_slots_init(u32 max_slots)
{
	ot_slots = vzalloc(array_size(max_slots, sizeof(*ot_slots)));
	ot_slot_ctrs = vzalloc(array3_size(nr_cpu_ids, max_slots, sizeof(*ot_slot_ctrs)));
	ot_slot_kernel_bits = vzalloc(BITS_TO_LONGS(max_slots) * sizeof(long));
	if (!ot_slots || !ot_slot_ctrs || !ot_slot_kernel_bits ||
	    ot_map_init(&ot_slot_map, max_slots)) {
		ot_slots_exit();
		return -ENOMEM;
	}
	ot_slots_tab.max = max_slots;
	ot_slot_stride = max_slots;
	return 0;
}

/**
 * ot_slots_exit - free what ot_slots_init() allocated
 */
void ot_slots_exit(void)
{
	ot_map_free(&ot_slot_map);
	vfree(ot_slot_kernel_bits);
	vfree(ot_slot_ctrs);
	vfree(ot_slots);
}

/**
 * ot_slots_bytes - memory the slot table holds for @max_slots
 * @max_slots: slots the table holds
 *
 * Return: bytes, also before ot_slots_init() (to check it is affordable).
 */
size_t ot_slots_bytes(u32 max_slots)
{
	return (size_t)max_slots * (sizeof(struct ot_slot) + nr_cpu_ids * sizeof(struct ot_ctr)) +
	       BITS_TO_LONGS(max_slots) * sizeof(long) + ot_map_bytes_for(max_slots);
}
