// SPDX-License-Identifier: GPL-2.0
/*
 * partial.c - whether a snapshot's numbers are exact. The module says it
 * in the status and in a "# partial" line of each file it reads at a
 * different moment; the snapshot is as partial as the most any of them
 * says. An older module's files have no such line: only its status counts.
 */
#include <string.h>

#include "partial.h"

int partial_any(const struct partial *p)
{
	return p->dropped || p->estimated || p->lost_frees || p->missed;
}

static void max_u64(uint64_t *acc, uint64_t v)
{
	if (v > *acc)
		*acc = v;
}

void partial_merge(struct partial *acc, const struct partial *p)
{
	max_u64(&acc->allocs, p->allocs);
	max_u64(&acc->dropped, p->dropped);
	max_u64(&acc->estimated, p->estimated);
	max_u64(&acc->lost_frees, p->lost_frees);
	max_u64(&acc->missed, p->missed);
	acc->kernel_sampled |= p->kernel_sampled;
	acc->sampled |= p->sampled;
	acc->known |= p->known;
}

void snap_partial(const struct snap *s, struct partial *p)
{
	const struct table *t[] = { &s->slabs, &s->modules, &s->callsites, &s->modslabs };
	size_t i;

	status_partial(&s->st, p);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (!t[i]->present)
			continue;
		partial_merge(p, &t[i]->partial);
		if (!strcmp(t[i]->mode, "sampled"))
			p->sampled = 1;
	}
	if (s->ev.present)
		partial_merge(p, &s->ev.partial);
}

double partial_fraction(const struct partial *p, uint64_t part)
{
	if (!(p->known & PARTIAL_ALLOCS) || !p->allocs)
		return -1;
	return (double)part / (double)p->allocs;
}
