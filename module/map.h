/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: an insert-only hash map, (k1, k2) -> u32, with lockless lookups
 * (map.c). Sites, slots, caches and call-site names are found through it.
 */
#ifndef OOMTRACE_MAP_H
#define OOMTRACE_MAP_H

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
u32 ot_map_find(const struct ot_map *m, u64 k1, u64 k2);
int ot_map_insert(struct ot_map *m, u64 k1, u64 k2, u32 val);
u32 ot_map_retire_if(struct ot_map *m, ot_map_match_fn match, const void *arg);

#endif /* OOMTRACE_MAP_H */
