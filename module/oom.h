/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: the OOM layer. The event ring (events.c), what the OOM killer's
 * hooks record in it and print to the kernel log (oom.c), the thresholds
 * warned about as tables grow (thresholds.c), the files' text (views.c)
 * and their dump into the kernel log when the box goes down (dump.c).
 *
 * Nothing on the OOM path allocates: workspaces, the ring and the work item
 * are allocated at load. Locks: the control layer's mutex (ot_ctl_*) ->
 * ot_oom_mutex (oom.c) -> the ring's raw spinlock (events.c).
 */
#ifndef OOMTRACE_OOM_H
#define OOMTRACE_OOM_H

#include <linux/types.h>
#include <linux/sched.h>

#include "config.h"
#include "track.h"
#include "agg.h"

/* ---- events.c ---- */

#define OT_OOM_TOP		5	/* modules and caches per event */
#define OT_EVENTS_MIN		2
#define OT_EVENTS_MAX		4096

enum ot_ev_kind { OT_EV_GLOBAL, OT_EV_VICTIM };

struct ot_oom_top {
	u32 id;			/* module id, or canonical cache id */
	s64 bytes;
	s64 delta;
};

struct ot_oom_sum {
	u64 free_kb;
	u64 slab_rec_kb;
	u64 slab_unrec_kb;
	u64 pagetables_kb;
	u64 tracked_bytes;
	u32 nr_mod;
	u32 nr_cache;
	struct ot_oom_top mod[OT_OOM_TOP];
	struct ot_oom_top cache[OT_OOM_TOP];
};

struct ot_oom_event {
	u64 seq;			/* 1, 2, ... since load or reset; 0: empty */
	u64 time_ns;			/* local_clock(), as printk */
	const void *task;		/* compared only: the task of a global OOM */
	u8 kind;
	bool open;			/* global event, no victim marked yet */
	bool victim;			/* pid, comm, oom_score_adj known */
	bool have_rss;
	bool pending;			/* summary not taken yet */
	short oom_score_adj;
	pid_t pid;
	u64 rss_kb;
	char comm[TASK_COMM_LEN];
	struct ot_oom_sum sum;
};

int ot_events_init(unsigned int max_events);
void ot_events_exit(void);
size_t ot_events_bytes(unsigned int max_events);
unsigned int ot_events_max(void);
unsigned long ot_events_lock(void);
void ot_events_unlock(unsigned long flags);
struct ot_oom_event *ot_ev_get(u64 seq);
struct ot_oom_event *ot_ev_new(enum ot_ev_kind kind, u64 now);
u64 ot_ev_last(void);
u64 ot_ev_pending_from(void);
void ot_ev_pending_done(u64 nr);
u64 ot_ev_global_new(void);
void ot_events_clear(void);
u32 ot_events_copy(struct ot_oom_event *out, u64 *nr);
int ot_events_copy_try(struct ot_oom_event *out, u64 *nr);
u64 ot_events_nr(void);
void ot_event_print(const struct ot_oom_event *ev, u64 prev_seq, u32 tops, ot_emit_fn emit,
		    void *ctx);

/* ---- oom.c ---- */

int ot_oom_init(void);
void ot_oom_exit(void);
void ot_oom_reset(bool sampled, u32 sample_bytes);

/* ---- views.c: the files' text, for /proc and the kernel log dump ---- */

enum ot_table { OT_SLABS, OT_MODULES, OT_CALLSITES, OT_MODULE_SLABS, OT_NR_TABLES };

struct ot_view {
	struct ot_agg *a;
	enum ot_table t;
	struct ot_track_sum ts;		/* the mode, and what was not exact */
	struct ot_row *rows;
	u32 n;
	u32 n_mc;		/* (module, cache) rows in a->site, for top_module */
};

struct ot_status_info {
	const struct ot_agg *a;
	const struct ot_config *cfg;
	struct ot_track_sum ts;
	u64 tracked_bytes;
	char kprobes[160];	/* "on", or which are off and why */
};

const char *ot_table_name(enum ot_table t);
void ot_view_build(struct ot_view *v);
void ot_view_print(const struct ot_view *v, u32 max_rows, ot_emit_fn emit, void *ctx);
void ot_banner_print(const char *name, const struct ot_track_sum *ts, ot_emit_fn emit,
		     void *ctx);
void ot_partial_print(const struct ot_track_sum *ts, ot_emit_fn emit, void *ctx);
void ot_status_fill(struct ot_status_info *st, const struct ot_agg *a,
		    const struct ot_config *cfg);
void ot_status_print(const struct ot_status_info *st, ot_emit_fn emit, void *ctx);

/* ---- dump.c: the files into the kernel log ---- */

/*
 * A table row is 60-100 bytes of log: at 100 rows the four tables add up to
 * ~35 KiB, which with 64 events keeps a dump near half of Debian's 128 KiB
 * log buffer. More would overwrite the dump's own begin on such a box.
 */
#define OT_DUMP_ROWS_MAX	100
#define OT_DUMP_EVENTS_MAX	64	/* events a dump keeps: the default max_events */

int ot_dump_init(const struct ot_config *cfg);
void ot_dump_exit(void);
size_t ot_dump_bytes(const struct ot_config *c);
int ot_dump(const char *reason, struct ot_agg *a);

/* ---- thresholds.c ---- */

void ot_thresholds_check(const struct ot_agg *a);
int ot_threshold_cmd(char *args);
void ot_thresholds_show(struct seq_file *m);
unsigned int ot_thresholds_nr(void);
void ot_thresholds_rearm(void);

#endif /* OOMTRACE_OOM_H */
