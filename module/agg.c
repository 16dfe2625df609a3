// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: read-time aggregation. Every table is a sum of slots; this file
 * does the sums and merges rows that share a name (a cache destroyed and
 * created again, a function seen before and after its module reloaded). It
 * reads the tables without a lock and allocates nothing but its workspace,
 * up front, so a caller can prepare one before memory runs out (the OOM
 * path, the panic dump).
 */
#include <linux/slab.h>
#include <linux/sort.h>

#include "agg.h"

static u32 ot_agg_max;

/**
 * ot_agg_init - size every workspace for the tables' limits
 * @max_slots: slots (and call sites) the tables hold
 */
void ot_agg_init(u32 max_slots)
{
	ot_agg_max = max_slots;
}

/**
 * ot_agg_bytes - memory of one workspace
 * @max_slots: slots (and call sites) the tables hold
 *
 * Return: bytes, also before ot_agg_init() (to check it is affordable).
 */
size_t ot_agg_bytes(u32 max_slots)
{
	/* Two row arrays and two index arrays. */
	return sizeof(struct ot_agg) +
	       2 * (size_t)max_slots * (sizeof(struct ot_row) + sizeof(u32));
}

/**
 * ot_agg_alloc - allocate a workspace sized for the tables' limits
 *
 * Return: the workspace or NULL.
 */
struct ot_agg *ot_agg_alloc(void)
{
	struct ot_agg *a = ot_kvmalloc_array(1, sizeof(*a), GFP_KERNEL | __GFP_ZERO);

	if (!a)
		return NULL;
	/* Rows are written before they are read: not zeroed (1.5 MiB at 16384 slots). */
	a->slot = ot_kvmalloc_array(ot_agg_max, sizeof(*a->slot), GFP_KERNEL);
	a->site = ot_kvmalloc_array(ot_agg_max, sizeof(*a->site), GFP_KERNEL);
	a->idx = ot_kvmalloc_array(ot_agg_max, sizeof(*a->idx), GFP_KERNEL);
	a->idx2 = ot_kvmalloc_array(ot_agg_max, sizeof(*a->idx2), GFP_KERNEL);
	if (!a->slot || !a->site || !a->idx || !a->idx2) {
		ot_agg_free(a);
		return NULL;
	}
	return a;
}

/**
 * ot_agg_free - free a workspace
 * @a: the workspace, or NULL
 */
void ot_agg_free(struct ot_agg *a)
{
	if (!a)
		return;
	kvfree(a->idx2);
	kvfree(a->idx);
	kvfree(a->site);
	kvfree(a->slot);
	kvfree(a);
}

/**
 * ot_live - objects of a row still allocated
 * @r: the row
 *
 * Return: allocs - frees, or 0 while CPUs race a reader into a transient
 * negative.
 */
u64 ot_live(const struct ot_row *r)
{
	return r->allocs > r->frees ? r->allocs - r->frees : 0;
}

static void ot_row_add(struct ot_row *to, const struct ot_row *r)
{
	to->allocs += r->allocs;
	to->frees += r->frees;
	to->bytes += r->bytes;
	to->slab_bytes += r->slab_bytes;
	to->page_bytes += r->page_bytes;
}

static int ot_cmp_cache_name(const void *x, const void *y)
{
	const u32 *a = x, *b = y;
	int c = strcmp(ot_cache_name(*a), ot_cache_name(*b));

	return c ? c : (*a > *b) - (*a < *b);
}

/*
 * a->cache_canon[]: every cache id to the smallest id of its name;
 * a->cache_pages[]: whether it is page allocator memory.
 */
static void ot_agg_cache_names(struct ot_agg *a)
{
	u32 i;

	for (i = 0; i < a->nr_cache; i++)
		a->order[i] = i;
	sort(a->order, a->nr_cache, sizeof(a->order[0]), ot_cmp_cache_name, NULL);
	for (i = 0; i < a->nr_cache; i++) {
		u32 c = a->order[i];

		a->cache_canon[c] = i && !strcmp(ot_cache_name(c),
						 ot_cache_name(a->order[i - 1])) ?
				    a->cache_canon[a->order[i - 1]] : c;
		a->cache_pages[c] = ot_cache_pages(c);
	}
}

