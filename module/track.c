// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the hot path. Tracepoint probes on kmalloc, kmem_cache_alloc,
 * mm_page_alloc and their frees charge every allocation to a slot
 * (slots.h) and remember it in the pointer table, so that its free finds
 * what it frees.
 *
 * Everything here runs in the allocator's context (process, softirq or hard
 * irq, sometimes under slab locks): no sleeping, no allocation, no global
 * lock. Per object: one slot lookup, one pass over two 64-byte buckets, and
 * this CPU's counters of the slot.
 *
 * Pointer table: two-choice hashing over buckets of four 16-byte entries. An
 * entry is claimed with cmpxchg() and released with a store of 0; events on
 * one pointer are ordered by the allocator itself (the alloc tracepoint fires
 * before the pointer escapes, the free tracepoint before it is released), so
 * no lock is needed. A full pair of buckets drops the allocation and counts it
 * (status: dropped): it is then not counted at all, never half-counted.
 *
 * A busy box holds millions of core-kernel objects, a module's leak a few
 * thousand: [kernel]'s exact entries may take only the first OT_KERNEL_WAYS
 * of a bucket's four, modules' entries any, the last ones first. So modules
 * keep at least half of the table however busy the core kernel is. The
 * first [kernel] allocation that finds no room there (in exact mode)
 * switches [kernel] to sampling for the rest of the epoch: its numbers
 * become unbiased estimates, said in every banner and in status, while
 * every module's stay exact. Samples are few (one per sample_bytes): they
 * may take any entry.
 *
 * Sampled mode tracks about one allocation per ot_sample_bytes allocated. The
 * allocations of each CPU form one stream of bytes, cut by sample points at
 * random intervals of mean P = ot_sample_bytes (uniform in [P/2, 3P/2): no
 * aliasing with periodic patterns, at most three points per allocation). An
 * allocation under P is tracked iff n >= 1 points fall inside it and then
 * stands for n * P bytes: as many points fall on average in s bytes as s / P,
 * so the estimate is unbiased; allocations of P or more are tracked exactly.
 * The untracked majority costs one per-CPU subtraction when allocated and,
 * when freed, one load from ot_filter: counts of tracked pointers per hash,
 * which is zero for almost every pointer.
 */
#include <linux/ktime.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/random.h>
#include <trace/events/kmem.h>

#include "track.h"

#define OT_BUCKET	4
#define OT_KERNEL_WAYS	2	/* of a bucket's entries, those [kernel] may take */
#define OT_FILTER_BITS	16

/*
 * An entry's value: the object's size, and in sampled mode the sample points
 * inside it (0: tracked exactly). OT_FRAG marks a page split off a tracked
 * block (ot_track_split()): its bytes, but no object of its own. The largest
 * allocation the buddy allocator can hand out must fit below the flag.
 */
#define OT_POINTS_SHIFT	24
#define OT_FRAG		BIT(23)
#define OT_SIZE_MASK	(OT_FRAG - 1)
static_assert(PAGE_SIZE << OT_MAX_PAGE_ORDER <= OT_SIZE_MASK);

struct ot_obj {
	unsigned long ptr;
	u32 slot;
	u32 val;
};

struct ot_bucket {
	struct ot_obj o[OT_BUCKET];
} __aligned(64);

/*
 * Events seen by the probes on one CPU, tracked or not. Per CPU: a full
 * table drops on every CPU at once, which must not bounce a shared line.
 */
struct ot_seen {
	u64 allocs;
	u64 frees;
	u64 estimated;		/* allocations left to sampling */
	u64 dropped;		/* allocations not counted at all */
	u64 lost_frees;
	s64 entries;		/* entries claimed minus released (on any CPU) */
};

static unsigned int ot_epoch;		/* clears since load */
static u64 ot_epoch_ns;			/* when the probes were attached last */
static bool ot_sampled;
static bool ot_kernel_sampled;		/* exact mode: [kernel]'s half filled up */
static u32 ot_sample_bytes;
static struct ot_bucket *ot_buckets;
static u32 ot_bucket_mask;
static atomic_t *ot_filter;
static DEFINE_PER_CPU(s64, ot_countdown);
static DEFINE_PER_CPU(u64, ot_rand);
static DEFINE_PER_CPU(struct ot_seen, ot_seen);

/* What an entry stands for: estimated bytes and objects. */
struct ot_amount {
	s64 bytes;
	u64 objs;
};

