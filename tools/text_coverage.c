// SPDX-License-Identifier: GPL-2.0
/*
 * text_coverage.c - what oomtrace explains of the kernel's memory, as
 * text: the report's COVERAGE and SLAB CACHES sections, and the status
 * command's coverage_ lines.
 */
#include <stdio.h>

#include "coverage.h"
#include "grid.h"
#include "text.h"
#include "units.h"

/* Why the report says less than it could, one line each. */
static void coverage_notes(FILE *out, const struct snap *s, const struct coverage *c)
{
	if (!s->rc.present && s->src.dump)
		fputs("  (unreclaimable slab: a kernel log's dump does not say which caches are reclaimable)\n",
		      out);
	else if (!s->rc.present)
		fputs("  (unreclaimable slab: which caches are reclaimable is not known: no slab_reclaim in a snapshot, no /sys/kernel/slab)\n",
		      out);
	else if (c->unknown)
		fprintf(out, "  (%zu cache%s with live bytes not in slab_reclaim: counted unreclaimable)\n",
			c->unknown, c->unknown == 1 ? "" : "s");
	if (s->src.dump && s->slabs.present && s->dump.tab[DF_SLABS].cut)
		fprintf(out, "  (tracked: the %llu caches the dump kept, of %llu)\n",
			(unsigned long long)s->dump.tab[DF_SLABS].kept,
			(unsigned long long)s->dump.tab[DF_SLABS].total);
}

void text_coverage(FILE *out, const struct snap *s, int raw)
{
	static const char *const heads[] = { "", "BOX", "TRACKED", "EXPLAINED" };
	static const unsigned char right[] = { 0, 1, 1, 1 };
	struct coverage c;
	struct grid g;
	size_t i;

	fputs("\nCOVERAGE\n", out);
	if (!s->mi.present || !s->slabs.present) {
		fprintf(out, "  not available: no %s\n", s->mi.present ? "slabs table" : "meminfo");
		return;
	}
	coverage_of(s, &c);
	grid_init(&g, 4, heads, right);
	for (i = 0; i < n_cover_kinds; i++) {
		const struct cover *k = cover_kind_of(&c, i);
		char a[FMT_NUMLEN], b[FMT_NUMLEN], p[FMT_NUMLEN];
		const char *cells[4] = { cover_kinds[i].label,
			k->known ? fmt_bytes(a, sizeof(a), k->box, raw) : "-",
			k->tracked_known ? fmt_bytes(b, sizeof(b), k->tracked, raw) : "-",
			k->known && k->tracked_known ? fmt_pct(p, sizeof(p), k->tracked, k->box) : "-" };

		grid_add(&g, cells);
	}
	grid_print(&g, out, "  ");
	grid_free(&g);
	fputs("  (box: /proc/meminfo, since boot; tracked: live bytes oomtrace saw allocated since load or reset)\n",
	      out);
	fputs("  (kernel pages: MemTotal - MemFree - Active - Inactive - Unevictable - Slab - PageTables\n"
	      "   - SecPageTables - VmallocUsed - Hugetlb", out);
	if (s->mi.have_pcp)
		fputs(" - the per-CPU free lists (/proc/zoneinfo)", out);
	fputs("; tracked: the caches pages and kmalloc-large)\n", out);
	coverage_notes(out, s, &c);
}

void text_slabinfo(FILE *out, const struct snap *s, long limit, int raw)
{
	fputs("\nSLAB CACHES (/proc/slabinfo, like crash's kmem -s: every object since boot)\n", out);
	if (!s->slabinfo.present) {
		fputs(s->src.dump ? "  not available: a kernel log's dump has no /proc/slabinfo\n"
			: "  not available: no /proc/slabinfo (it is root's)\n", out);
		return;
	}
	if (text_table_rows(out, &s->slabinfo, "inuse_bytes", limit, raw)) {
		fputs("  not available: out of memory\n", out);
		return;
	}
	fputs("  (inuse: active_objs x objsize, with the free objects of per-CPU slabs; untracked: inuse\n"
	      "   less what oomtrace tracks, allocated before load or reset, or not seen)\n", out);
}

void text_coverage_status(FILE *out, const struct snap *s, int raw)
{
	struct coverage c;
	size_t i;

	if (!s->mi.present || !s->slabs.present)
		return;
	coverage_of(s, &c);
	for (i = 0; i < n_cover_kinds; i++) {
		const struct cover *k = cover_kind_of(&c, i);
		char a[FMT_NUMLEN], b[FMT_NUMLEN], p[FMT_NUMLEN];

		if (!k->known || !k->tracked_known)
			continue;
		fprintf(out, "coverage_%s: %s of %s (%s)\n", cover_kinds[i].key,
			fmt_bytes(a, sizeof(a), k->tracked, raw), fmt_bytes(b, sizeof(b), k->box, raw),
			fmt_pct(p, sizeof(p), k->tracked, k->box));
	}
}