/* Every slot's counters, summed over the possible CPUs, CPU by CPU. */
static void ot_agg_read_slots(struct ot_agg *a, u32 n)
{
	unsigned int cpu;
	u32 i;

	for (i = 0; i < n; i++) {
		a->slot[i].allocs = 0;
		a->slot[i].frees = 0;
		a->slot[i].bytes = 0;
	}
	for_each_possible_cpu(cpu) {
		const struct ot_ctr *c = ot_slot_cpu_ctrs(cpu);

		for (i = 0; i < n; i++) {
			a->slot[i].allocs += local64_read(&c[i].allocs);
			a->slot[i].frees += local64_read(&c[i].frees);
			a->slot[i].bytes += local64_read(&c[i].bytes);
		}
	}
}

/**
 * ot_agg_collect - sum every slot into slot, module and cache rows
 * @a: the workspace
 *
 * Cache rows are merged by name: a->cache[] is indexed by the smallest cache
 * id of each name (a->cache_canon[] maps every id to it).
 */
void ot_agg_collect(struct ot_agg *a)
{
	u32 n, i;

	n = ot_slots_nr();
	a->nr_mod = ot_mods_nr();
	a->nr_cache = ot_caches_nr();
	memset(a->mod, 0, sizeof(a->mod));
	memset(a->cache, 0, sizeof(a->cache));
	ot_agg_cache_names(a);
	ot_agg_read_slots(a, n);

	for (i = 0; i < n; i++) {
		const struct ot_slot *s = ot_slot(i);
		struct ot_row *r = &a->slot[i];
		bool pages = a->cache_pages[s->cache];

		r->id = i;
		r->id2 = 0;
		r->slab_bytes = pages ? 0 : r->bytes;
		r->page_bytes = pages ? r->bytes : 0;
		ot_row_add(&a->mod[s->module], r);
		ot_row_add(&a->cache[a->cache_canon[s->cache]], r);
	}
	a->nr_slot = n;
}

typedef bool (*ot_before_fn)(const struct ot_row *a, const struct ot_row *b);

/*
 * Merge runs of @w indices from @src into @dst, the rows' order by @before;
 * equal rows keep their order. Two runs already in order (rows read in slot
 * order often are) are copied with one comparison.
 */
static __always_inline void ot_merge_pass(const struct ot_row *r, const u32 *src, u32 *dst,
					  u32 n, u32 w, ot_before_fn before)
{
	u32 i, k, p, q, m, e;

	for (i = 0; i < n; i += 2 * w) {
		m = min(i + w, n);
		e = min(i + 2 * w, n);
		if (m == e || !before(&r[src[m]], &r[src[m - 1]])) {
			memcpy(dst + i, src + i, (e - i) * sizeof(*dst));
			continue;
		}
		for (k = i, p = i, q = m; p < m && q < e;)
			dst[k++] = before(&r[src[q]], &r[src[p]]) ? src[q++] : src[p++];
		while (p < m)
			dst[k++] = src[p++];
		while (q < e)
			dst[k++] = src[q++];
	}
}

/* Move row @perm[k] to k for every k, one cycle at a time; @perm is spent. */
static void ot_rows_permute(struct ot_row *r, u32 *perm, u32 n)
{
	struct ot_row t;
	u32 k, j, next;

	for (k = 0; k < n; k++) {
		if (perm[k] == k)
			continue;
		t = r[k];
		for (j = k; (next = perm[j]) != k; j = next) {
			r[j] = r[next];
			perm[j] = j;
		}
		r[j] = t;
		perm[j] = j;
	}
}

/*
 * The order of @n rows of @r by @before: a bottom-up merge sort of their
 * indices (4-byte moves, about n log2 n comparisons, inlined). Return: the
 * index array (one of @a's), the row that goes to k at k.
 */
static __always_inline u32 *ot_rows_order(struct ot_agg *a, const struct ot_row *r, u32 n,
					  ot_before_fn before)
{
	u32 *src = a->idx, *dst = a->idx2;
	u32 i, w;

	for (i = 0; i < n; i++)
		src[i] = i;
	for (w = 1; w < n; w *= 2) {
		ot_merge_pass(r, src, dst, n, w, before);
		swap(src, dst);
	}
	return src;
}

/* Largest live bytes first, then most allocations, then the smaller id. */
static bool ot_before_bytes(const struct ot_row *a, const struct ot_row *b)
{
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes;
	if (a->allocs != b->allocs)
		return a->allocs > b->allocs;
	return a->id < b->id;
}

/**
 * ot_agg_sort - sort rows by live bytes, largest first
 * @a: the workspace (its index arrays)
 * @rows: the rows, no more than a workspace row array holds
 * @n: how many
 */