/*
 * What the entry of @ptr stands for. A sample of @points stands for
 * points * P bytes, that is bytes / size objects: the fraction is rounded up
 * with a probability equal to it, decided by the pointer's hash (the same at
 * the free), so that the object counts are as unbiased as the bytes
 * (rounding to nearest made them -18% at P = 5000 in kmalloc-4k).
 */
static noinline struct ot_amount ot_val_decode(u32 val, unsigned long ptr)
{
	u32 size = max(val & OT_SIZE_MASK, 1U);
	u32 points = val >> OT_POINTS_SHIFT;
	struct ot_amount a;
	u32 rem;

	if (!points)
		return (struct ot_amount){ size, !(val & OT_FRAG) };
	a.bytes = (s64)points * ot_sample_bytes;
	a.objs = div_u64_rem(a.bytes, size, &rem);
	if (((u64)hash_64(ptr ^ 0x9e3779b97f4a7c15ULL, 32) * size) >> 32 < rem)
		a.objs++;
	return a;
}

static __always_inline void ot_count(u32 slot, bool alloc, u32 val, unsigned long ptr)
{
	struct ot_ctr *c = ot_slot_ctr(slot);
	/* An exact object's value is its size (never 0: see ot_sample_val()). */
	struct ot_amount a = likely(!(val & ~OT_SIZE_MASK)) ?
			     (struct ot_amount){ val, 1 } : ot_val_decode(val, ptr);

	if (alloc) {
		local64_add(a.objs, &c->allocs);
		local64_add(a.bytes, &c->bytes);
	} else {
		local64_add(a.objs, &c->frees);
		local64_sub(a.bytes, &c->bytes);
	}
}

/*
 * The next interval between sample points, from a per-CPU xorshift64*
 * generator: get_random_u32() cost ~100 us per sample under TCG (ChaCha20
 * refills), more than the tracking it decides. An interrupt that samples in
 * the middle may repeat a value; the state stays non-zero and valid.
 */
static u32 ot_interval(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return ot_sample_bytes / 2 + (u32)((x * 0x2545f4914f6cdd1dULL) >> 32) % ot_sample_bytes;
}

/* Slow half of ot_sample_val(): the countdown ran out inside this allocation. */
static noinline u32 ot_sample_points(s64 left)
{
	u32 points = 0;

	do {
		points++;
		left = this_cpu_add_return(ot_countdown, ot_interval(this_cpu_ptr(&ot_rand)));
	} while (left <= 0);
	return points;
}

/*
 * The entry value of a sampled allocation of @bytes, or 0 to leave it
 * untracked. this_cpu_sub_return() is one instruction: safe against
 * interrupts that allocate on this CPU in the middle.
 */
static __always_inline u32 ot_sample(u32 bytes)
{
	s64 left;

	if (bytes >= ot_sample_bytes)
		return bytes;
	this_cpu_inc(ot_seen.estimated);
	left = this_cpu_sub_return(ot_countdown, bytes);
	if (likely(left > 0))
		return 0;
	return bytes | ot_sample_points(left) << OT_POINTS_SHIFT;
}

/* The entry value of a new allocation of @bytes (sampled mode: maybe 0). */
static __always_inline u32 ot_sample_val(u32 bytes)
{
	this_cpu_inc(ot_seen.allocs);
	if (!READ_ONCE(ot_sampled))
		return bytes;
	return ot_sample(bytes);
}

static atomic_t *ot_filter_of(unsigned long ptr)
{
	return &ot_filter[hash_64(ptr, OT_FILTER_BITS)];
}

/* The two buckets of @ptr, never the same one. */
struct ot_pair {
	struct ot_bucket *b0, *b1;
};

static __always_inline struct ot_pair ot_buckets_of(unsigned long ptr)
{
	/*
	 * One multiply, two ranges of the product's bits: b0 from bit 32
	 * up, b1 from bit 12 up (its low 12 bits are zero for page-aligned
	 * pointers). Disjoint up to 2^20 buckets (max_objects 2097152);
	 * larger tables share a few bits between the two.
	 */
	u64 h = (u64)ptr * GOLDEN_RATIO_64;
	u32 b0 = (h >> 32) & ot_bucket_mask;
	u32 b1 = (h >> 12) & ot_bucket_mask;

	return (struct ot_pair){ &ot_buckets[b0], &ot_buckets[b0 == b1 ? b1 ^ 1 : b1] };
}

