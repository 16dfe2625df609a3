// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: an insert-only open-addressing hash map from a (k1, k2) key pair
 * to a u32 value.
 *
 * Lookups are lockless and run in any context; inserts are serialised by the
 * caller (ot_slow_lock). An entry is published by a release store of k1
 * after its other fields are written, so a lookup that sees k1 sees the rest.
 * Entries are never removed: a retired entry is skipped by lookups, which
 * keeps linear-probing chains intact without tombstones.
 */
#include <linux/vmalloc.h>
#include <linux/log2.h>

#include "map.h"

/* Twice the entries asked for, a power of two: short probe chains when full. */
static unsigned long ot_map_entries(u32 min_entries)
{
	return roundup_pow_of_two(2UL * max_t(u32, min_entries, 16));
}

/**
 * ot_map_init - allocate an empty map
 * @m: the map
 * @min_entries: the map holds at least this many entries
 *
 * The table is sized to twice @min_entries, rounded up to a power of two, so
 * that probe chains stay short when it is nearly full.
 *
 * Return: 0 or -ENOMEM.
 */
int ot_map_init(struct ot_map *m, u32 min_entries)
{
	unsigned long n = ot_map_entries(min_entries);

	m->ent = vzalloc(array_size(n, sizeof(*m->ent)));
	if (!m->ent)
		return -ENOMEM;
	m->mask = n - 1;
	return 0;
}

/**
 * ot_map_free - free a map's table
 * @m: the map
 */
void ot_map_free(struct ot_map *m)
{
	vfree(m->ent);
	m->ent = NULL;
}

/**
 * ot_map_clear - empty a map; no lookup or insert may run concurrently
 * @m: the map
 */
void ot_map_clear(struct ot_map *m)
{
	memset(m->ent, 0, (m->mask + 1) * sizeof(*m->ent));
}

/**
 * ot_map_bytes - memory held by a map
 * @m: the map
 *
 * Return: bytes.
 */
size_t ot_map_bytes(const struct ot_map *m)
{
	return (m->mask + 1) * sizeof(*m->ent);
}

/**
 * ot_map_bytes_for - memory a map for @min_entries will hold, before it exists
 * @min_entries: as for ot_map_init()
 *
 * Return: bytes.
 */
size_t ot_map_bytes_for(u32 min_entries)
{
	return ot_map_entries(min_entries) * sizeof(struct ot_map_ent);
}

/**
 * ot_map_insert - add a key; the caller serialises inserts
 * @m: the map
 * @k1: first half of the key, never 0
 * @k2: second half of the key
 * @val: the value
 *
 * Return: 0, or -ENOSPC when the probe window is full.
 */
int ot_map_insert(struct ot_map *m, u64 k1, u64 k2, u32 val)
{
	u32 i = ot_map_hash(m, k1, k2);
	int n;

	for (n = 0; n < OT_MAP_PROBES; n++, i = (i + 1) & m->mask) {
		struct ot_map_ent *e = &m->ent[i];

		if (e->k1)
			continue;
		e->k2 = k2;
		e->val = val;
		e->retired = 0;
		/* Publish: a lookup that sees k1 sees k2 and val. */
		smp_store_release(&e->k1, k1);
		return 0;
	}
	return -ENOSPC;
}

/**
 * ot_map_retire_if - retire every live entry @match accepts, in one pass
 * @m: the map
 * @match: called for each live (used, not retired) entry
 * @arg: passed to @match
 *
 * The caller serialises it with the inserts. A retired entry is skipped by
 * lookups from then on; its value stays readable through what points at it.
 *
 * Return: the number of entries retired.
 */
u32 ot_map_retire_if(struct ot_map *m, ot_map_match_fn match, const void *arg)
{
	struct ot_map_ent *e;
	u32 n = 0;

	for (e = m->ent; e <= m->ent + m->mask; e++) {
		if (!e->k1 || e->retired || !match(e, arg))
			continue;
		WRITE_ONCE(e->retired, 1);
		n++;
	}
	return n;
}
