// SPDX-License-Identifier: GPL-2.0
/*
 * culprit.c - the "likely culprit" rule of oomtrace report: what grew most
 * across the OOM events, else the largest holder; the core kernel when it
 * outweighs every module, never oomtrace itself. And the evidence for it,
 * as sentences the report prints (text) or lists (JSON).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../module/format.h"
#include "culprit.h"
#include "grower.h"
#include "rows.h"
#include "units.h"

/*
 * oomtrace's own tables and the buffer of the file being read are tracked
 * too (about 1.2 MiB while a file is open): the observer is never the
 * culprit, or a quiet system would blame it.
 */
static int is_self(const char *name)
{
	return !strcmp(name, "oomtrace");
}

/*
 * Growth across the OOM events (the sum of each name's deltas): the module
 * that grew most, and how much [kernel] grew, compared with it.
 */
static void by_events(const struct snap *s, struct culprit *c)
{
	struct { const char *name; int64_t g; } *sum;
	struct grower top;
	size_t i, j, k, n = 0, total = 0, kern = SIZE_MAX;

	for (i = 0; s->ev.present && i < s->ev.n; i++)
		total += s->ev.ev[i].nmods;
	if (!total || !(sum = calloc(total, sizeof(*sum))))
		return;
	for (i = 0; i < s->ev.n; i++) {
		const struct event *e = &s->ev.ev[i];

		for (j = 0; j < e->nmods; j++) {
			int64_t d = e->mods[j].delta_bytes;

			if (is_self(e->mods[j].name))
				continue;
			for (k = 0; k < n; k++)
				if (!strcmp(sum[k].name, e->mods[j].name))
					break;
			if (k == n)
				sum[n++].name = e->mods[j].name;
			if ((d > 0 && sum[k].g > INT64_MAX - d) || (d < 0 && sum[k].g < INT64_MIN - d))
				continue;	/* absurd values: ignore rather than overflow */
			sum[k].g += d;
		}
	}
	grower_init(&top, GROW_POSITIVE | GROW_NOT_KERNEL);
	for (k = 0; k < n; k++) {
		grower_offer(&top, sum[k].name, sum[k].g, k);
		if (is_kernel(sum[k].name))
			kern = k;
	}
	if (top.found) {
		c->module = c->next = sum[top.at].name;
		c->growth = c->next_growth = top.delta;
	}
	/* The core kernel when it grew more than any module (a tie: the module). */
	if (kern != SIZE_MAX && sum[kern].g > 0 && (!top.found || sum[kern].g > top.delta)) {
		c->module = OT_NAME_KERNEL;
		c->growth = sum[kern].g;
	}
	c->by_events = c->module != NULL;
	free(sum);
}

/* The module holding the most live bytes, or [kernel] when it holds more. */
static void by_live_bytes(const struct snap *s, struct culprit *c)
{
	const struct row *best = NULL, *kern = NULL;
	size_t i;

	for (i = 0; i < s->modules.nrows; i++) {
		const struct row *r = &s->modules.rows[i];

		if (is_kernel(r->s[MO_MODULE]) && !kern)
			kern = r;
		if (is_kernel(r->s[MO_MODULE]) || is_self(r->s[MO_MODULE]) || !r->v[MO_LIVE_BYTES])
			continue;
		if (!best || r->v[MO_LIVE_BYTES] > best->v[MO_LIVE_BYTES])
			best = r;
	}
	if (best)
		c->module = c->next = best->s[MO_MODULE];
	if (kern && kern->v[MO_LIVE_BYTES] &&
	    (!best || kern->v[MO_LIVE_BYTES] > best->v[MO_LIVE_BYTES]))
		c->module = OT_NAME_KERNEL;
}

int find_culprit(const struct snap *s, struct culprit *c)
{
	memset(c, 0, sizeof(*c));
	by_events(s, c);
	if (!c->module)
		by_live_bytes(s, c);
	if (!c->module)
		return 0;
	c->kernel = is_kernel(c->module);
	if (!c->kernel)
		c->next = NULL;	/* only [kernel] has a runner-up to name */
	c->row = table_find(&s->modules, MO_MODULE, c->module);
	if (c->next)
		c->next_row = table_find(&s->modules, MO_MODULE, c->next);
	return 1;
}

/* OOM events whose module lines name the module. */
static size_t events_with(const struct snap *s, const char *module)
{
	size_t i, j, nev = 0;

	for (i = 0; i < s->ev.n; i++)
		for (j = 0; j < s->ev.ev[i].nmods; j++)
			if (!strcmp(s->ev.ev[i].mods[j].name, module)) {
				nev++;
				break;
			}
	return nev;
}

