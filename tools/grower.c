// SPDX-License-Identifier: GPL-2.0
/*
 * grower.c - the top-grower rule: the first of the largest growth,
 * optionally only above 0, optionally never the core kernel.
 */
#include <string.h>

#include "../module/format.h"
#include "grower.h"

int is_kernel(const char *name)
{
	return !strcmp(name, OT_NAME_KERNEL);
}

void grower_init(struct grower *g, unsigned flags)
{
	memset(g, 0, sizeof(*g));
	g->flags = flags;
}

void grower_offer(struct grower *g, const char *name, int64_t delta, size_t at)
{
	if ((g->flags & GROW_NOT_KERNEL) && is_kernel(name))
		return;
	if ((g->flags & GROW_POSITIVE) && delta <= 0)
		return;
	if (g->found && delta <= g->delta)
		return;	/* ties: the first one stays */
	g->found = 1;
	g->at = at;
	g->delta = delta;
}

static const struct ev_entry *top_of(const struct ev_entry *e, size_t n, unsigned flags)
{
	struct grower g;
	size_t i;

	grower_init(&g, flags);
	for (i = 0; i < n; i++)
		grower_offer(&g, e[i].name, e[i].delta_bytes, i);
	return g.found ? &e[g.at] : NULL;
}

const struct ev_entry *ev_top_grower(const struct ev_entry *e, size_t n, int kernel_last)
{
	const struct ev_entry *all = top_of(e, n, 0), *mod;

	if (!kernel_last || !all || !is_kernel(all->name))
		return all;
	/* [kernel] only when it grew more than every module: a tie goes to the module */
	mod = top_of(e, n, GROW_NOT_KERNEL);
	return mod && mod->delta_bytes >= all->delta_bytes ? mod : all;
}
