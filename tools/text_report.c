// SPDX-License-Identifier: GPL-2.0
/*
 * text_report.c - oomtrace report as text: one page for a bug report
 * (status, memory summary, top tables, the OOM timeline, leaks left
 * behind, the likely culprit with the evidence). From a kernel log's dump
 * (--dmesg), the head says which dump, and what the dump left out.
 */
#include <stdio.h>
#include <string.h>

#include "culprit.h"
#include "grid.h"
#include "grower.h"
#include "memsum.h"
#include "text.h"
#include "units.h"

static void text_timeline(FILE *out, const struct snap *s, int raw)
{
	static const char *const heads[] = { "SEQ", "TIME", "KIND", "VICTIM", "FREE", "SLAB",
		"TRACKED", "TOP MODULE GROWTH", "TOP CACHE GROWTH" };
	static const unsigned char right[] = { 1, 1, 0, 0, 1, 1, 1, 0, 0 };
	struct grid g;
	size_t i;

	fputs("\nOOM TIMELINE\n", out);
	if (!s->ev.present) {
		fprintf(out, "  not available: %s\n", s->events_err);
		return;
	}
	if (!s->ev.n) {
		fputs("  no OOM events recorded\n", out);
		return;
	}
	grid_init(&g, 9, heads, right);
	for (i = 0; i < s->ev.n; i++) {
		const struct event *e = &s->ev.ev[i];
		const struct ev_entry *m = ev_top_grower(e->mods, e->nmods, 1);
		const struct ev_entry *c = ev_top_grower(e->caches, e->ncaches, 0);
		char b[9][FMT_NUMLEN + 100], d[FMT_NUMLEN];
		const char *cells[9];
		int k;

		fmt_u64(b[0], sizeof(b[0]), e->seq);
		snprintf(b[1], sizeof(b[1]), "%.40s", e->time);
		snprintf(b[2], sizeof(b[2]), "%.40s", e->kind);
		if (strcmp(e->comm, "-") && (e->known & EV_PID))
			snprintf(b[3], sizeof(b[3]), "%.40s/%lld", e->comm, (long long)e->pid);
		else
			snprintf(b[3], sizeof(b[3]), "%.40s", e->comm);
		cells[4] = ev_bytes(b[4], sizeof(b[4]), e, EV_FREE, e->free_kb * 1024, raw);
		cells[5] = ev_bytes(b[5], sizeof(b[5]), e, EV_SLABR | EV_SLABU,
				    (e->slab_reclaimable_kb + e->slab_unreclaimable_kb) * 1024, raw);
		cells[6] = ev_bytes(b[6], sizeof(b[6]), e, EV_TRACKED, e->tracked_bytes, raw);
		if (m)
			snprintf(b[7], sizeof(b[7]), "%.60s %s", m->name,
				 fmt_sbytes(d, sizeof(d), m->delta_bytes, raw));
		else
			snprintf(b[7], sizeof(b[7]), "-");
		if (c)
			snprintf(b[8], sizeof(b[8]), "%.60s %s", c->name,
				 fmt_sbytes(d, sizeof(d), c->delta_bytes, raw));
		else
			snprintf(b[8], sizeof(b[8]), "-");
		for (k = 0; k < 9; k++)
			if (k < 4 || k > 6)
				cells[k] = b[k];
		grid_add(&g, cells);
	}
	grid_print(&g, out, "  ");
	grid_free(&g);
	if (s->ev.have_total && s->ev.dropped)
		fprintf(out, "  (%llu OOM events in all; the %llu oldest were dropped from the buffer)\n",
			(unsigned long long)s->ev.total, (unsigned long long)s->ev.dropped);
}

