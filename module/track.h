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
#include <linux/mm_types.h>

#include "slots.h"

/* ---- track.c ---- */

/* What the probes saw since the last clear, summed over the CPUs. */
struct ot_track_sum {
	u64 allocs;		/* allocation events, tracked or not */
	u64 frees;		/* free events, of anything */
	u64 estimated;		/* allocations left to sampling: counted as estimates */
	u64 dropped;		/* allocations not counted: no slot, or no room */
	u64 lost_frees;		/* tracked objects whose free went unseen */
	u64 missed;		/* kprobe hits whose handler did not run */
	u64 entries;		/* pointers in the table */
	bool sampled;		/* sampled mode */
	bool kernel_sampled;	/* exact mode, [kernel] sampled since its half filled */
	u32 sample_bytes;
};

int ot_track_init(unsigned long max_objects, bool sampled, u32 sample_bytes);
void ot_track_exit(void);
size_t ot_track_bytes(unsigned long max_objects);
int ot_track_start(void);
void ot_track_stop(void);
void ot_track_clear(bool sampled, u32 sample_bytes);
void ot_track_alloc(unsigned long call_site, u64 cache_key, const void *ptr, u32 bytes);
void ot_track_free(const void *ptr);
void ot_track_split(struct page *head, unsigned int order, unsigned int keep);
void ot_track_sum(struct ot_track_sum *ts);
unsigned int ot_track_epoch(void);
u64 ot_track_epoch_ns(void);
bool ot_track_sampled(void);
u32 ot_track_sample_bytes(void);

/* ---- kprobes.c ---- */

void ot_kprobes_start(unsigned int maxactive);
void ot_kprobes_stop(void);
void ot_kprobes_state(char *buf, size_t len);
u64 ot_kprobes_missed(void);

/* ---- modwatch.c ---- */

int ot_modwatch_init(void);
void ot_modwatch_exit(void);

#endif /* OOMTRACE_TRACK_H */
