/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: an insert-only hash map, (k1, k2) -> u32, with lockless lookups
 * (map.c). Sites, slots, caches and call-site names are found through it.
 */
#ifndef OOMTRACE_MAP_H
#define OOMTRACE_MAP_H

#include <linux/hash.h>
#include <linux/types.h>

#include "lib.h"

struct ot_map_ent {
	u64 k1;			/* 0: a free entry */
	u64 k2;
	u32 val;
	u32 retired;
};

struct ot_map {
	struct ot_map_ent *ent;
	u32 mask;
};

/* Decides which entries ot_map_retire_if() retires. */
typedef bool (*ot_map_match_fn)(const struct ot_map_ent *e, const void *arg);

int ot_map_init(struct ot_map *m, u32 min_entries);
void ot_map_free(struct ot_map *m);
void ot_map_clear(struct ot_map *m);
size_t ot_map_bytes(const struct ot_map *m);
size_t ot_map_bytes_for(u32 min_entries);
int ot_map_insert(struct ot_map *m, u64 k1, u64 k2, u32 val);
u32 ot_map_retire_if(struct ot_map *m, ot_map_match_fn match, const void *arg);

/* Probe at most this many entries: bounds the work of a miss. */
#define OT_MAP_PROBES	64

static inline u32 ot_map_hash(const struct ot_map *m, u64 k1, u64 k2)
{
	return (u32)hash_64(k1 ^ (k2 * GOLDEN_RATIO_64), 32) & m->mask;
}

/**
 * ot_map_find - look a key up, in any context, without a lock
 * @m: the map
 * @k1: first half of the key, never 0
 * @k2: second half of the key
 *
 * Inline: the hot path finds every allocation's slot through it.
 *
 * Return: the value, or OT_NONE when the key is absent or retired.
 */
static inline u32 ot_map_find(const struct ot_map *m, u64 k1, u64 k2)
{
	u32 i = ot_map_hash(m, k1, k2);
	int n;

	for (n = 0; n < OT_MAP_PROBES; n++, i = (i + 1) & m->mask) {
		const struct ot_map_ent *e = &m->ent[i];
		/* Pairs with the release in ot_map_insert(). */
		u64 k = smp_load_acquire(&e->k1);

		if (!k)
			return OT_NONE;
		if (k == k1 && e->k2 == k2 && !READ_ONCE(e->retired))
			return e->val;
	}
	return OT_NONE;
}

#endif /* OOMTRACE_MAP_H */
