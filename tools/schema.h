/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schema.h - the columns of the /proc/oomtrace tables (docs/format.md).
 */
#ifndef OOMTRACE_SCHEMA_H
#define OOMTRACE_SCHEMA_H

#define OT_MAX_COLS 12

enum coltype {
	COL_STR,	/* text; the row's name or a label */
	COL_NUM,	/* count */
	COL_BYTES,	/* byte count: human units unless --bytes */
};

struct coldef {
	const char *name;	/* column name in the file header */
	enum coltype type;
	int computed;		/* not in the file (filled in by the tool) */
	int label;		/* string column used as a Prometheus label */
	const char *prom;	/* metric name, NULL: no metric */
	const char *prom_type;	/* "gauge" or "counter" */
	const char *help;
};

struct tabdef {
	const char *name;	/* "slabs", "modules", ... */
	const struct coldef *cols;
	int ncols;
	const char *label;	/* Prometheus label of the name column */
};

extern const struct tabdef tab_slabs, tab_modules, tab_callsites, tab_modslabs;
/* /proc/slabinfo as a table (not an oomtrace file): see slabinfo.h */
extern const struct tabdef tab_slabinfo;

/* Schema column indexes (must match the coldef tables in schema.c). */
enum { SL_CACHE, SL_OBJSIZE, SL_ALLOCS, SL_FREES, SL_LIVE, SL_LIVE_BYTES,
	SL_PEAK_BYTES, SL_TOP_MODULE };
enum { MO_MODULE, MO_STATE, MO_ALLOCS, MO_FREES, MO_LIVE, MO_LIVE_BYTES,
	MO_SLAB_BYTES, MO_PAGE_BYTES, MO_PEAK_BYTES, MO_VMALLOC_BYTES };
enum { CS_CALLSITE, CS_MODULE, CS_ALLOCS, CS_FREES, CS_LIVE, CS_LIVE_BYTES };
enum { MS_MODULE, MS_CACHE, MS_LIVE, MS_LIVE_BYTES };
enum { SI_CACHE, SI_OBJSIZE, SI_ACTIVE_OBJS, SI_NUM_OBJS, SI_NUM_SLABS, SI_INUSE_BYTES,
	SI_SLAB_BYTES, SI_TRACKED_BYTES, SI_UNTRACKED_BYTES, SI_RECLAIMABLE };

int table_col(const struct tabdef *def, const char *name);	/* -1 if unknown */

#endif
