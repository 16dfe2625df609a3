// SPDX-License-Identifier: GPL-2.0
/*
 * text_diff.c - growth as text: the diff of two snapshots with its
 * verdict, and one refresh of top.
 */
#include <stdio.h>

#include "grid.h"
#include "text.h"
#include "units.h"

/* what: the plural ("modules"), one: the singular ("module") */
static void dtab_text(FILE *out, const struct dtab *d, const char *what, const char *one,
		       const char *head, int with_state, int raw, long limit)
{
	const char *mheads[] = { head, "STATE", "BASE", "NEW", "GROWTH", "OBJECTS" };
	const char *cheads[] = { head, "BASE", "NEW", "GROWTH", "OBJECTS" };
	static const unsigned char mright[] = { 0, 0, 1, 1, 1, 1 };
	static const unsigned char cright[] = { 0, 1, 1, 1, 1 };
	struct grid g;
	size_t i;

	if (with_state)
		grid_init(&g, 6, mheads, mright);
	else
		grid_init(&g, 5, cheads, cright);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		char n[4][FMT_NUMLEN];
		const char *cells[6];
		int k = 0;

		cells[k++] = d->rows[i].name;
		if (with_state)
			cells[k++] = d->rows[i].state;
		cells[k++] = fmt_bytes(n[0], sizeof(n[0]), d->rows[i].basev, raw);
		cells[k++] = fmt_bytes(n[1], sizeof(n[1]), d->rows[i].newv, raw);
		cells[k++] = fmt_sbytes(n[2], sizeof(n[2]), d->rows[i].delta, raw);
		cells[k++] = fmt_s64(n[3], sizeof(n[3]), d->rows[i].dlive);
		grid_add(&g, cells);
	}
	if (!d->n)
		fprintf(out, "no %s changed", what);
	else
		grid_print(&g, out, NULL);
	if (limit > 0 && d->n > (size_t)limit)
		fprintf(out, "(%zu more %s changed: -n to see more)\n", d->n - (size_t)limit,
			d->n - (size_t)limit == 1 ? one : what);
	if (d->unchanged)
		fprintf(out, "%s(%zu %s unchanged)\n", d->n ? "" : " ", d->unchanged,
			d->unchanged == 1 ? one : what);
	else if (!d->n)
		fputc('\n', out);
	grid_free(&g);
}

/*
 * "base: DIR (time)", "new: ...", what of each is partial, and a note when
 * the counters were reset in between.
 */
static void diff_sources(FILE *out, const struct snap *base, const struct snap *cur)
{
	struct partial p;

	fputs("base: ", out);
	fmt_safe(out, base->src.label);
	if (base->timestamp[0])
		fprintf(out, " (%s)", base->timestamp);
	fputs("\nnew:  ", out);
	fmt_safe(out, cur->src.label);
	if (cur->timestamp[0])
		fprintf(out, " (%s)", cur->timestamp);
	else if (cur->src.live)
		fputs(" (live)", out);
	fputc('\n', out);
	snap_partial(base, &p);
	text_partial(out, "partial: base: ", &p);
	snap_partial(cur, &p);
	text_partial(out, "partial: new: ", &p);
	if (status_u64(&base->st, "epoch") != status_u64(&cur->st, "epoch"))
		fprintf(out,
			"note: counters were reset in between (epoch %llu -> %llu): the new figures count from that reset\n",
			(unsigned long long)status_u64(&base->st, "epoch"),
			(unsigned long long)status_u64(&cur->st, "epoch"));
}

/*
 * /proc/slabinfo's caches that changed: every object, whoever allocated it
 * and since boot, beside oomtrace's own growth in each (TRACKED).
 */
