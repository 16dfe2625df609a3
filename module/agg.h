/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: the aggregation layer. Every /proc table is a sum of slots,
 * done at read time into a workspace (agg.c), and the peaks of module and
 * cache live bytes (peaks.c). Lock-free reads of the tables below; the
 * workspace is allocated up front, so the OOM path and the panic dump
 * prepare theirs at load.
 */
#ifndef OOMTRACE_AGG_H
#define OOMTRACE_AGG_H

#include <linux/types.h>

#include "slots.h"

/* ---- agg.c ---- */

struct ot_row {
	u32 id;			/* site, cache or module id (canonical) */
	u32 id2;		/* second key (module_slabs: cache) */
	u64 allocs;
	u64 frees;
	s64 bytes;
	s64 slab_bytes;
	s64 page_bytes;
};

struct ot_agg {
	struct ot_row *slot;		/* per slot */
	struct ot_row *site;		/* per call site, or per (module, cache) */
	struct ot_row mod[OT_MAX_MODULES];
	struct ot_row cache[OT_MAX_CACHES];	/* by canonical cache id */
	u32 cache_canon[OT_MAX_CACHES];	/* cache id -> smallest id of its name */
	bool cache_pages[OT_MAX_CACHES];	/* cache id -> page allocator memory */
	u32 order[OT_MAX_CACHES];
	u32 *idx, *idx2;		/* the sorts' index arrays */
	u32 count[OT_MAX_CACHES];	/* a counting sort's keys (>= OT_MAX_MODULES) */
	u32 nr_slot;
	u32 nr_mod;
	u32 nr_cache;
};

void ot_agg_init(u32 max_slots);
size_t ot_agg_bytes(u32 max_slots);
struct ot_agg *ot_agg_alloc(void);
void ot_agg_free(struct ot_agg *a);
void ot_agg_collect(struct ot_agg *a);
void ot_agg_sort(struct ot_agg *a, struct ot_row *rows, u32 n);
u32 ot_agg_sites(struct ot_agg *a);
u32 ot_agg_mod_cache(struct ot_agg *a);
u32 ot_cache_top_module(const struct ot_agg *a, u32 n, u32 cache);
u64 ot_live(const struct ot_row *r);

/* ---- peaks.c ---- */

void ot_peaks_update(const struct ot_agg *a);
void ot_peaks_clear(void);
s64 ot_peak_mod(u32 id);
s64 ot_peak_cache(u32 id);
size_t ot_peaks_bytes(void);

#endif /* OOMTRACE_AGG_H */
