// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - the diff engine: two tables joined on their name column, the
 * growth of each row, and the verdict naming the top grower. Used by diff
 * (snapshot against snapshot) and top (refresh against refresh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"
#include "grower.h"
#include "sort.h"
#include "units.h"

static int64_t sub(uint64_t a, uint64_t b)
{
	if (a >= b)
		return a - b > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(a - b);
	return b - a > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(b - a);
}

static int cmp_name(const void *a, const void *b, void *ctx)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	int c = strcmp(x->s[0], y->s[0]);

	if (c)
		return c;
	(void)ctx;
	return x < y ? -1 : x > y;	/* file order: the first one is kept */
}

/* Rows sorted by name, a name repeated (malformed file) kept once. */
static const struct row **by_name(const struct table *t, size_t *n)
{
	const struct row **r = malloc((t->nrows + 1) * sizeof(*r));
	size_t i;

	*n = 0;
	if (!r)
		return NULL;
	for (i = 0; i < t->nrows; i++)
		r[i] = &t->rows[i];
	sort_stable(r, t->nrows, sizeof(*r), cmp_name, NULL);
	for (i = 0; i < t->nrows; i++)
		if (!*n || strcmp(r[*n - 1]->s[0], r[i]->s[0]))
			r[(*n)++] = r[i];
	return r;
}

/* ctx: the sort key, 0 growth, 1 new live_bytes, 2 objects, 3 name */
static int cmp_drow(const void *a, const void *b, void *ctx)
{
	const struct drow *x = a, *y = b;

	switch (*(const int *)ctx) {
	case 0:
		if (x->delta != y->delta)
			return x->delta > y->delta ? -1 : 1;
		break;
	case 1:
		if (x->newv != y->newv)
			return x->newv > y->newv ? -1 : 1;
		break;
	case 2:
		if (x->dlive != y->dlive)
			return x->dlive > y->dlive ? -1 : 1;
		break;
	}
	return strcmp(x->name, y->name);
}

int diff_sort_key(const char *s)
{
	if (!s || !strcasecmp(s, "growth") || !strcasecmp(s, "delta_bytes") ||
	    !strcasecmp(s, "growth_bytes"))
		return 0;
	if (!strcasecmp(s, "live_bytes") || !strcasecmp(s, "new"))
		return 1;
	if (!strcasecmp(s, "objects") || !strcasecmp(s, "live") ||
	    !strcasecmp(s, "growth_objects"))
		return 2;
	if (!strcasecmp(s, "name"))
		return 3;
	return -1;
}

int diff_tables(struct dtab *d, const struct table *base, const struct table *cur,
		int bytes_col, int live_col, int state_col, int sortkey, int keep_all)
{
	const struct row **a = NULL, **b = NULL;
	size_t i = 0, j = 0, na, nb;

	memset(d, 0, sizeof(*d));
	a = by_name(base, &na);
	b = by_name(cur, &nb);
	d->rows = malloc((base->nrows + cur->nrows + 1) * sizeof(*d->rows));
	if (!a || !b || !d->rows) {
		free(a);
		free(b);
		free(d->rows);
		d->rows = NULL;
		return -1;
	}
	while (i < na || j < nb) {
		const struct row *x = NULL, *y = NULL;
		struct drow *r = &d->rows[d->n];
		int c;

		if (i >= na)
			c = 1;
		else if (j >= nb)
			c = -1;
		else
			c = strcmp(a[i]->s[0], b[j]->s[0]);
		if (c <= 0)
			x = a[i++];
		if (c >= 0)
			y = b[j++];
		r->name = x ? x->s[0] : y->s[0];
		r->state = state_col < 0 ? "" : y ? y->s[state_col] : "absent";
		r->basev = x ? x->v[bytes_col] : 0;
		r->newv = y ? y->v[bytes_col] : 0;
		r->delta = sub(r->newv, r->basev);
		r->dlive = sub(y ? y->v[live_col] : 0, x ? x->v[live_col] : 0);
		if (!r->delta && !r->dlive) {
			d->unchanged++;
			if (!keep_all)
				continue;
		}
		d->n++;
	}
	free(a);
	free(b);
	sort_stable(d->rows, d->n, sizeof(*d->rows), cmp_drow, &sortkey);
	return 0;
}

