/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabinfo.h - the parsers of /proc/slabinfo (every cache's objects since
 * boot, like crash's 'kmem -s') and of slab_reclaim (which caches are
 * reclaimable: SReclaimable or SUnreclaim in /proc/meminfo).
 */
#ifndef OOMTRACE_SLABINFO_H
#define OOMTRACE_SLABINFO_H

#include <stddef.h>

#include "table.h"

/* Bytes of a page (x86-64, the kernels oomtrace supports): slabinfo and zoneinfo count pages. */
#define OT_PAGE_BYTES 4096

/*
 * /proc/slabinfo ("slabinfo - version: 2.1") into t (tab_slabinfo), its
 * rows sorted by name: inuse_bytes = active_objs * objsize, slab_bytes =
 * num_slabs * pagesperslab pages; tracked_bytes, untracked_bytes and
 * reclaimable are left for the caller (absent). Malformed lines are
 * counted in t->bad. 0, or -1 (not a slabinfo file, out of memory).
 */
int slabinfo_parse(struct table *t, const char *data, size_t len);
/* The row of a cache (the first of a name repeated), or NULL. */
struct row *slabinfo_find(const struct table *t, const char *cache);

struct reclaim_ent {
	const char *name;
	int reclaim;		/* 1: SLAB_RECLAIM_ACCOUNT, counted in SReclaimable */
};

/* slab_reclaim: "CACHE 0|1" lines ('#' lines are comments), sorted by name. */
struct reclaim {
	char *buf;
	struct reclaim_ent *e;
	size_t n, cap;
	size_t bad;
	int present;
};

/* 0, or -1 out of memory. */
int reclaim_parse(struct reclaim *r, const char *data, size_t len);
/* 1 reclaimable, 0 not, -1 not known. */
int reclaim_of(const struct reclaim *r, const char *cache);
void reclaim_free(struct reclaim *r);

#endif