/* The entry of @b holding @ptr, or NULL: four unrolled loads and compares. */
static __always_inline struct ot_obj *ot_bucket_find(struct ot_bucket *b, unsigned long ptr)
{
	int j;

#pragma GCC unroll 4
	for (j = 0; j < OT_BUCKET; j++)
		if (READ_ONCE(b->o[j].ptr) == ptr)
			return &b->o[j];
	return NULL;
}

/*
 * The entry of @pr holding @ptr, or NULL. b0 first, whole: claims prefer
 * it (ot_obj_take()), so most frees read one cache line, not two.
 */
static __always_inline struct ot_obj *ot_obj_find(struct ot_pair pr, unsigned long ptr)
{
	struct ot_obj *o = ot_bucket_find(pr.b0, ptr);

	return o ? o : ot_bucket_find(pr.b1, ptr);
}

/* Way @j of @pr's buckets, b0's first, claimed for @ptr if free. */
static __always_inline struct ot_obj *ot_obj_take(struct ot_pair pr, int j, unsigned long ptr)
{
	if (!READ_ONCE(pr.b0->o[j].ptr) && !cmpxchg(&pr.b0->o[j].ptr, 0, ptr))
		return &pr.b0->o[j];
	if (!READ_ONCE(pr.b1->o[j].ptr) && !cmpxchg(&pr.b1->o[j].ptr, 0, ptr))
		return &pr.b1->o[j];
	return NULL;
}

/*
 * A free entry of @pr for @ptr: [kernel]'s among the first OT_KERNEL_WAYS
 * of each bucket, a module's the last ones first (see the top of this file).
 */
static __always_inline struct ot_obj *ot_obj_claim(struct ot_pair pr, unsigned long ptr,
						   bool kernel)
{
	struct ot_obj *o = NULL;
	int j;

	if (kernel) {
#pragma GCC unroll 2
		for (j = 0; j < OT_KERNEL_WAYS && !o; j++)
			o = ot_obj_take(pr, j, ptr);
	} else {
#pragma GCC unroll 4
		for (j = OT_BUCKET - 1; j >= 0 && !o; j--)
			o = ot_obj_take(pr, j, ptr);
	}
	return o;
}

/* Whether @pr holds @ptr: eight loads and compares, no branch on each. */
static __always_inline bool ot_obj_present(struct ot_pair pr, unsigned long ptr)
{
	return (READ_ONCE(pr.b0->o[0].ptr) == ptr) | (READ_ONCE(pr.b0->o[1].ptr) == ptr) |
	       (READ_ONCE(pr.b0->o[2].ptr) == ptr) | (READ_ONCE(pr.b0->o[3].ptr) == ptr) |
	       (READ_ONCE(pr.b1->o[0].ptr) == ptr) | (READ_ONCE(pr.b1->o[1].ptr) == ptr) |
	       (READ_ONCE(pr.b1->o[2].ptr) == ptr) | (READ_ONCE(pr.b1->o[3].ptr) == ptr);
}

static __always_inline bool ot_obj_insert(unsigned long ptr, u32 slot, u32 val)
{
	struct ot_pair pr = ot_buckets_of(ptr);
	struct ot_obj *o;

	/*
	 * Still present: its free went by unseen (oomtrace was paused by a
	 * reset, or a free path without tracepoint). Count it freed now rather
	 * than keep a false leak forever.
	 */
	o = unlikely(ot_obj_present(pr, ptr)) ? ot_obj_find(pr, ptr) : NULL;
	if (unlikely(o)) {
		ot_count(o->slot, false, o->val, ptr);
		this_cpu_inc(ot_seen.lost_frees);
		goto fill;
	}
	o = ot_obj_claim(pr, ptr, ot_slot_kernel(slot) && !(val >> OT_POINTS_SHIFT));
	if (!o)
		return false;
	this_cpu_inc(ot_seen.entries);
	if (ot_sampled)
		atomic_inc(ot_filter_of(ptr));
fill:
	o->slot = slot;
	o->val = val;
	return true;
}

/*
 * No room for a [kernel] entry of @val in exact mode: from now on [kernel]
 * is sampled (the sampler says so in the log: not from here, where the
 * allocator's locks may be held), starting with this one.
 * Return: its new value (0: left to sampling), or @val to drop it.
 */