/* What the modules row says: holdings, allocations, a leak, vmalloc. */
static int row_evidence(const struct snap *s, const struct row *r, int raw,
			char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE], int n)
{
	char a[FMT_NUMLEN], b[FMT_NUMLEN], p[FMT_NUMLEN];

	snprintf(ev[n++], CULPRIT_LINE, "holds %s in %llu live objects now (%s of the bytes oomtrace tracks), peak %s",
		 fmt_bytes(a, sizeof(a), r->v[MO_LIVE_BYTES], raw),
		 (unsigned long long)r->v[MO_LIVE],
		 fmt_pct(p, sizeof(p), r->v[MO_LIVE_BYTES], tracked_bytes(s)),
		 fmt_bytes(b, sizeof(b), r->v[MO_PEAK_BYTES], raw));
	snprintf(ev[n++], CULPRIT_LINE, "%llu allocations, %llu frees since tracking started",
		 (unsigned long long)r->v[MO_ALLOCS], (unsigned long long)r->v[MO_FREES]);
	if (!strcmp(r->s[MO_STATE], "gone"))
		snprintf(ev[n++], CULPRIT_LINE, "the module was unloaded with this memory still allocated (a leak)");
	if (!(s->modules.absent & (1u << MO_VMALLOC_BYTES)) && r->v[MO_VMALLOC_BYTES])
		snprintf(ev[n++], CULPRIT_LINE, "it also holds %s of vmalloc areas",
			 fmt_bytes(a, sizeof(a), r->v[MO_VMALLOC_BYTES], raw));
	return n;
}

/* The module's top 3 rows of t ("cache X: N in M objects"), while there is room. */
static int top_rows(const struct table *t, int modcol, int namecol, int namelen,
		    const char *what, const struct culprit *c, int raw,
		    char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE], int n)
{
	int bytes = table_col(t->def, "live_bytes"), live = table_col(t->def, "live");
	char a[FMT_NUMLEN];
	struct rowset rs;
	size_t i;

	if (!t->present || rowset_make(&rs, t, modcol, c->module, NULL, 3))
		return n;
	for (i = 0; i < rs.n && n < CULPRIT_MAX_EVIDENCE; i++)
		snprintf(ev[n++], CULPRIT_LINE, "%s %.*s: %s in %llu objects", what, namelen,
			 rs.r[i]->s[namecol], fmt_bytes(a, sizeof(a), rs.r[i]->v[bytes], raw),
			 (unsigned long long)rs.r[i]->v[live]);
	rowset_free(&rs);
	return n;
}

/* When [kernel] is the culprit: the module that came next, or that none did. */
static int next_evidence(const struct culprit *c, int raw,
			 char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE], int n)
{
	char a[FMT_NUMLEN];

	if (!c->next)
		snprintf(ev[n++], CULPRIT_LINE, c->by_events ? "no module grew across the OOM events"
			 : "no module holds tracked memory");
	else if (c->by_events)
		snprintf(ev[n++], CULPRIT_LINE, "the module that grew most: %.80s, %s across the OOM events",
			 c->next, fmt_sbytes(a, sizeof(a), c->next_growth, raw));
	else if (c->next_row)
		snprintf(ev[n++], CULPRIT_LINE, "the largest module: %.80s, %s in %llu live objects",
			 c->next, fmt_bytes(a, sizeof(a), c->next_row->v[MO_LIVE_BYTES], raw),
			 (unsigned long long)c->next_row->v[MO_LIVE]);
	return n;
}

int culprit_evidence(const struct snap *s, const struct culprit *c, int raw,
		     char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE])
{
	char a[FMT_NUMLEN];
	int n = 0;

	if (c->by_events)
		snprintf(ev[n++], CULPRIT_LINE, "grew %s across %zu of %zu OOM event%s (%s)",
			 fmt_sbytes(a, sizeof(a), c->growth, raw), events_with(s, c->module), s->ev.n,
			 s->ev.n == 1 ? "" : "s",
			 c->kernel ? "more than any module" : "largest growth of any module");
	if (c->row)
		n = row_evidence(s, c->row, raw, ev, n);
	n = top_rows(&s->modslabs, MS_MODULE, MS_CACHE, 80, "cache", c, raw, ev, n);
	n = top_rows(&s->callsites, CS_MODULE, CS_CALLSITE, 120, "call site", c, raw, ev, n);
	return c->kernel ? next_evidence(c, raw, ev, n) : n;
}
