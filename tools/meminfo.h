/* SPDX-License-Identifier: GPL-2.0 */
/*
 * meminfo.h - the parsers of /proc/meminfo and of /proc/zoneinfo's per-CPU
 * page lists.
 */
#ifndef OOMTRACE_MEMINFO_H
#define OOMTRACE_MEMINFO_H

#include <stddef.h>
#include <stdint.h>

#include "lex.h"

struct meminfo {
	char *buf;
	struct kv *kv;		/* value: the number (kB) as text */
	size_t n;
	int present;
	/* the snapshot layer's, from /proc/zoneinfo (zoneinfo_pcp_pages) */
	int have_pcp;
	uint64_t pcp_pages;
};

int meminfo_parse(struct meminfo *m, const char *data, size_t len);
/* kB value of a key; 0 if absent. *found set when non-NULL. */
uint64_t meminfo_kb(const struct meminfo *m, const char *key, int *found);
void meminfo_free(struct meminfo *m);

/*
 * /proc/zoneinfo: the pages on the per-CPU free lists (the sum of every
 * pageset's "count:"), which /proc/meminfo counts neither free nor used.
 * 0, or -1 when data has none (not zoneinfo).
 */
int zoneinfo_pcp_pages(const char *data, size_t len, uint64_t *pages);

#endif