static noinline u32 ot_kernel_full(u32 slot, u32 val)
{
	if (READ_ONCE(ot_sampled) || !ot_slot_kernel(slot) || val >> OT_POINTS_SHIFT)
		return val;
	WRITE_ONCE(ot_kernel_sampled, true);
	return ot_sample(val);
}

/*
 * No room for @ptr: [kernel] may go sampled (ot_kernel_full()) and retry,
 * or the allocation is dropped. Out of line: the insert is inline once.
 */
static noinline void ot_charge_full(u32 slot, const void *ptr, u32 val)
{
	u32 retry = ot_kernel_full(slot, val);

	if (!retry)
		return;
	if (retry == val || !ot_obj_insert((unsigned long)ptr, slot, retry)) {
		this_cpu_inc(ot_seen.dropped);
		return;
	}
	ot_count(slot, true, retry, (unsigned long)ptr);
}

/* Remember @ptr in @slot and count it, or count the drop. */
static void ot_charge(u32 slot, const void *ptr, u32 val)
{
	if (unlikely(slot == OT_NONE)) {
		this_cpu_inc(ot_seen.dropped);
		return;
	}
	if (unlikely(!ot_obj_insert((unsigned long)ptr, slot, val))) {
		ot_charge_full(slot, ptr, val);
		return;
	}
	ot_count(slot, true, val, (unsigned long)ptr);
}

/* Charge to @slot; [kernel]'s allocations are sampled once its half is full. */
static __always_inline void ot_charge_slot(u32 slot, const void *ptr, u32 val)
{
	if (unlikely(READ_ONCE(ot_kernel_sampled)) && slot != OT_NONE && ot_slot_kernel(slot)) {
		val = ot_sample(val);
		if (!val)
			return;
	}
	ot_charge(slot, ptr, val);
}

/* A tracked allocation: its slot, then the charge. */
static __always_inline void ot_charge_at(unsigned long call_site, u64 cache_key,
					 const void *ptr, u32 val)
{
	ot_charge_slot(ot_slot_of(call_site, cache_key), ptr, val);
}

/**
 * ot_track_alloc - charge one allocation (in sampled mode: maybe)
 * @call_site: the allocator's caller
 * @cache_key: the cache (kmem_cache pointer or kmalloc key)
 * @ptr: the object
 * @bytes: its size as handed out by the allocator
 */
__always_inline void ot_track_alloc(unsigned long call_site, u64 cache_key, const void *ptr,
				    u32 bytes)
{
	u32 val;

	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	val = ot_sample_val(bytes);
	if (val)
		ot_charge_at(call_site, cache_key, ptr, val);
}

/**
 * ot_track_free - uncharge a freed object, if it is tracked
 * @ptr: the object
 */
void ot_track_free(const void *ptr)
{
	struct ot_obj *o;
	u32 slot, val;

	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	this_cpu_inc(ot_seen.frees);
	if (READ_ONCE(ot_sampled) && !atomic_read(ot_filter_of((unsigned long)ptr)))
		return;
	o = ot_obj_find(ot_buckets_of((unsigned long)ptr), (unsigned long)ptr);
	if (!o)
		return;		/* allocated before load or reset, or not sampled */
	slot = o->slot;
	val = o->val;
	/* Release the entry only after its fields were read. */
	smp_store_release(&o->ptr, 0);
	this_cpu_dec(ot_seen.entries);
	if (ot_sampled)
		atomic_dec(ot_filter_of((unsigned long)ptr));
	ot_count(slot, false, val, (unsigned long)ptr);
}

/*
 * A page of a split block, from the head's entry on, as its own entry: the
 * free of each page finds it. False when there was no room: the page is
 * then counted freed now (its free would go unseen) and dropped.
 */
static bool ot_frag_insert(struct page *page, u32 slot)
{
	if (ot_obj_insert((unsigned long)page, slot, PAGE_SIZE | OT_FRAG))
		return true;
	this_cpu_inc(ot_seen.dropped);
	return false;
}

/**
 * ot_track_split - a tracked block of pages became single pages
 * @head: its first page
 * @order: the block's order
 * @keep: how many pages from @head on are still allocated (split_page(): all;
 *	alloc_pages_exact(): the tail beyond its size was freed already)
 *
 * The head keeps the allocation (one object, one page); the other kept pages
 * become fragments (bytes, no object), so that whichever is freed when, each
 * page's bytes go. Freed or unkept pages are subtracted now. Only blocks
 * tracked exactly: a sample's estimate stays as it was taken.
 */
