/* SPDX-License-Identifier: GPL-2.0 */
/*
 * coverage.h - how much of the kernel's memory oomtrace explains: its live
 * bytes against the box's unreclaimable slab (SUnreclaim), all slab (Slab)
 * and kernel pages, from /proc/meminfo.
 */
#ifndef OOMTRACE_COVERAGE_H
#define OOMTRACE_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

#include "snap.h"

/* One kind of memory: the box's (known: meminfo has what it needs) and oomtrace's. */
struct cover {
	int known, tracked_known;
	uint64_t box;		/* bytes, from /proc/meminfo */
	uint64_t tracked;	/* oomtrace's live bytes of that kind */
};

struct coverage {
	/*
	 * SUnreclaim against the live bytes of the caches not reclaimable
	 * (slab_reclaim says which; a cache it does not name counts as
	 * unreclaimable, as most are): needs slab_reclaim.
	 */
	struct cover unreclaim;
	struct cover slab;	/* Slab against the live bytes of every slab cache */
	/*
	 * The kernel's pages outside slab, page tables and vmalloc, the ones
	 * oomtrace's pages and kmalloc-large count: MemTotal - MemFree -
	 * (Active + Inactive + Unevictable) - Slab - PageTables -
	 * SecPageTables - VmallocUsed - Hugetlb, less the free pages of the
	 * per-CPU lists (/proc/zoneinfo's pagesets) when zoneinfo is there.
	 */
	struct cover pages;
	size_t unknown;		/* caches with live bytes slab_reclaim does not name */
};

void coverage_of(const struct snap *s, struct coverage *c);

/* The kinds, in the order every output lists them. */
struct cover_kind {
	const char *key;	/* "slab_unreclaimable": JSON key, Prometheus label, status's coverage_KEY */
	const char *label;	/* the report's: "unreclaimable slab (SUnreclaim)" */
};

extern const struct cover_kind cover_kinds[];
extern const size_t n_cover_kinds;
/* The figures of kind i of c. */
const struct cover *cover_kind_of(const struct coverage *c, size_t i);

#endif
