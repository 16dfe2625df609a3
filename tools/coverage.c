// SPDX-License-Identifier: GPL-2.0
/*
 * coverage.c - oomtrace's live bytes against what /proc/meminfo says the
 * box's kernel holds. The box's figures count everything since boot, and
 * slab pages rather than objects (free slots, per-slab waste); oomtrace's
 * count the objects allocated since load or reset: the rest is older than
 * oomtrace, or was not seen (see slabinfo's untracked_bytes per cache).
 */
#include <string.h>

#include "../module/format.h"
#include "coverage.h"

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* a - b - c - ..., never below 0: the kB the keys leave (all must be there). */
static int kb_left(const struct meminfo *m, const char *const *keys, size_t n,
		   const char *const *opt, size_t nopt, uint64_t *out)
{
	uint64_t v, sub = 0;
	size_t i;
	int found;

	v = meminfo_kb(m, keys[0], &found);
	if (!found)
		return 0;
	for (i = 1; i < n + nopt; i++) {
		uint64_t k = meminfo_kb(m, i < n ? keys[i] : opt[i - n], &found);

		if (!found && i < n)
			return 0;
		sub = add_sat(sub, k);
	}
	*out = v > sub ? v - sub : 0;
	return 1;
}

/* The box's figures, from meminfo (bytes). */
static void box_figures(const struct meminfo *m, struct coverage *c)
{
	static const char *const need[] = { "MemTotal", "MemFree", "Active", "Inactive", "Slab" };
	static const char *const opt[] = { "Unevictable", "PageTables", "SecPageTables",
		"VmallocUsed", "Hugetlb" };
	uint64_t kb;

	if (!m->present)
		return;
	kb = meminfo_kb(m, "SUnreclaim", &c->unreclaim.known);
	c->unreclaim.box = kb * 1024;
	kb = meminfo_kb(m, "Slab", &c->slab.known);
	c->slab.box = kb * 1024;
	c->pages.known = kb_left(m, need, 5, opt, 5, &kb);
	c->pages.box = c->pages.known ? kb * 1024 : 0;
	/* free pages on the per-CPU lists are not MemFree: not the kernel's either */
	if (c->pages.known && m->have_pcp)
		c->pages.box = c->pages.box > m->pcp_pages * OT_PAGE_BYTES ?
			       c->pages.box - m->pcp_pages * OT_PAGE_BYTES : 0;
}

void coverage_of(const struct snap *s, struct coverage *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	box_figures(&s->mi, c);
	if (!s->slabs.present)
		return;
	c->slab.tracked_known = c->pages.tracked_known = 1;
	c->unreclaim.tracked_known = s->rc.present;
	for (i = 0; i < s->slabs.nrows; i++) {
		const char *name = s->slabs.rows[i].s[SL_CACHE];
		uint64_t b = s->slabs.rows[i].v[SL_LIVE_BYTES];
		int rc;

		if (!strcmp(name, OT_CACHE_PAGES) || !strcmp(name, OT_CACHE_LARGE)) {
			c->pages.tracked = add_sat(c->pages.tracked, b);
			continue;
		}
		c->slab.tracked = add_sat(c->slab.tracked, b);
		rc = reclaim_of(&s->rc, name);
		if (rc > 0)
			continue;
		c->unreclaim.tracked = add_sat(c->unreclaim.tracked, b);
		if (rc < 0 && b)
			c->unknown++;
	}
}

const struct cover_kind cover_kinds[] = {
	{ "slab_unreclaimable", "unreclaimable slab (SUnreclaim)" },
	{ "slab", "slab (Slab)" },
	{ "kernel_pages", "kernel pages" },
};

const size_t n_cover_kinds = sizeof(cover_kinds) / sizeof(cover_kinds[0]);

const struct cover *cover_kind_of(const struct coverage *c, size_t i)
{
	return i == 0 ? &c->unreclaim : i == 1 ? &c->slab : &c->pages;
}