static void slabinfo_text(FILE *out, const struct snapdiff *d, int raw, long limit)
{
	static const char *const heads[] = { "SLABINFO", "BASE", "NEW", "GROWTH", "OBJECTS",
		"TRACKED" };
	static const unsigned char right[] = { 0, 1, 1, 1, 1, 1 };
	const struct dtab *t = &d->slabinfo;
	struct grid g;
	size_t i;

	fputc('\n', out);
	grid_init(&g, 6, heads, right);
	for (i = 0; i < t->n && i < (size_t)limit; i++) {
		char n[5][FMT_NUMLEN];
		const char *cells[6] = { t->rows[i].name,
			fmt_bytes(n[0], sizeof(n[0]), t->rows[i].basev, raw),
			fmt_bytes(n[1], sizeof(n[1]), t->rows[i].newv, raw),
			fmt_sbytes(n[2], sizeof(n[2]), t->rows[i].delta, raw),
			fmt_s64(n[3], sizeof(n[3]), t->rows[i].dlive),
			fmt_sbytes(n[4], sizeof(n[4]), slabinfo_tracked_growth(d, &t->rows[i]), raw) };

		grid_add(&g, cells);
	}
	if (t->n)
		grid_print(&g, out, NULL);
	else
		fputs("no slabinfo cache changed\n", out);
	grid_free(&g);
	if (t->n > (size_t)limit)
		fprintf(out, "(%zu more slabinfo cache%s changed: -n to see more)\n",
			t->n - (size_t)limit, t->n - (size_t)limit == 1 ? "" : "s");
	fputs("(slabinfo: every object since boot, /proc/slabinfo's active_objs x objsize; "
	      "TRACKED: oomtrace's own growth in the cache)\n", out);
}

void text_diff(FILE *out, const struct snapdiff *d, long limit, int raw)
{
	diff_sources(out, d->base, d->cur);
	fputc('\n', out);
	dtab_text(out, &d->mods, "modules", "module", "MODULE", 1, raw, limit);
	fputc('\n', out);
	dtab_text(out, &d->caches, "caches", "cache", "CACHE", 0, raw, limit);
	fputc('\n', out);
	dtab_text(out, &d->sites, "call sites", "call site", "CALLSITE", 0, raw, limit ? limit : 10);
	if (d->have_slabinfo)
		slabinfo_text(out, d, raw, limit ? limit : 10);
	fputc('\n', out);
	if (d->kernel_line[0]) {
		fmt_safe(out, d->kernel_line);
		fputc('\n', out);
	}
	fprintf(out, "%s\n", d->verdict);
}

static void top_table(FILE *out, const struct dtab *d, int modules, long rows, int first, int raw)
{
	static const char *const mh[] = { "MODULE", "STATE", "LIVE_BYTES", "GROWTH", "OBJECTS" };
	static const char *const ch[] = { "CACHE", "LIVE_BYTES", "GROWTH", "OBJECTS" };
	static const unsigned char mr[] = { 0, 0, 1, 1, 1 };
	static const unsigned char cr[] = { 0, 1, 1, 1 };
	struct grid g;
	size_t i;

	grid_init(&g, modules ? 5 : 4, modules ? mh : ch, modules ? mr : cr);
	for (i = 0; i < d->n && (rows <= 0 || i < (size_t)rows); i++) {
		char a[FMT_NUMLEN], b[FMT_NUMLEN], c[FMT_NUMLEN];
		const char *cells[5];
		int k = 0;

		cells[k++] = d->rows[i].name;
		if (modules)
			cells[k++] = d->rows[i].state;
		cells[k++] = fmt_bytes(a, sizeof(a), d->rows[i].newv, raw);
		cells[k++] = first ? "-" : fmt_sbytes(b, sizeof(b), d->rows[i].delta, raw);
		cells[k++] = first ? "-" : fmt_s64(c, sizeof(c), d->rows[i].dlive);
		grid_add(&g, cells);
	}
	grid_print(&g, out, NULL);
	grid_free(&g);
}

void text_top(FILE *out, const struct snap *cur, const struct dtab *mods,
	      const struct dtab *caches, const struct top_view *v)
{
	char p[FMT_NUMLEN];
	struct partial pa;

	fprintf(out, "oomtrace top - %s  refresh %ld  every %.1f s  tracked %llu objects (%s of capacity)  dropped %llu%s\n",
		v->clock, v->refresh, v->interval,
		(unsigned long long)status_u64(&cur->st, "tracked"),
		fmt_pct(p, sizeof(p), status_u64(&cur->st, "tracked"),
			status_u64(&cur->st, "capacity")),
		(unsigned long long)status_u64(&cur->st, "dropped"),
		v->keys ? "  [q quits]" : "");
	snap_partial(cur, &pa);
	text_partial(out, "partial: ", &pa);
	fputc('\n', out);
	top_table(out, mods, 1, v->rows, v->first, v->raw);
	fputc('\n', out);
	top_table(out, caches, 0, v->rows, v->first, v->raw);
}
