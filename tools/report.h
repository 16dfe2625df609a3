/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - the "likely culprit" rule of oomtrace report.
 */
#ifndef OOMTRACE_REPORT_H
#define OOMTRACE_REPORT_H

#include "snap.h"

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

#endif
