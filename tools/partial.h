/* SPDX-License-Identifier: GPL-2.0 */
/*
 * partial.h - whether a snapshot's numbers are exact: what its status and
 * the "# partial" lines of its files say, together.
 */
#ifndef OOMTRACE_PARTIAL_H
#define OOMTRACE_PARTIAL_H

#include "snap.h"

/*
 * Some allocations were dropped, counted by estimate, their frees lost, or
 * probe calls (bulk allocations and frees, page splits) missed.
 */
int partial_any(const struct partial *p);
/*
 * Into acc, what p says too: each count the larger (counters only grow
 * until a reset: the file read last knows most).
 */
void partial_merge(struct partial *acc, const struct partial *p);
/* The status and every file s holds (no "# partial" line: that file is exact). */
void snap_partial(const struct snap *s, struct partial *p);
/* part / allocs, or -1 when the allocations are not known (or 0). */
double partial_fraction(const struct partial *p, uint64_t part);

#endif