void ot_track_split(struct page *head, unsigned int order, unsigned int keep)
{
	struct ot_obj *o;
	u32 slot, i, gone;

	if (!order || !keep || keep > 1U << order)
		return;
	o = ot_obj_find(ot_buckets_of((unsigned long)head), (unsigned long)head);
	if (!o || o->val != PAGE_SIZE << order)
		return;
	slot = o->slot;
	WRITE_ONCE(o->val, PAGE_SIZE);
	gone = (1U << order) - keep;
	for (i = 1; i < keep; i++)
		gone += !ot_frag_insert(head + i, slot);
	if (gone)
		ot_count(slot, false, (gone << PAGE_SHIFT) | OT_FRAG, 0);
}

/*
 * Pages: movable pages are user and page-cache memory, no module's leak, and
 * would bury the signal under [kernel]: not tracked. Pages with user-memory
 * flags (__GFP_HARDWALL: GFP_USER, GFP_HIGHUSER) count only when a module
 * asked for them (DRBD's receive pool is GFP_HIGHUSER); the core kernel's are
 * user memory (pipe buffers, ...). Slab pages are counted as their objects
 * and kmalloc-large as kmalloc: the walk recognises those callers
 * (OT_SITE_SKIP). Keyed by struct page.
 */
static void ot_probe_page_alloc(void *data, struct page *page, unsigned int order,
				gfp_t gfp, int migratetype)
{
	u32 site, val;
	u8 class;

	if (!page || (gfp & __GFP_MOVABLE))
		return;
	/* Sample first: the stack walk is the expensive part. */
	val = ot_sample_val(PAGE_SIZE << order);
	if (!val)
		return;
	site = ot_page_owner(&class);
	if (site == OT_NONE)
		return;
	if (class == OT_SITE_SKIP || ((gfp & __GFP_HARDWALL) && class != OT_SITE_MODULE))
		return;
	ot_charge_slot(ot_page_slot(site), page, val);
}

static void ot_probe_page_free(void *data, struct page *page, unsigned int order)
{
	ot_track_free(page);
}

static void ot_probe_kmalloc(void *data, unsigned long call_site, const void *ptr,
			     size_t bytes_req, size_t bytes_alloc, gfp_t gfp, int node)
{
	size_t size;
	u32 val;

	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	/*
	 * The same large kmalloc traced twice (6.12): without this, the second
	 * event would find the first's entry and count a lost free.
	 */
	if (unlikely(bytes_req > KMALLOC_MAX_CACHE_SIZE) && ot_site_skipped(call_site))
		return;
	size = ot_kmalloc_size(bytes_req, bytes_alloc);
	/* The cache key only for what is tracked: sampled mode skips most. */
	val = ot_sample_val(size);
	if (val)
		ot_charge_at(call_site, ot_kmalloc_key(size, gfp, call_site), ptr, val);
}

static void ot_probe_cache_alloc(void *data, unsigned long call_site, const void *ptr,
				 struct kmem_cache *s, gfp_t gfp, int node)
{
	ot_track_alloc(call_site, (unsigned long)s, ptr, kmem_cache_size(s));
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
	/*
	 * Not mm_page_free_batched: every page it reports passed
	 * free_pages_prepare(), whose mm_page_free fired for it already (6.1
	 * free_unref_page_list(), 6.12 free_unref_folios()); it counted each
	 * batched free twice in frees_seen.
	 */
	{ "mm_page_free", ot_probe_page_free },
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
	ot_epoch_ns = ktime_get_boottime_ns();
	return 0;
err:
	ot_track_stop();
	return ret;
}

/* Every CPU draws a fresh countdown; no pointer is tracked. Probes detached. */
static void ot_sampling_arm(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		per_cpu(ot_rand, cpu) = get_random_u64() | 1;
		per_cpu(ot_countdown, cpu) = ot_interval(per_cpu_ptr(&ot_rand, cpu));
		per_cpu(ot_seen, cpu) = (struct ot_seen){ };
	}
	memset(ot_filter, 0, sizeof(*ot_filter) << OT_FILTER_BITS);
}

/**
 * ot_track_sum - what the probes saw since the last clear, and the mode
 * @ts: filled in (the counts are exact in both modes)
 */