void dtab_free(struct dtab *d)
{
	free(d->rows);
	memset(d, 0, sizeof(*d));
}

const struct drow *dtab_top(const struct dtab *d, int skip_kernel)
{
	struct grower g;
	size_t i;

	grower_init(&g, GROW_POSITIVE | (skip_kernel ? GROW_NOT_KERNEL : 0));
	for (i = 0; i < d->n; i++)
		grower_offer(&g, d->rows[i].name, d->rows[i].delta, i);
	return g.found ? &d->rows[g.at] : NULL;
}

void diff_verdict(char *buf, size_t len, const struct dtab *mods, const struct dtab *caches,
		  int raw)
{
	const struct drow *m = dtab_top(mods, 0), *mk = dtab_top(mods, 1);
	const struct drow *c = dtab_top(caches, 0);
	char a[FMT_NUMLEN], b[FMT_NUMLEN], x[FMT_NUMLEN];
	size_t n = 0;

	if (!m && !c) {
		snprintf(buf, len, "verdict: no module or cache grew");
		return;
	}
	if (m) {
		n = (size_t)snprintf(buf, len, "verdict: top grower is module %.64s (%s live, %s objects)",
				     m->name, fmt_sbytes(a, sizeof(a), m->delta, raw),
				     fmt_s64(b, sizeof(b), m->dlive));
		if (mk && mk != m && n < len)
			n += (size_t)snprintf(buf + n, len - n, ", then module %.64s (%s)",
					      mk->name, fmt_sbytes(x, sizeof(x), mk->delta, raw));
	} else {
		n = (size_t)snprintf(buf, len, "verdict: no module grew");
	}
	if (c && n < len)
		snprintf(buf + n, len - n, "; cache %.64s (%s)", c->name,
			 fmt_sbytes(a, sizeof(a), c->delta, raw));
}

/* t's [kernel] rows of module_slabs, named by their cache: what diff_tables joins on. */
static int kernel_rows(struct table *k, const struct table *t)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	k->def = t->def;
	k->present = t->present;
	k->rows = malloc((t->nrows + 1) * sizeof(*k->rows));
	if (!k->rows)
		return -1;
	for (i = 0; i < t->nrows; i++) {
		if (!is_kernel(t->rows[i].s[MS_MODULE]))
			continue;
		k->rows[k->nrows] = t->rows[i];
		k->rows[k->nrows++].s[0] = t->rows[i].s[MS_CACHE];
	}
	return 0;
}

/* [kernel]'s growth: its row, its caches, its top call sites. 0, or -1 out of memory. */
static int kernel_growth(struct snapdiff *d)
{
	struct kgrowth *k = &d->kernel;
	struct table kb, kc;
	size_t i, j;
	int r = 0;

	for (i = 0; i < d->mods.n; i++)
		if (is_kernel(d->mods.rows[i].name) && d->mods.rows[i].delta > 0)
			k->mod = &d->mods.rows[i];
	k->top = k->mod && dtab_top(&d->mods, 0) == k->mod;
	for (i = 0; i < d->sites.n; i++) {
		const struct drow *x = &d->sites.rows[i];

		if (!is_kernel(x->state) || x->delta <= 0)
			continue;
		for (j = k->nsites; j > 0 && x->delta > k->sites[j - 1]->delta; j--)
			if (j < KGROWTH_TOP)
				k->sites[j] = k->sites[j - 1];
		if (j < KGROWTH_TOP) {
			k->sites[j] = x;
			if (k->nsites < KGROWTH_TOP)
				k->nsites++;
		}
	}
	k->have_caches = d->base->modslabs.present && d->cur->modslabs.present;
	if (!k->have_caches)
		return 0;
	memset(&kc, 0, sizeof(kc));
	if (kernel_rows(&kb, &d->base->modslabs) || kernel_rows(&kc, &d->cur->modslabs))
		r = -1;
	else
		r = diff_tables(&k->caches, &kb, &kc, MS_LIVE_BYTES, MS_LIVE, -1, 0, 0);
	free(kb.rows);
	free(kc.rows);
	return r;
}