static void text_memory(FILE *out, const struct snap *s, int raw)
{
	static const char *const heads[] = { "", "SIZE", "OF TOTAL" };
	static const unsigned char right[] = { 0, 1, 1 };
	uint64_t total = meminfo_kb(&s->mi, "MemTotal", NULL) * 1024;
	struct grid g;
	size_t i;

	fputs("\nMEMORY SUMMARY\n", out);
	grid_init(&g, 3, heads, right);
	for (i = 0; s->mi.present && i < n_mem_lines; i++) {
		char a[FMT_NUMLEN], p[FMT_NUMLEN];
		const char *cells[3];
		int found;
		uint64_t v = meminfo_kb(&s->mi, mem_lines[i].key, &found) * 1024;

		if (!found)
			continue;
		if (!strncmp(mem_lines[i].key, "Swap", 4) && !meminfo_kb(&s->mi, "SwapTotal", NULL))
			continue;	/* no swap configured */
		cells[0] = mem_lines[i].label;
		cells[1] = fmt_bytes(a, sizeof(a), v, raw);
		cells[2] = i ? fmt_pct(p, sizeof(p), v, total) : "----";
		grid_add(&g, cells);
	}
	if (s->vm.present) {
		char a[FMT_NUMLEN], p[FMT_NUMLEN];
		const char *cells[3] = { "VMALLOC AREAS", fmt_bytes(a, sizeof(a), s->vm.total, raw),
			fmt_pct(p, sizeof(p), s->vm.total, total) };

		grid_add(&g, cells);
	}
	{
		char a[FMT_NUMLEN], p[FMT_NUMLEN];
		uint64_t t = tracked_bytes(s);
		const char *cells[3] = { "TRACKED BY OOMTRACE", fmt_bytes(a, sizeof(a), t, raw),
			fmt_pct(p, sizeof(p), t, total) };

		grid_add(&g, cells);
	}
	grid_print(&g, out, "  ");
	grid_free(&g);
	if (!s->mi.present)
		fputs("  (no meminfo: system figures not available)\n", out);
	if (s->src.dump && s->modules.present && s->dump.tab[DF_MODULES].cut)
		fprintf(out, "  (tracked: the %llu modules the dump kept, of %llu)\n",
			(unsigned long long)s->dump.tab[DF_MODULES].kept,
			(unsigned long long)s->dump.tab[DF_MODULES].total);
}

static void text_section(FILE *out, const char *title, const struct table *t, long limit,
			 int raw)
{
	fprintf(out, "\n%s\n", title);
	if (!t->present || text_table_rows(out, t, NULL, limit, raw))
		fputs("  not available\n", out);
}

/* A status value, or "?" when the status file has no such key. */
static const char *st(const struct snap *s, const char *key)
{
	const char *v = status_get(&s->st, key);

	return v ? v : "?";
}

/* The table the dump's file f was parsed into. */
static const struct table *dump_table(const struct snap *s, int f)
{
	return f == DF_MODULES ? &s->modules : f == DF_SLABS ? &s->slabs :
	       f == DF_MODSLABS ? &s->modslabs : &s->callsites;
}

/*
 * After "source:   LOG": which dump, the rows each table kept of its
 * total, and the incomplete dumps after it (no newline at the end).
 */
static void dump_source(FILE *out, const struct snap *s)
{
	const struct dump_info *d = &s->dump;
	char b[200];
	size_t i;
	int f;

	fprintf(out, " (kernel log, lines %llu-%llu: dump %llu, reason ",
		(unsigned long long)d->begin_at, (unsigned long long)d->end_at,
		(unsigned long long)d->seq);
	fmt_safe(out, d->reason[0] ? d->reason : "?");
	fprintf(out, ", complete: %llu line%s", (unsigned long long)d->lines,
		d->lines == 1 ? "" : "s");
	if (d->ns >= 0)
		fprintf(out, ", written in %.1f ms", d->ns / 1e6);
	fputs(")\nrows:     ", out);
	for (f = DF_MODULES; f <= DF_CALLSITES; f++) {
		fprintf(out, "%s%s ", f > DF_MODULES ? ", " : "", dump_files[f]);
		if (dump_table(s, f)->present)
			fprintf(out, "%llu of %llu", (unsigned long long)d->tab[f].kept,
				(unsigned long long)d->tab[f].total);
		else
			fputs("-", out);
	}
	if (d->rows)
		fprintf(out, " (the dump keeps %llu row%s a table)", (unsigned long long)d->rows,
			d->rows == 1 ? "" : "s");
	for (i = 0; i < d->nnewer; i++) {
		dump_bad_text(b, sizeof(b), &d->newer[i]);
		fprintf(out, "\nnote:     %s: using dump %llu", b, (unsigned long long)d->seq);
	}
	if (d->newer_more)
		fprintf(out, "\nnote:     and %llu more incomplete dumps after it",
			(unsigned long long)d->newer_more);
	if (d->ncomplete > 1)
		fprintf(out, "\nnote:     the log holds %llu complete dumps: this is the last",
			(unsigned long long)d->ncomplete);
}

