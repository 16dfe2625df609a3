/* SPDX-License-Identifier: GPL-2.0 */
/*
 * grower.h - the top-grower rule: of names with a growth, the first of the
 * largest, optionally only growth above 0 and never the core kernel.
 * Events, report, diff, top and the culprit all pick their top grower
 * with it.
 */
#ifndef OOMTRACE_GROWER_H
#define OOMTRACE_GROWER_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"

enum {
	GROW_NOT_KERNEL = 1 << 0,	/* never "[kernel]" */
	GROW_POSITIVE = 1 << 1,		/* only growth above 0 */
};

struct grower {
	unsigned flags;
	int found;
	size_t at;		/* the caller's index of the top grower */
	int64_t delta;		/* its growth */
};

/* "[kernel]": memory of the core kernel, not of a module. */
int is_kernel(const char *name);

void grower_init(struct grower *g, unsigned flags);
/* A candidate: name, growth, and the index the caller finds it at. */
void grower_offer(struct grower *g, const char *name, int64_t delta, size_t at);

/*
 * The entry of an event with the largest growth; kernel_last: a module
 * rather than [kernel] when they grew as much (never a small module when
 * [kernel] grew more). NULL when n is 0.
 */
const struct ev_entry *ev_top_grower(const struct ev_entry *e, size_t n, int kernel_last);

#endif
