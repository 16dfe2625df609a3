/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff.h - the diff engine: growth between two tables (baseline and
 * later), two snapshots, or two refreshes of top, and the verdict.
 */
#ifndef OOMTRACE_DIFF_H
#define OOMTRACE_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "snap.h"
#include "table.h"

struct drow {
	const char *name;
	const char *state;	/* module state in the new table, "absent", or "" */
	uint64_t basev, newv;	/* live bytes */
	int64_t delta;		/* newv - basev */
	int64_t dlive;		/* growth in live objects */
};

struct dtab {
	struct drow *rows;	/* changed rows only, sorted */
	size_t n;
	size_t unchanged;
};

/* growth (0), new live_bytes (1), objects (2), name (3); -1 unknown. */
int diff_sort_key(const char *s);
/* Join base and cur on the name column (keep_all: unchanged rows too). 0, or -1 out of memory. */
int diff_tables(struct dtab *d, const struct table *base, const struct table *cur,
		int bytes_col, int live_col, int state_col, int sortkey, int keep_all);
void dtab_free(struct dtab *d);
/* Largest positive growth (optionally not [kernel]); NULL if nothing grew. */
const struct drow *dtab_top(const struct dtab *d, int skip_kernel);
/* "verdict: top grower is module X (+97.7 MiB live, +1000 objects); cache Y (+95.4 MiB)" */
void diff_verdict(char *buf, size_t len, const struct dtab *mods, const struct dtab *caches,
		  int raw);

/*
 * top's growth over one interval: every module and cache (unchanged ones
 * too) against the previous refresh, prev (NULL on the first: no growth
 * yet). 0, or -1 out of memory (nothing to free then).
 */
int diff_top(struct dtab *mods, struct dtab *caches, const struct snap *prev,
	     const struct snap *cur, int sortkey);

#define KGROWTH_TOP 3

/* How [kernel] grew: its caches (module_slabs) and call sites that grew most. */
struct kgrowth {
	const struct drow *mod;	/* its row of the modules' growth; NULL when it did not grow */
	int top;		/* it grew more than any module */
	int have_caches;	/* module_slabs in both snapshots */
	struct dtab caches;	/* its (module_slabs) caches that changed, by growth */
	const struct drow *sites[KGROWTH_TOP];	/* its call sites that grew most */
	size_t nsites;
};

/* Two snapshots compared: modules, caches and call sites, and the verdict. */
struct snapdiff {
	const struct snap *base, *cur;
	struct dtab mods, caches, sites;
	/* /proc/slabinfo's caches (inuse_bytes: every object), when both snapshots have it */
	int have_slabinfo;
	struct dtab slabinfo;
	struct kgrowth kernel;
	char verdict[512];
	/* When [kernel] grew most: "kernel: [kernel] grew ... in caches ...; call sites ...", else "". */
	char kernel_line[1024];
};

/* Changed rows only, sorted by sortkey; raw: the verdict's bytes unscaled. 0, or -1 out of memory. */
int diff_snaps(struct snapdiff *d, const struct snap *base, const struct snap *cur, int sortkey,
	       int raw);
void snapdiff_free(struct snapdiff *d);
/* Growth of oomtrace's live bytes in a slabinfo row's cache (its tracked_bytes). */
int64_t slabinfo_tracked_growth(const struct snapdiff *d, const struct drow *r);

#endif
