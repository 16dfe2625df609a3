/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: the hot path layer. The probes that see every allocation and
 * free and charge them to slots (track.c: the tracepoints, the pointer
 * table, sampling), the kprobes on what has no tracepoint (kprobes.c), and
 * the module notifier that retires what an unloaded module leaves, in
 * order: its sites, then its slots (modwatch.c).
 *
 * Starting, stopping and clearing are the control layer's, under its mutex:
 * attach after clearing, detach before clearing, allocations before frees
 * on the way down (an object must not be freed unseen after its alloc).
 */
#ifndef OOMTRACE_TRACK_H
#define OOMTRACE_TRACK_H

#include <linux/types.h>

#include "slots.h"

/* ---- track.c ---- */

int ot_track_init(unsigned long max_objects, bool sampled, u32 sample_bytes);
void ot_track_exit(void);
size_t ot_track_bytes(unsigned long max_objects);
int ot_track_start(void);
void ot_track_stop(void);
void ot_track_clear(bool sampled, u32 sample_bytes);
void ot_track_alloc(unsigned long call_site, u64 cache_key, const void *ptr, u32 bytes);
void ot_track_free(const void *ptr);
void ot_track_seen(u64 *allocs, u64 *frees);
unsigned int ot_track_epoch(void);
u64 ot_track_epoch_ns(void);
u64 ot_track_dropped(void);
u64 ot_track_lost_frees(void);
bool ot_track_sampled(void);
u32 ot_track_sample_bytes(void);

/* ---- kprobes.c ---- */

void ot_kprobes_start(void);
void ot_kprobes_stop(void);
void ot_kprobes_state(char *buf, size_t len);

/* ---- modwatch.c ---- */

int ot_modwatch_init(void);
void ot_modwatch_exit(void);

#endif /* OOMTRACE_TRACK_H */