/* d->kernel_line when [kernel] grew most. */
static void kernel_text(struct snapdiff *d, int raw)
{
	const struct kgrowth *k = &d->kernel;
	char a[FMT_NUMLEN], b[FMT_NUMLEN];
	size_t n, len = sizeof(d->kernel_line), i, shown = 0;
	char *buf = d->kernel_line;

	buf[0] = 0;
	if (!k->top)
		return;
	n = (size_t)snprintf(buf, len, "kernel: %s grew %s (%s objects)", k->mod->name,
			     fmt_sbytes(a, sizeof(a), k->mod->delta, raw),
			     fmt_s64(b, sizeof(b), k->mod->dlive));
	for (i = 0; k->have_caches && i < k->caches.n && shown < KGROWTH_TOP && n < len; i++) {
		if (k->caches.rows[i].delta <= 0)
			break;
		n += (size_t)snprintf(buf + n, len - n, "%s%.64s (%s)", shown ? ", " : " in caches ",
				      k->caches.rows[i].name,
				      fmt_sbytes(a, sizeof(a), k->caches.rows[i].delta, raw));
		shown++;
	}
	if (!k->have_caches && n < len)
		n += (size_t)snprintf(buf + n, len - n, " (its caches: module_slabs is not in both snapshots)");
	for (i = 0; i < k->nsites && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%.120s (%s)",
				      i ? ", " : shown ? "; call sites " : " at call sites ",
				      k->sites[i]->name, fmt_sbytes(a, sizeof(a), k->sites[i]->delta, raw));
}

int diff_snaps(struct snapdiff *d, const struct snap *base, const struct snap *cur, int sortkey,
	       int raw)
{
	memset(d, 0, sizeof(*d));
	d->base = base;
	d->cur = cur;
	if (diff_tables(&d->mods, &base->modules, &cur->modules, MO_LIVE_BYTES, MO_LIVE, MO_STATE,
			sortkey, 0) ||
	    diff_tables(&d->caches, &base->slabs, &cur->slabs, SL_LIVE_BYTES, SL_LIVE, -1, sortkey,
			0) ||
	    diff_tables(&d->sites, &base->callsites, &cur->callsites, CS_LIVE_BYTES, CS_LIVE,
			CS_MODULE, sortkey, 0)) {
		snapdiff_free(d);
		return -1;
	}
	d->have_slabinfo = base->slabinfo.present && cur->slabinfo.present;
	if (kernel_growth(d) ||
	    (d->have_slabinfo && diff_tables(&d->slabinfo, &base->slabinfo, &cur->slabinfo,
					     SI_INUSE_BYTES, SI_ACTIVE_OBJS, -1, sortkey, 0))) {
		snapdiff_free(d);
		return -1;
	}
	diff_verdict(d->verdict, sizeof(d->verdict), &d->mods, &d->caches, raw);
	kernel_text(d, raw);
	return 0;
}

int64_t slabinfo_tracked_growth(const struct snapdiff *d, const struct drow *r)
{
	const struct row *a = slabinfo_find(&d->base->slabinfo, r->name);
	const struct row *b = slabinfo_find(&d->cur->slabinfo, r->name);

	return sub(b ? b->v[SI_TRACKED_BYTES] : 0, a ? a->v[SI_TRACKED_BYTES] : 0);
}

void snapdiff_free(struct snapdiff *d)
{
	dtab_free(&d->slabinfo);
	dtab_free(&d->kernel.caches);
	dtab_free(&d->mods);
	dtab_free(&d->caches);
	dtab_free(&d->sites);
}

int diff_top(struct dtab *mods, struct dtab *caches, const struct snap *prev,
	     const struct snap *cur, int sortkey)
{
	struct table none_m = { .def = &tab_modules }, none_s = { .def = &tab_slabs };

	if (diff_tables(mods, prev ? &prev->modules : &none_m, &cur->modules, MO_LIVE_BYTES,
			MO_LIVE, MO_STATE, sortkey, 1))
		return -1;
	if (diff_tables(caches, prev ? &prev->slabs : &none_s, &cur->slabs, SL_LIVE_BYTES,
			SL_LIVE, -1, sortkey, 1)) {
		dtab_free(mods);
		return -1;
	}
	return 0;
}
