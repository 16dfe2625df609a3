// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the hot path. Tracepoint probes on kmalloc, kmem_cache_alloc,
 * mm_page_alloc and their frees charge every allocation to a slot and
 * remember it in the pointer table, so that its free finds what it frees.
 *
 * Everything here runs in the allocator's context (process, softirq or hard
 * irq, sometimes under slab locks): no sleeping, no allocation, no global
 * lock. Per object: one slot lookup, one pass over two 64-byte buckets, and
 * this CPU's counters of the slot (local64: safe against interrupts on the
 * same CPU, never shared with another CPU).
 *
 * Pointer table: two-choice hashing over buckets of four 16-byte entries. An
 * entry is claimed with cmpxchg() and released with a store of 0; events on
 * one pointer are ordered by the allocator itself (the alloc tracepoint fires
 * before the pointer escapes, the free tracepoint before it is released), so
 * no lock is needed. A full pair of buckets drops the allocation and counts it
 * (status: dropped): it is then not counted at all, never half-counted.
 */
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <trace/events/kmem.h>

#include "oomtrace.h"

#define OT_BUCKET	4
/* Slot map value of a call site whose owner is found by a stack walk. */
#define OT_SLOT_WALK	(OT_NONE - 1)

struct ot_obj {
	unsigned long ptr;
	u32 slot;
	u32 bytes;
};

struct ot_bucket {
	struct ot_obj o[OT_BUCKET];
} __aligned(64);

struct ot_slot *ot_slots;
u32 ot_nr_slots;
struct ot_map ot_slot_map;
unsigned long ot_max_objects;
atomic64_t ot_dropped;
atomic64_t ot_lost_frees;
unsigned int ot_epoch;
u64 ot_epoch_start_ns;

static struct ot_bucket *ot_buckets;
static u32 ot_bucket_mask;
static struct ot_ctr *ot_ctrs;

static struct ot_ctr *ot_ctr(unsigned int cpu, u32 slot)
{
	return &ot_ctrs[(size_t)cpu * ot_max_sites + slot];
}

static void ot_count(u32 slot, bool alloc, u32 bytes)
{
	struct ot_ctr *c = ot_ctr(smp_processor_id(), slot);

	if (alloc) {
		local64_inc(&c->allocs);
		local64_add(bytes, &c->bytes);
	} else {
		local64_inc(&c->frees);
		local64_sub(bytes, &c->bytes);
	}
}

static void ot_buckets_of(unsigned long ptr, struct ot_bucket **b)
{
	/*
	 * hash_64() keeps the product's top bits: the low bits of a plain
	 * multiply are all zero for page-aligned pointers.
	 */
	u32 b0 = hash_64(ptr, 32) & ot_bucket_mask;
	u32 b1 = hash_64(ptr ^ 0x5bd1e9955bd1e995ULL, 32) & ot_bucket_mask;

	b[0] = &ot_buckets[b0];
	b[1] = &ot_buckets[b0 == b1 ? b1 ^ 1 : b1];
}

static struct ot_obj *ot_obj_find(struct ot_bucket **b, unsigned long ptr)
{
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < OT_BUCKET; j++)
			if (READ_ONCE(b[i]->o[j].ptr) == ptr)
				return &b[i]->o[j];
	return NULL;
}

static bool ot_obj_insert(unsigned long ptr, u32 slot, u32 bytes)
{
	struct ot_bucket *b[2];
	struct ot_obj *o;
	int i, j;

	ot_buckets_of(ptr, b);
	/*
	 * Still present: its free went by unseen (oomtrace was paused by a
	 * reset, or a free path without tracepoint). Count it freed now rather
	 * than keep a false leak forever.
	 */
	o = ot_obj_find(b, ptr);
	if (unlikely(o)) {
		ot_count(o->slot, false, o->bytes);
		atomic64_inc(&ot_lost_frees);
		goto fill;
	}
	for (i = 0; i < 2; i++) {
		for (j = 0; j < OT_BUCKET; j++) {
			o = &b[i]->o[j];
			if (!READ_ONCE(o->ptr) && !cmpxchg(&o->ptr, 0, ptr))
				goto fill;
		}
	}
	return false;
fill:
	o->slot = slot;
	o->bytes = bytes;
	return true;
}

