/* SPDX-License-Identifier: GPL-2.0 */
/*
 * culprit.h - the "likely culprit" rule of oomtrace report, and the
 * evidence for it.
 */
#ifndef OOMTRACE_CULPRIT_H
#define OOMTRACE_CULPRIT_H

#include <stdint.h>

#include "snap.h"

#define CULPRIT_MAX_EVIDENCE 8
#define CULPRIT_LINE 320

struct culprit {
	const char *module;
	int by_events;		/* chosen by growth across the OOM events */
	int64_t growth;		/* that growth (bytes) */
	const struct row *row;	/* its modules row, if any */
};

/*
 * The module (never [kernel] nor oomtrace itself) with the largest live_bytes growth across the
 * OOM events when there are events, else the one with the largest live_bytes.
 * Returns 1 when one was found.
 */
int find_culprit(const struct snap *s, struct culprit *c);

/* The evidence for c, one sentence a line (raw: bytes unscaled). Returns the count. */
int culprit_evidence(const struct snap *s, const struct culprit *c, int raw,
		     char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE]);

#endif
