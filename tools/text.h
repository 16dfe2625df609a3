/* SPDX-License-Identifier: GPL-2.0 */
/*
 * text.h - what oomtrace prints for people: aligned tables, the events,
 * the diff, a refresh of top, the report. raw: byte counts unscaled
 * (--bytes).
 */
#ifndef OOMTRACE_TEXT_H
#define OOMTRACE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diff.h"
#include "events.h"
#include "partial.h"
#include "rows.h"
#include "snap.h"

/*
 * When p says some numbers are not exact, lead ("partial: ") and what
 * (docs/format.md, "partial"): "2.9% of 1.2M allocations dropped (table
 * full), 40% estimated ([kernel] sampled), 0.1% frees lost"; nothing else.
 */
void text_partial(FILE *out, const char *lead, const struct partial *p);

/* A table's rows, aligned, each line after indent (NULL: none). */
void text_rows(FILE *out, const struct rowset *rs, int raw, const char *indent);
/*
 * Up to limit rows (0: all) of t, sorted by the column sort (NULL: the
 * table's own order), indented by two spaces, or "  (none)". Returns 0, or
 * -1 with nothing printed when out of memory.
 */
int text_table_rows(FILE *out, const struct table *t, const char *sort, long limit, int raw);
/* The status as "key: value" lines, and the snapshot's time. */
void text_status(FILE *out, const struct snap *s, int raw);

/* An event's byte value (kB fields: pass v * 1024) or "-" when not known. */
const char *ev_bytes(char *buf, size_t len, const struct event *e, unsigned bit, uint64_t v,
		     int raw);

/* Which of an event's entries to show, and how. */
struct entry_view {
	const char *module;	/* only this module's line (and no caches); NULL: all */
	long limit;		/* entries per event; 0: all */
	int sort;		/* ENTRY_BY_* */
	int raw;
};

/* The events table, then each event's entries. */
void text_events(FILE *out, const struct events *ev, const struct entry_view *v);

/* Sources, the three growth tables (limit rows; call sites 10 unless set), the verdict. */
void text_diff(FILE *out, const struct snapdiff *d, long limit, int raw);

/* One refresh of top. */
struct top_view {
	const char *clock;	/* "HH:MM:SS" */
	long refresh;		/* 1, 2, ... */
	double interval;	/* seconds */
	int keys;		/* q quits */
	long rows;		/* per table */
	int first;		/* no growth yet: "-" */
	int raw;
};

void text_top(FILE *out, const struct snap *cur, const struct dtab *mods,
	      const struct dtab *caches, const struct top_view *v);

/* The report's COVERAGE: oomtrace's live bytes against /proc/meminfo's SUnreclaim, Slab, kernel pages. */
void text_coverage(FILE *out, const struct snap *s, int raw);
/* The report's SLAB CACHES: /proc/slabinfo's top limit caches, with oomtrace's share of each. */
void text_slabinfo(FILE *out, const struct snap *s, long limit, int raw);
/* status: "coverage_KIND: TRACKED of BOX (P%)" lines, for the kinds /proc/meminfo has. */
void text_coverage_status(FILE *out, const struct snap *s, int raw);

/* oomtrace report: one page, limit rows per top table. */
void text_report(FILE *out, const struct snap *s, long limit, int raw);

#endif