/* Slow path: first sight of (call site, cache); takes ot_slow_lock. */
static u32 ot_slot_add(u64 k1, u32 site, u64 cache_key, bool direct)
{
	struct ot_slot *s;
	unsigned long flags;
	u32 id, cache;
	u8 class;

	raw_spin_lock_irqsave(&ot_slow_lock, flags);
	id = ot_map_find(&ot_slot_map, k1, cache_key);
	if (id != OT_NONE)
		goto out;
	class = ot_sites[site].class;
	if (direct && ot_walk_depth &&
	    (class == OT_SITE_HELPER ||
	     (ot_walk_all && (class == OT_SITE_KERNEL || class == OT_SITE_BOUNDARY)))) {
		/* The owner is up the stack: remember to walk for this site. */
		id = ot_map_insert(&ot_slot_map, k1, cache_key, OT_SLOT_WALK) ?
		     OT_NONE : OT_SLOT_WALK;
		goto out;
	}
	cache = ot_cache_resolve(cache_key);
	if (cache == OT_NONE || ot_nr_slots >= ot_max_sites)
		goto out;
	id = ot_nr_slots;
	s = &ot_slots[id];
	s->site = site;
	s->cache = cache;
	s->module = ot_sites[site].module;
	s->objsize = ot_caches[cache].large ? 0 : ot_caches[cache].objsize;
	if (ot_map_insert(&ot_slot_map, k1, cache_key, id)) {
		id = OT_NONE;
		goto out;
	}
	/* Readers scan up to ot_nr_slots without the lock. */
	smp_store_release(&ot_nr_slots, id + 1);
out:
	raw_spin_unlock_irqrestore(&ot_slow_lock, flags);
	return id;
}

/* The slot an allocation from @call_site in @cache_key is charged to. */
static u32 ot_slot_of(unsigned long call_site, u64 cache_key)
{
	u32 id = ot_map_find(&ot_slot_map, call_site, cache_key);
	u32 site;

	if (likely(id < OT_SLOT_WALK))
		return id;
	if (id == OT_NONE) {
		site = ot_site_of(call_site);
		if (site == OT_NONE)
			return OT_NONE;
		id = ot_slot_add(call_site, site, cache_key, true);
		if (id != OT_SLOT_WALK)
			return id;
	}
	/* Walked sites are keyed by the owner's site id, never an address. */
	site = ot_owner_site(call_site);
	if (site == OT_NONE)
		return OT_NONE;
	id = ot_map_find(&ot_slot_map, site + 1, cache_key);
	if (likely(id != OT_NONE))
		return id;
	return ot_slot_add(site + 1, site, cache_key, false);
}

/**
 * ot_track_alloc - charge one allocation
 * @call_site: the allocator's caller
 * @cache_key: the cache (kmem_cache pointer or kmalloc key)
 * @ptr: the object
 * @bytes: its size, or 0 for the cache's object size
 */
void ot_track_alloc(unsigned long call_site, u64 cache_key, const void *ptr, u32 bytes)
{
	u32 slot;

	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	slot = ot_slot_of(call_site, cache_key);
	if (unlikely(slot == OT_NONE))
		goto drop;
	if (!bytes)
		bytes = ot_slots[slot].objsize;
	if (unlikely(!ot_obj_insert((unsigned long)ptr, slot, bytes)))
		goto drop;
	ot_count(slot, true, bytes);
	return;
drop:
	atomic64_inc(&ot_dropped);
}

/**
 * ot_track_free - uncharge a freed object, if it is tracked
 * @ptr: the object
 */
void ot_track_free(const void *ptr)
{
	struct ot_bucket *b[2];
	struct ot_obj *o;
	u32 slot, bytes;

	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	ot_buckets_of((unsigned long)ptr, b);
	o = ot_obj_find(b, (unsigned long)ptr);
	if (!o)
		return;		/* allocated before load or reset */
	slot = o->slot;
	bytes = o->bytes;
	/* Release the entry only after its fields were read. */
	smp_store_release(&o->ptr, 0);
	ot_count(slot, false, bytes);
}

/*
 * Pages: user and page-cache memory (movable, or hardwalled GFP_USER) is no
 * module's leak and would bury the signal under [kernel]: it is not tracked.
 * Slab pages are counted as their objects and kmalloc-large as kmalloc: the
 * walk recognises those callers (OT_SITE_SKIP). Keyed by struct page.
 */
static void ot_probe_page_alloc(void *data, struct page *page, unsigned int order,
				gfp_t gfp, int migratetype)
{
	u32 site, slot;

	if (!page || (gfp & (__GFP_MOVABLE | __GFP_HARDWALL)))
		return;
	site = ot_page_owner();
	if (site == OT_NONE || ot_sites[site].class == OT_SITE_SKIP)
		return;
	slot = ot_map_find(&ot_slot_map, site + 1, OT_KEY_PAGES);
	if (unlikely(slot == OT_NONE))
		slot = ot_slot_add(site + 1, site, OT_KEY_PAGES, false);
	if (unlikely(slot == OT_NONE) || !ot_obj_insert((unsigned long)page, slot,
							PAGE_SIZE << order)) {
		atomic64_inc(&ot_dropped);
		return;
	}
	ot_count(slot, true, PAGE_SIZE << order);
}