/* source:, oomtrace: and table: lines, and what is partial (dropped, estimated, lost). */
static void report_head(FILE *out, const struct snap *s)
{
	char pc[FMT_NUMLEN];
	struct partial p;

	fputs("oomtrace report\n", out);
	fputs("source:   ", out);
	fmt_safe(out, s->src.label);
	if (s->src.live)
		fputs(" (live)", out);
	else if (s->src.dump)
		dump_source(out, s);
	else if (s->timestamp[0])
		fprintf(out, " (snapshot taken %s)", s->timestamp);
	fputs("\noomtrace: ", out);
	fmt_safe(out, st(s, "version"));
	fputs(" on kernel ", out);
	fmt_safe(out, st(s, "kernel"));
	fputs(", mode ", out);
	fmt_safe(out, st(s, "mode"));
	if (!strcmp(st(s, "mode"), "sampled")) {
		/* Say it where the numbers are read: they are estimates. */
		fputs(" (estimates: one allocation tracked per ", out);
		fmt_safe(out, st(s, "sample_bytes"));
		fputs(" bytes)", out);
	}
	fputs(", slab_merge ", out);
	fmt_safe(out, st(s, "slab_merge"));
	fprintf(out, ", tracking for %llu s (epoch %llu)\n",
		(unsigned long long)status_u64(&s->st, "tracking_seconds"),
		(unsigned long long)status_u64(&s->st, "epoch"));
	fprintf(out, "table:    %llu objects tracked of %llu (%s), %llu allocations dropped\n",
		(unsigned long long)status_u64(&s->st, "tracked"),
		(unsigned long long)status_u64(&s->st, "capacity"),
		fmt_pct(pc, sizeof(pc), status_u64(&s->st, "tracked"),
			status_u64(&s->st, "capacity")),
		(unsigned long long)status_u64(&s->st, "dropped"));
	snap_partial(s, &p);
	text_partial(out, "partial:  ", &p);
}

static void text_leaks(FILE *out, const struct snap *s, int raw)
{
	const struct row *lk[64];
	char a[FMT_NUMLEN];
	size_t i, nl = module_leaks(s, lk, 64);

	fputs("\nLEAKS LEFT BEHIND\n", out);
	if (!nl)
		fputs("  none: no unloaded module still holds memory\n", out);
	for (i = 0; i < nl; i++) {
		fputs("  module ", out);
		fmt_safe(out, lk[i]->s[MO_MODULE]);
		fprintf(out, " was unloaded with %s still allocated (%llu objects)\n",
			fmt_bytes(a, sizeof(a), lk[i]->v[MO_LIVE_BYTES], raw),
			(unsigned long long)lk[i]->v[MO_LIVE]);
	}
}

static void text_culprit(FILE *out, const struct snap *s, int raw)
{
	char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE];
	struct culprit c;
	int i, ne;

	fputs("\nLIKELY CULPRIT\n", out);
	if (!find_culprit(s, &c)) {
		fputs("  none found: no module other than the core kernel holds tracked memory\n",
		      out);
		return;
	}
	if (c.kernel) {
		/* Not a module: the core kernel outweighs every module. */
		fputs("  the core kernel, ", out);
		fmt_safe(out, c.module);
		fputs(c.by_events ? " (largest growth across the OOM events, more than any module)\n"
			: " (largest live bytes, more than any module; no OOM event growth to go by)\n",
			out);
	} else {
		fputs("  module ", out);
		fmt_safe(out, c.module);
		fprintf(out, "%s\n", c.by_events ? " (largest growth across the OOM events)"
						 : " (largest live bytes; no OOM event growth to go by)");
	}
	ne = culprit_evidence(s, &c, raw, ev);
	for (i = 0; i < ne; i++) {
		fputs("  - ", out);
		fmt_safe(out, ev[i]);
		fputc('\n', out);
	}
}

void text_report(FILE *out, const struct snap *s, long limit, int raw)
{
	report_head(out, s);
	text_memory(out, s, raw);
	text_coverage(out, s, raw);
	text_section(out, "TOP MODULES", &s->modules, limit, raw);
	text_section(out, "TOP CACHES", &s->slabs, limit, raw);
	text_slabinfo(out, s, limit, raw);
	text_section(out, "TOP CALL SITES", &s->callsites, limit, raw);
	text_timeline(out, s, raw);
	text_leaks(out, s, raw);
	text_culprit(out, s, raw);
}