void ot_agg_sort(struct ot_agg *a, struct ot_row *rows, u32 n)
{
	/* Each row moved once: the heap sort swapped 48-byte rows. */
	ot_rows_permute(rows, ot_rows_order(a, rows, n, ot_before_bytes), n);
}

/**
 * ot_agg_sites - one row per call site (symbol and module), in a->site
 * @a: a collected workspace
 *
 * Return: the number of rows, sorted by live bytes.
 */
u32 ot_agg_sites(struct ot_agg *a)
{
	u32 nsites, i, n = 0;

	nsites = ot_sites_nr();

	/* Slots fold into their site's canonical site (same name and module). */
	memset(a->site, 0, nsites * sizeof(*a->site));
	for (i = 0; i < a->nr_slot; i++) {
		u32 c = ot_site_canon(ot_slot(i)->site);

		ot_row_add(&a->site[c], &a->slot[i]);
		a->site[c].id = c;
		a->site[c].id2 = 1;
	}
	/* A site whose slots saw nothing (every allocation dropped) has no row. */
	for (i = 0; i < nsites; i++)
		if (a->site[i].id2 && (a->site[i].allocs || a->site[i].frees))
			a->site[n++] = a->site[i];
	/* In place: the slot rows stay for the views built after this one. */
	ot_agg_sort(a, a->site, n);
	return n;
}

/* The (module, cache) key of slot @i: its module, or its canonical cache. */
static u32 ot_mc_key(const struct ot_agg *a, u32 i, bool cache)
{
	const struct ot_slot *s = ot_slot(i);

	return cache ? a->cache_canon[s->cache] : s->module;
}

static_assert(OT_MAX_CACHES >= OT_MAX_MODULES);

/* @dst: @src's slots in the order of their cache (or module) key; stable. */
static void ot_count_pass(struct ot_agg *a, const u32 *src, u32 *dst, u32 n, bool cache,
			  u32 nkeys)
{
	u32 *at = a->count;
	u32 i, k, sum = 0;

	memset(at, 0, nkeys * sizeof(*at));
	for (i = 0; i < n; i++)
		at[ot_mc_key(a, src[i], cache)]++;
	for (k = 0; k < nkeys; k++) {
		i = at[k];
		at[k] = sum;
		sum += i;
	}
	for (i = 0; i < n; i++)
		dst[at[ot_mc_key(a, src[i], cache)]++] = src[i];
}

/**
 * ot_agg_mod_cache - (module, cache) rows into a->site, largest first
 * @a: the workspace, collected; its slot rows are read, not changed
 *
 * Return: the number of rows.
 */
u32 ot_agg_mod_cache(struct ot_agg *a)
{
	u32 i, k, mod, cache, n = 0;

	/*
	 * Slots grouped by (module, cache), both small ids: a counting sort
	 * by cache, then by module, linear in the slots; each group summed
	 * straight into its row.
	 */
	for (i = 0; i < a->nr_slot; i++)
		a->idx[i] = i;
	ot_count_pass(a, a->idx, a->idx2, a->nr_slot, true, OT_MAX_CACHES);
	ot_count_pass(a, a->idx2, a->idx, a->nr_slot, false, OT_MAX_MODULES);
	for (k = 0; k < a->nr_slot; k++) {
		i = a->idx[k];
		mod = ot_mc_key(a, i, false);
		cache = ot_mc_key(a, i, true);
		if (n && a->site[n - 1].id == mod && a->site[n - 1].id2 == cache) {
			ot_row_add(&a->site[n - 1], &a->slot[i]);
			continue;
		}
		a->site[n] = a->slot[i];
		a->site[n].id = mod;
		a->site[n++].id2 = cache;
	}
	ot_agg_sort(a, a->site, n);
	return n;
}

/**
 * ot_cache_top_module - module with the most live bytes in a cache
 * @a: a workspace after ot_agg_mod_cache(), which returned @n rows
 * @n: rows in a->site
 * @cache: canonical cache id
 *
 * Return: module id, or OT_NONE when nobody holds live bytes in it.
 */
u32 ot_cache_top_module(const struct ot_agg *a, u32 n, u32 cache)
{
	u32 i;

	/* Rows are sorted by bytes: the first match is the largest. */
	for (i = 0; i < n; i++)
		if (a->site[i].id2 == cache && a->site[i].bytes > 0)
			return a->site[i].id;
	return OT_NONE;
}