static void ot_probe_page_free(void *data, struct page *page, unsigned int order)
{
	ot_track_free(page);
}

static void ot_probe_page_free_batched(void *data, struct page *page)
{
	ot_track_free(page);
}

static void ot_probe_kmalloc(void *data, unsigned long call_site, const void *ptr,
			     size_t bytes_req, size_t bytes_alloc, gfp_t gfp, int node)
{
	ot_track_alloc(call_site, ot_kmalloc_key(bytes_alloc, gfp), ptr, bytes_alloc);
}

static void ot_probe_cache_alloc(void *data, unsigned long call_site, const void *ptr,
				 struct kmem_cache *s, gfp_t gfp, int node)
{
	ot_track_alloc(call_site, (unsigned long)s, ptr, 0);
}

static void ot_probe_kfree(void *data, unsigned long call_site, const void *ptr)
{
	ot_track_free(ptr);
}

static void ot_probe_cache_free(void *data, unsigned long call_site, const void *ptr,
				const struct kmem_cache *s)
{
	ot_track_free(ptr);
}

/*
 * The probes' prototypes are checked against the kernel's own tracepoint
 * declarations: a change breaks the build here, not the kernel at run time.
 * sizeof() does not evaluate, so nothing references the tracepoint symbols.
 */
static_assert(sizeof(register_trace_kmalloc(ot_probe_kmalloc, NULL)) == sizeof(int));
static_assert(sizeof(register_trace_kmem_cache_alloc(ot_probe_cache_alloc, NULL)) ==
	      sizeof(int));
static_assert(sizeof(register_trace_kfree(ot_probe_kfree, NULL)) == sizeof(int));
static_assert(sizeof(register_trace_kmem_cache_free(ot_probe_cache_free, NULL)) ==
	      sizeof(int));
static_assert(sizeof(register_trace_mm_page_alloc(ot_probe_page_alloc, NULL)) == sizeof(int));
static_assert(sizeof(register_trace_mm_page_free(ot_probe_page_free, NULL)) == sizeof(int));
static_assert(sizeof(register_trace_mm_page_free_batched(ot_probe_page_free_batched, NULL)) ==
	      sizeof(int));

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool on;
} ot_tps[] = {
	{ "kmalloc", ot_probe_kmalloc },
	{ "kmem_cache_alloc", ot_probe_cache_alloc },
	{ "mm_page_alloc", ot_probe_page_alloc },
	{ "kfree", ot_probe_kfree },
	{ "kmem_cache_free", ot_probe_cache_free },
	{ "mm_page_free", ot_probe_page_free },
	{ "mm_page_free_batched", ot_probe_page_free_batched },
};

static void ot_tp_lookup(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ot_tps); i++)
		if (!strcmp(tp->name, ot_tps[i].name))
			ot_tps[i].tp = tp;
}

/**
 * ot_track_stop - detach the probes and wait until none runs
 */
void ot_track_stop(void)
{
	int i;

	/* Allocs first: an object must not be freed unseen after its alloc. */
	for (i = 0; i < ARRAY_SIZE(ot_tps); i++) {
		if (!ot_tps[i].on)
			continue;
		tracepoint_probe_unregister(ot_tps[i].tp, ot_tps[i].probe, NULL);
		ot_tps[i].on = false;
	}
	tracepoint_synchronize_unregister();
}

/**
 * ot_track_start - attach the probes
 *
 * Return: 0 or a negative errno; on error nothing stays attached.
 */
int ot_track_start(void)
{
	int i, ret;

	/* Frees before allocs, for the same reason as in ot_track_stop(). */
	for (i = ARRAY_SIZE(ot_tps) - 1; i >= 0; i--) {
		if (!ot_tps[i].tp) {
			pr_err("tracepoint %s not found\n", ot_tps[i].name);
			ret = -ENOENT;
			goto err;
		}
		ret = tracepoint_probe_register(ot_tps[i].tp, ot_tps[i].probe, NULL);
		if (ret)
			goto err;
		ot_tps[i].on = true;
	}
	ot_epoch_start_ns = ktime_get_boottime_ns();
	return 0;
err:
	ot_track_stop();
	return ret;
}

