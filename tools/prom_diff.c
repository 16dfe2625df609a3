// SPDX-License-Identifier: GPL-2.0
/*
 * prom_diff.c - oomtrace diff --prom: the growth of each module, cache and
 * call site since the baseline, as gauges.
 */
#include <stdio.h>

#include "prom.h"
#include "promfmt.h"

static void growth_family(FILE *out, const struct dtab *d, const char *label, const char *mb,
		      const char *mo, long limit)
{
	const char *lk[1] = { label }, *lv[1];
	char help[128];
	size_t i;

	snprintf(help, sizeof(help), "Growth of live bytes per %s since the baseline snapshot.",
		 label);
	prom_family(out, mb, "gauge", help);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		lv[0] = d->rows[i].name;
		prom_sample_s(out, mb, lk, lv, 1, d->rows[i].delta);
	}
	snprintf(help, sizeof(help), "Growth of live objects per %s since the baseline snapshot.",
		 label);
	prom_family(out, mo, "gauge", help);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		lv[0] = d->rows[i].name;
		prom_sample_s(out, mo, lk, lv, 1, d->rows[i].dlive);
	}
}

void prom_diff(FILE *out, const struct snapdiff *d, long limit)
{
	growth_family(out, &d->mods, "module", "oomtrace_diff_module_growth_bytes",
		      "oomtrace_diff_module_growth_objects", limit);
	growth_family(out, &d->caches, "cache", "oomtrace_diff_cache_growth_bytes",
		      "oomtrace_diff_cache_growth_objects", limit);
	growth_family(out, &d->sites, "callsite", "oomtrace_diff_callsite_growth_bytes",
		      "oomtrace_diff_callsite_growth_objects", limit);
}
