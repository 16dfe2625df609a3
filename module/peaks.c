// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: peak_bytes, the highest live bytes of each module and cache
 * seen at a sample point (the sampler every peak_ms, every read of a file,
 * every OOM event). Raised without a lock (a compare-and-swap loop), read
 * by the tables, cleared by a reset.
 */
#include <linux/atomic.h>

#include "agg.h"

static atomic64_t ot_peak_mods[OT_MAX_MODULES];
static atomic64_t ot_peak_caches[OT_MAX_CACHES];

static s64 ot_clamp(s64 v)
{
	return v > 0 ? v : 0;
}

static void ot_peak_max(atomic64_t *peak, s64 v)
{
	s64 old = atomic64_read(peak);

	while (v > old) {
		s64 seen = atomic64_cmpxchg(peak, old, v);

		if (seen == old)
			break;
		old = seen;
	}
}

/**
 * ot_peaks_update - raise the peaks to what a workspace shows
 * @a: a collected workspace
 */
void ot_peaks_update(const struct ot_agg *a)
{
	u32 i;

	for (i = 0; i < a->nr_mod; i++)
		ot_peak_max(&ot_peak_mods[i], ot_clamp(a->mod[i].bytes));
	for (i = 0; i < a->nr_cache; i++)
		if (a->cache_canon[i] == i)
			ot_peak_max(&ot_peak_caches[i], ot_clamp(a->cache[i].bytes));
}

/**
 * ot_peaks_clear - forget every peak (a reset)
 */
void ot_peaks_clear(void)
{
	u32 i;

	for (i = 0; i < OT_MAX_MODULES; i++)
		atomic64_set(&ot_peak_mods[i], 0);
	for (i = 0; i < OT_MAX_CACHES; i++)
		atomic64_set(&ot_peak_caches[i], 0);
}

/**
 * ot_peak_mod - a module's peak live bytes
 * @id: the module
 *
 * Return: bytes.
 */
s64 ot_peak_mod(u32 id)
{
	return atomic64_read(&ot_peak_mods[id]);
}

/**
 * ot_peak_cache - a cache's peak live bytes
 * @id: the cache (canonical id)
 *
 * Return: bytes.
 */
s64 ot_peak_cache(u32 id)
{
	return atomic64_read(&ot_peak_caches[id]);
}

/**
 * ot_peaks_bytes - memory of the peak tables
 *
 * Return: bytes.
 */
size_t ot_peaks_bytes(void)
{
	return sizeof(ot_peak_mods) + sizeof(ot_peak_caches);
}