/**
 * ot_retire_slots - stop new allocations from landing in matching slots
 * @module: only slots of this module, or OT_NONE for any
 * @site: only slots of this site, or OT_NONE for any
 * @cache: only slots of this cache, or OT_NONE for any
 *
 * Called with ot_slow_lock held. Retired slots keep their counters; frees of
 * their objects still find them through the pointer table.
 */
void ot_retire_slots(u32 module, u32 site, u32 cache)
{
	struct ot_map_ent *e;
	struct ot_slot *s;

	for (e = ot_slot_map.ent; e <= ot_slot_map.ent + ot_slot_map.mask; e++) {
		if (!e->k1 || e->retired || e->val >= OT_SLOT_WALK)
			continue;
		s = &ot_slots[e->val];
		if ((module == OT_NONE || s->module == module) &&
		    (site == OT_NONE || s->site == site) &&
		    (cache == OT_NONE || s->cache == cache))
			WRITE_ONCE(e->retired, 1);
	}
}

/**
 * ot_slot_read - sum a slot's counters over all CPUs
 * @slot: the slot
 * @allocs: allocations
 * @frees: frees
 * @bytes: live bytes (may be transiently negative while CPUs race)
 */
void ot_slot_read(u32 slot, u64 *allocs, u64 *frees, s64 *bytes)
{
	unsigned int cpu;

	*allocs = 0;
	*frees = 0;
	*bytes = 0;
	for_each_possible_cpu(cpu) {
		struct ot_ctr *c = ot_ctr(cpu, slot);

		*allocs += local64_read(&c->allocs);
		*frees += local64_read(&c->frees);
		*bytes += local64_read(&c->bytes);
	}
}

/**
 * ot_track_reset - forget everything and start a new epoch
 *
 * Called with ot_ctl_mutex held. The probes are detached meanwhile, so the
 * tables can be cleared without racing the hot path.
 */
void ot_track_reset(void)
{
	unsigned long flags;
	u32 i;

	ot_kprobes_stop();
	ot_track_stop();
	raw_spin_lock_irqsave(&ot_slow_lock, flags);
	ot_map_clear(&ot_slot_map);
	ot_nr_slots = 0;
	raw_spin_unlock_irqrestore(&ot_slow_lock, flags);
	memset(ot_buckets, 0, (ot_bucket_mask + 1) * sizeof(*ot_buckets));
	memset(ot_ctrs, 0, array3_size(nr_cpu_ids, ot_max_sites, sizeof(*ot_ctrs)));
	for (i = 0; i < OT_MAX_MODULES; i++)
		atomic64_set(&ot_mods[i].peak, 0);
	for (i = 0; i < OT_MAX_CACHES; i++)
		atomic64_set(&ot_caches[i].peak, 0);
	atomic64_set(&ot_dropped, 0);
	atomic64_set(&ot_lost_frees, 0);
	ot_epoch++;
	if (ot_track_start())
		pr_err("reset: tracepoints could not be attached again\n");
	else if (ot_kprobes_start())
		pr_warn("reset: bulk kprobes could not be attached again\n");
}

/**
 * ot_track_init - allocate the pointer table, slots and counters
 *
 * Return: 0 or -ENOMEM.
 */
int ot_track_init(void)
{
	unsigned long nb = roundup_pow_of_two(max(2 * ot_max_objects / OT_BUCKET, 2UL));

	for_each_kernel_tracepoint(ot_tp_lookup, NULL);
	ot_buckets = vzalloc(array_size(nb, sizeof(*ot_buckets)));
	ot_slots = vzalloc(array_size(ot_max_sites, sizeof(*ot_slots)));
	ot_ctrs = vzalloc(array3_size(nr_cpu_ids, ot_max_sites, sizeof(*ot_ctrs)));
	if (!ot_buckets || !ot_slots || !ot_ctrs || ot_map_init(&ot_slot_map, ot_max_sites)) {
		ot_track_exit();
		return -ENOMEM;
	}
	ot_bucket_mask = nb - 1;
	return 0;
}

/**
 * ot_track_exit - free what ot_track_init() allocated; probes are detached
 */
void ot_track_exit(void)
{
	ot_map_free(&ot_slot_map);
	vfree(ot_ctrs);
	vfree(ot_slots);
	vfree(ot_buckets);
}

/**
 * ot_track_bytes - memory held by the hot-path tables
 *
 * Return: bytes.
 */
size_t ot_track_bytes(void)
{
	return (ot_bucket_mask + 1) * sizeof(*ot_buckets) +
	       ot_max_sites * sizeof(*ot_slots) + ot_map_bytes(&ot_slot_map) +
	       (size_t)nr_cpu_ids * ot_max_sites * sizeof(*ot_ctrs);
}
