/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prom.h - the --prom output: Prometheus text exposition (for the node
 * exporter's textfile collector).
 */
#ifndef OOMTRACE_PROM_H
#define OOMTRACE_PROM_H

#include <stdio.h>

#include "diff.h"
#include "partial.h"
#include "rows.h"
#include "snap.h"

/* A table's rows: a family per numeric column; a repeated label set once. */
void prom_rows(FILE *out, const struct rowset *rs);
/*
 * The families that say what is not exact: oomtrace_partial (0 or 1), then
 * each count any of p[0..n) knows (allocs seen, dropped, estimated, lost
 * frees, kernel sampled). With lkey, sample i has the label lkey=lval[i].
 */
void prom_partial(FILE *out, const struct partial *const *p, const char *lkey,
		  const char *const *lval, int n);
/* A listing: its rows, and when the snapshot is partial, its families with table=NAME. */
void prom_listing(FILE *out, const struct snap *s, const struct rowset *rs);
/* oomtrace_info and the status counters. */
void prom_status(FILE *out, const struct snap *s);
/* OOM event counts (nothing when this module version records no events). */
void prom_events(FILE *out, const struct snap *s);
/* oomtrace events --prom: the counts, and when partial its families with table="events". */
void prom_events_doc(FILE *out, const struct snap *s);
/* Status, the top limit rows (0: all) of modules, caches, call sites, events. */
void prom_report(FILE *out, const struct snap *s, long limit);
/* The growth since the baseline; limit rows per table (0: all). */
void prom_diff(FILE *out, const struct snapdiff *d, long limit);

#endif
