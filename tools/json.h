/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - the --json documents: one JSON object per command, each
 * opened by json_doc_head().
 */
#ifndef OOMTRACE_JSON_H
#define OOMTRACE_JSON_H

#include <stdio.h>

#include "diff.h"
#include "events.h"
#include "partial.h"
#include "rows.h"
#include "snap.h"

/* "source":..,"live":..,"timestamp":.. of a snapshot (no braces). */
void json_source(FILE *out, const struct snap *s);
/*
 * The start of every document: '{', "table" and "format", with the
 * source's fields (s not NULL) before them (source_first: the listings,
 * status, events) or after them (the report). The caller writes the rest
 * and the closing "}\n".
 */
void json_doc_head(FILE *out, const char *table, int format, const struct snap *s,
		   int source_first);

/*
 * ,"partial":{...} when p says some numbers are not exact: the counts
 * (null when not known), kernel_sampled, sampled_mode, and each count's
 * fraction of the allocations (null when they are not known); else nothing.
 */
void json_partial(FILE *out, const struct partial *p);
/* json_partial() of the snapshot: its status and files together. */
void json_snap_partial(FILE *out, const struct snap *s);

/* An array of row objects (null for columns without data). */
void json_rows(FILE *out, const struct rowset *rs);
/* slabs, modules, callsites: {..., "mode":..., "rows":[...]} */
void json_listing(FILE *out, const struct snap *s, const struct rowset *rs);
/* The status as an object (integers as numbers). */
void json_status(FILE *out, const struct snap *s);
/*
 * What oomtrace explains of the box's kernel memory: {"slab_unreclaimable":
 * {"box_bytes":..,"tracked_bytes":..},"slab":..,"kernel_pages":..,
 * "reclaim_known":..,"unknown_caches":..}, null without meminfo or slabs.
 */
void json_coverage(FILE *out, const struct snap *s);
/* The status, then the coverage. */
void json_status_doc(FILE *out, const struct snap *s);
/* An array of events; module: only its module entry and no caches. */
void json_events(FILE *out, const struct events *ev, const char *module);
void json_events_doc(FILE *out, const struct snap *s, const char *module);
/* limit: rows per table (0: all). */
void json_diff(FILE *out, const struct snapdiff *d, long limit);
void json_report(FILE *out, const struct snap *s, long limit);

#endif
