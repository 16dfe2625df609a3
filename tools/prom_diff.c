// SPDX-License-Identifier: GPL-2.0
/*
 * prom_diff.c - oomtrace diff --prom: the growth of each module, cache and
 * call site since the baseline, as gauges.
 */
#include <stdio.h>

#include "prom.h"
#include "promfmt.h"

/*
 * One gauge family of the growth per label ("module", ...) since the
 * baseline: of live bytes, or of live objects when objects is set.
 */
static void growth_family(FILE *out, const struct dtab *d, const char *label, int objects,
			  long limit)
{
	const char *lk[1] = { label }, *lv[1];
	const char *what = objects ? "objects" : "bytes";
	char name[96], help[128];
	size_t i;

	snprintf(name, sizeof(name), "oomtrace_diff_%s_growth_%s", label, what);
	snprintf(help, sizeof(help), "Growth of live %s per %s since the baseline snapshot.", what,
		 label);
	prom_family(out, name, "gauge", help);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		lv[0] = d->rows[i].name;
		prom_sample_s(out, name, lk, lv, 1, objects ? d->rows[i].dlive : d->rows[i].delta);
	}
}

/* The sides whose numbers are partial, with side="base" or "new". */
static void diff_partial(FILE *out, const struct snapdiff *d)
{
	static const char *const sides[] = { "base", "new" };
	const struct snap *s[] = { d->base, d->cur };
	struct partial p[2];
	const struct partial *pp[2];
	const char *lv[2];
	int i, n = 0;

	for (i = 0; i < 2; i++) {
		snap_partial(s[i], &p[i]);
		if (!partial_any(&p[i]))
			continue;
		pp[n] = &p[i];
		lv[n++] = sides[i];
	}
	if (n)
		prom_partial(out, pp, "side", lv, n);
}

void prom_diff(FILE *out, const struct snapdiff *d, long limit)
{
	const struct dtab *t[] = { &d->mods, &d->caches, &d->sites };
	static const char *const label[] = { "module", "cache", "callsite" };
	int i;

	diff_partial(out, d);
	for (i = 0; i < 3; i++) {
		growth_family(out, t[i], label[i], 0, limit);
		growth_family(out, t[i], label[i], 1, limit);
	}
}
