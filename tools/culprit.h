/* SPDX-License-Identifier: GPL-2.0 */
/*
 * culprit.h - the "likely culprit" rule of oomtrace report, and the
 * evidence for it.
 */
#ifndef OOMTRACE_CULPRIT_H
#define OOMTRACE_CULPRIT_H

#include <stdint.h>

#include "snap.h"

#define CULPRIT_MAX_EVIDENCE 12
#define CULPRIT_LINE 320

struct culprit {
	const char *module;	/* a module, or "[kernel]" */
	int kernel;		/* it is [kernel], the core kernel */
	int by_events;		/* chosen by growth across the OOM events */
	int64_t growth;		/* that growth (bytes) */
	const struct row *row;	/* its modules row, if any */
	/* When it is [kernel]: the module that came next (NULL: none), by the same measure. */
	const char *next;
	int64_t next_growth;
	const struct row *next_row;
};

/*
 * The module (never oomtrace itself) with the largest live_bytes growth across the OOM events
 * when there are events, else the one with the largest live_bytes; [kernel] instead when its
 * growth (its live_bytes) is larger than every module's: a small module is not blamed for
 * what the core kernel holds. Returns 1 when one was found.
 */
int find_culprit(const struct snap *s, struct culprit *c);

/* The evidence for c, one sentence a line (raw: bytes unscaled). Returns the count. */
int culprit_evidence(const struct snap *s, const struct culprit *c, int raw,
		     char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE]);

#endif