void ot_track_sum(struct ot_track_sum *ts)
{
	unsigned int cpu;
	s64 entries = 0;

	memset(ts, 0, sizeof(*ts));
	for_each_possible_cpu(cpu) {
		const struct ot_seen *c = per_cpu_ptr(&ot_seen, cpu);

		ts->allocs += READ_ONCE(c->allocs);
		ts->frees += READ_ONCE(c->frees);
		ts->estimated += READ_ONCE(c->estimated);
		ts->dropped += READ_ONCE(c->dropped);
		ts->lost_frees += READ_ONCE(c->lost_frees);
		entries += READ_ONCE(c->entries);
	}
	ts->entries = max(entries, 0LL);
	ts->missed = ot_kprobes_missed();
	ts->sampled = READ_ONCE(ot_sampled);
	ts->kernel_sampled = READ_ONCE(ot_kernel_sampled);
	ts->sample_bytes = ot_sample_bytes;
}

/**
 * ot_track_clear - forget every tracked pointer, maybe switch the mode
 * @sampled: sampled mode (else exact)
 * @sample_bytes: mean bytes between samples in sampled mode
 *
 * The probes are detached (ot_track_stop()), so the table can be cleared
 * and the mode changed without racing the hot path: every entry of the
 * pointer table is interpreted in the mode it was made in.
 */
void ot_track_clear(bool sampled, u32 sample_bytes)
{
	memset(ot_buckets, 0, (ot_bucket_mask + 1) * sizeof(*ot_buckets));
	WRITE_ONCE(ot_sampled, sampled);
	WRITE_ONCE(ot_kernel_sampled, false);
	ot_sample_bytes = sample_bytes;
	ot_sampling_arm();
	ot_epoch++;
}

/* Buckets of two-choice hashing: twice max_objects (headroom), a power of two. */
static unsigned long ot_buckets_for(unsigned long max_objects)
{
	return roundup_pow_of_two(max(2 * max_objects / OT_BUCKET, 2UL));
}

/**
 * ot_track_init - allocate the pointer table and the free filter
 * @max_objects: objects the pointer table is sized for
 * @sampled: start in sampled mode
 * @sample_bytes: mean bytes between samples in sampled mode
 *
 * Return: 0 or -ENOMEM.
 */
int ot_track_init(unsigned long max_objects, bool sampled, u32 sample_bytes)
{
	unsigned long nb = ot_buckets_for(max_objects);

	for_each_kernel_tracepoint(ot_tp_lookup, NULL);
	ot_buckets = vzalloc(array_size(nb, sizeof(*ot_buckets)));
	ot_filter = vmalloc(sizeof(*ot_filter) << OT_FILTER_BITS);
	if (!ot_buckets || !ot_filter) {
		ot_track_exit();
		return -ENOMEM;
	}
	ot_bucket_mask = nb - 1;
	ot_sampled = sampled;
	ot_sample_bytes = sample_bytes;
	ot_sampling_arm();
	return 0;
}

/**
 * ot_track_exit - free what ot_track_init() allocated; probes are detached
 */
void ot_track_exit(void)
{
	vfree(ot_filter);
	vfree(ot_buckets);
}

/**
 * ot_track_bytes - memory the pointer table and filter hold
 * @max_objects: objects the pointer table is sized for
 *
 * Return: bytes, also before ot_track_init() (to check it is affordable).
 */
size_t ot_track_bytes(unsigned long max_objects)
{
	return ot_buckets_for(max_objects) * sizeof(struct ot_bucket) +
	       (sizeof(*ot_filter) << OT_FILTER_BITS);
}

/**
 * ot_track_epoch - clears (resets) since load
 *
 * Return: the count.
 */
unsigned int ot_track_epoch(void)
{
	return ot_epoch;
}

/**
 * ot_track_epoch_ns - when tracking started: the probes attached last
 *
 * Return: ktime_get_boottime_ns() then.
 */
u64 ot_track_epoch_ns(void)
{
	return ot_epoch_ns;
}

/**
 * ot_track_sampled - whether the numbers are sampled estimates
 *
 * Return: true in sampled mode.
 */
bool ot_track_sampled(void)
{
	return READ_ONCE(ot_sampled);
}

/**
 * ot_track_sample_bytes - the sampling period
 *
 * Return: mean bytes between samples (sampled mode).
 */
u32 ot_track_sample_bytes(void)
{
	return ot_sample_bytes;
}
