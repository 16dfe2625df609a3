// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: what the OOM killer's hooks record.
 *
 * Two hooks see the OOM killer. The OOM notifier chain runs for every global
 * OOM, in process context under oom_lock, before a victim is chosen and
 * before a panic_on_oom panic: it aggregates the tables into a workspace of
 * its own, records a "global" event with the memory summary and prints the
 * summary to the kernel log. The oom:mark_victim tracepoint fires for every
 * victim (memcg OOMs too), in atomic context: it only copies the victim's
 * pid, comm, oom_score_adj and rss into the global event of the same OOM, or
 * into a new "victim" event whose summary a work item takes later.
 *
 * Nothing on the OOM path allocates: the workspace, the event ring, the
 * snapshots the deltas are computed from and the work item are allocated at
 * load. The control layer's mutex is not taken here (its holder may be
 * waiting for memory); ot_oom_mutex serialises the workspace, the snapshots
 * and a reset's clearing (ot_oom_reset()), and its holders never allocate. Lock order: control ->
 * ot_oom_mutex -> the ring's lock (events.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>
#include <trace/events/oom.h>

#include "oom.h"

#define OT_OOM_LOG_BURST	3	/* summaries per interval, after the first */
#define OT_OOM_LOG_INTERVAL	(10 * HZ)
#define OT_OOM_DUMP_INTERVAL	(60 * HZ)	/* a full dump at most this often */
/*
 * A victim marked this soon after a global OOM of the same task is its own;
 * a global OOM this soon after one that killed nobody yet is the same one.
 */
#define OT_VICTIM_WINDOW_NS	(5ULL * NSEC_PER_SEC)

/* The OOM path's workspace and snapshots, under ot_oom_mutex. */
static DEFINE_MUTEX(ot_oom_mutex);
static struct ot_agg *ot_oom_agg;
static s64 ot_prev_mod[OT_MAX_MODULES];		/* at the last summary */
static s64 ot_prev_cache[OT_MAX_CACHES];
static s64 ot_base_mod[OT_MAX_MODULES];		/* at the summary before */
static s64 ot_base_cache[OT_MAX_CACHES];
static struct ot_oom_sum ot_oom_scratch;
static struct ot_rl ot_oom_rl = OT_RL_INIT(ot_oom_rl, OT_OOM_LOG_INTERVAL, OT_OOM_LOG_BURST,
					   "OOM summaries");
static struct ot_rl ot_dump_rl = OT_RL_INIT(ot_dump_rl, OT_OOM_DUMP_INTERVAL, 1, "OOM dumps");

static struct workqueue_struct *ot_oom_wq;
static struct work_struct ot_oom_work;
static struct tracepoint *ot_victim_tp;

/* ---- summaries, under ot_oom_mutex ---- */

static void ot_oom_top_add(struct ot_oom_top *top, u32 *n, u32 id, s64 bytes, s64 delta)
{
	u32 i;

	if (bytes <= 0)
		return;
	/* Sorted by bytes, largest first; ties keep the smaller id first. */
	for (i = *n; i > 0 && top[i - 1].bytes < bytes; i--)
		if (i < OT_OOM_TOP)
			top[i] = top[i - 1];
	if (i >= OT_OOM_TOP)
		return;
	top[i].id = id;
	top[i].bytes = bytes;
	top[i].delta = delta;
	if (*n < OT_OOM_TOP)
		(*n)++;
}

static void ot_oom_collect(void)
{
	ot_agg_collect(ot_oom_agg);
	ot_peaks_update(ot_oom_agg);
}

/*
 * Summarise the collected workspace into @s. Deltas are against the
 * previous summary; @again re-takes the latest summary (a global OOM that
 * killed nobody yet, tried again), so the deltas stay against the one before.
 */
static void ot_oom_summarise(struct ot_oom_sum *s, bool again)
{
	const struct ot_agg *a = ot_oom_agg;
	struct sysinfo si;
	u32 i;

	if (!again) {
		memcpy(ot_base_mod, ot_prev_mod, sizeof(ot_base_mod));
		memcpy(ot_base_cache, ot_prev_cache, sizeof(ot_base_cache));
	}
	memset(s, 0, sizeof(*s));
	si_meminfo(&si);
	s->free_kb = ((u64)si.freeram * si.mem_unit) >> 10;
	s->slab_rec_kb = (u64)global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) <<
			 (PAGE_SHIFT - 10);
	s->slab_unrec_kb = (u64)global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B) <<
			   (PAGE_SHIFT - 10);
	s->pagetables_kb = (u64)global_node_page_state_pages(NR_PAGETABLE) << (PAGE_SHIFT - 10);

	for (i = 0; i < a->nr_mod; i++) {
		s64 b = max_t(s64, a->mod[i].bytes, 0);

		s->tracked_bytes += b;
		ot_oom_top_add(s->mod, &s->nr_mod, i, b, b - ot_base_mod[i]);
		ot_prev_mod[i] = b;
	}
	for (i = 0; i < a->nr_cache; i++) {
		s64 b = max_t(s64, a->cache[i].bytes, 0);

		if (a->cache_canon[i] != i)
			continue;
		ot_oom_top_add(s->cache, &s->nr_cache, i, b, b - ot_base_cache[i]);
		ot_prev_cache[i] = b;
	}
}

/* Take the summaries victim events still wait for, oldest first. */
static void ot_oom_fill_pending(void)
{
	struct ot_oom_event *ev;
	unsigned long flags;
	u64 seq, nr;
	bool want;

	flags = ot_events_lock();
	seq = ot_ev_pending_from();
	nr = ot_ev_last();
	ot_events_unlock(flags);
	for (; seq <= nr; seq++) {
		flags = ot_events_lock();
		ev = ot_ev_get(seq);
		want = ev && ev->pending;
		ot_events_unlock(flags);
		if (!want)
			continue;
		ot_oom_summarise(&ot_oom_scratch, false);
		flags = ot_events_lock();
		ev = ot_ev_get(seq);
		if (ev && ev->pending) {
			ev->sum = ot_oom_scratch;
			ev->pending = false;
		}
		ot_events_unlock(flags);
	}
	flags = ot_events_lock();
	ot_ev_pending_done(nr);
	ot_events_unlock(flags);
}

static void ot_oom_work_fn(struct work_struct *w)
{
	mutex_lock(&ot_oom_mutex);
	ot_oom_collect();
	ot_oom_fill_pending();
	mutex_unlock(&ot_oom_mutex);
}

/* ---- kernel log, under ot_oom_mutex ---- */

static void ot_oom_log_top(const char *what, u64 nr, const char *when,
			   const struct ot_oom_top *top, u32 n, bool cache)
{
	struct ot_line l;
	u32 i;

	ot_line_init(&l);
	for (i = 0; i < n; i++) {
		ot_line_add(&l, "%s%s ", i ? ", " : "",
			    cache ? ot_cache_name(top[i].id) : ot_mod_name(top[i].id));
		ot_line_size(&l, top[i].bytes, false);
		ot_line_add(&l, " (");
		ot_line_size(&l, top[i].delta, true);
		ot_line_add(&l, ")");
	}
	pr_warn("OOM #%llu at %s: top %s: %s\n", nr, when, what, n ? l.buf : "none");
}

static void ot_oom_log(u64 nr, u64 seq, u64 t, const struct ot_oom_sum *s)
{
	char when[32], sz[5][24];
	u32 rem;

	/* The first global OOM is always reported. */
	if (nr > 1 && !ot_rl_ok(&ot_oom_rl))
		return;
	t = div_u64_rem(t, NSEC_PER_SEC, &rem);
	scnprintf(when, sizeof(when), "%llu.%06u", t, rem / 1000);
	ot_fmt_size(sz[0], sizeof(sz[0]), s->free_kb << 10, false);
	ot_fmt_size(sz[1], sizeof(sz[1]), s->slab_rec_kb << 10, false);
	ot_fmt_size(sz[2], sizeof(sz[2]), s->slab_unrec_kb << 10, false);
	ot_fmt_size(sz[3], sizeof(sz[3]), s->pagetables_kb << 10, false);
	ot_fmt_size(sz[4], sizeof(sz[4]), s->tracked_bytes, false);
	pr_warn("OOM #%llu at %s: event %llu: free %s, slab %s reclaimable + %s unreclaimable, page tables %s, tracked %s\n",
		nr, when, seq, sz[0], sz[1], sz[2], sz[3], sz[4]);
	ot_oom_log_top("modules", nr, when, s->mod, s->nr_mod, false);
	ot_oom_log_top("caches", nr, when, s->cache, s->nr_cache, true);
}

/* ---- the hooks ---- */

static int ot_oom_notify(struct notifier_block *nb, unsigned long unused, void *freed)
{
	struct ot_oom_event *ev;
	unsigned long flags;
	u64 seq, nr, t;
	bool again;

	/* *freed stays untouched: reporting memory freed would cancel the kill. */
	mutex_lock(&ot_oom_mutex);
	ot_oom_collect();
	ot_oom_fill_pending();

	/* A global OOM that killed nobody yet (its victim still exiting) again. */
	t = local_clock();
	flags = ot_events_lock();
	ev = ot_ev_get(ot_ev_last());
	again = ev && ev->open && (s64)(t - ev->time_ns) <= (s64)OT_VICTIM_WINDOW_NS;
	ot_events_unlock(flags);

	ot_oom_summarise(&ot_oom_scratch, again);

	flags = ot_events_lock();
	ev = ot_ev_get(ot_ev_last());
	nr = 0;
	if (!again || !ev || !ev->open) {
		ev = ot_ev_new(OT_EV_GLOBAL, t);
		ev->open = true;
		nr = ot_ev_global_new();
		again = false;
	}
	ev->time_ns = t;
	ev->task = current;
	ev->sum = ot_oom_scratch;
	seq = ev->seq;
	ot_events_unlock(flags);

	if (!again) {
		ot_oom_log(nr, seq, t, &ot_oom_scratch);
		/* The first, then one a minute: a console prints it in the OOM path. */
		if (ot_rl_ok(&ot_dump_rl))
			ot_dump("oom", ot_oom_agg);
	}
	mutex_unlock(&ot_oom_mutex);
	return NOTIFY_OK;
}

static struct notifier_block ot_oom_nb = {
	.notifier_call = ot_oom_notify,
};

static void ot_comm_clean(char *comm)
{
	char *c;

	for (c = comm; *c; c++)
		if (*c <= ' ' || *c > '~')
			*c = '_';
	if (!*comm)
		strscpy(comm, "-", TASK_COMM_LEN);
}

/* Atomic context (the victim's task_lock is held): copy and leave. */
static void ot_oom_victim(struct task_struct *t, pid_t pid)
{
	char comm[TASK_COMM_LEN] = "";
	struct ot_oom_event *ev;
	struct mm_struct *mm;
	unsigned long flags;
	bool have_rss = false, queue = false;
	short adj = 0;
	u64 rss = 0, now = local_clock();

	if (t) {
		strscpy(comm, t->comm, sizeof(comm));
		adj = READ_ONCE(t->signal->oom_score_adj);
		mm = READ_ONCE(t->mm);
		if (mm) {
			rss = get_mm_counter(mm, MM_ANONPAGES) +
			      get_mm_counter(mm, MM_FILEPAGES) +
			      get_mm_counter(mm, MM_SHMEMPAGES);
			rss <<= PAGE_SHIFT - 10;
			have_rss = true;
		}
	}
	ot_comm_clean(comm);

	flags = ot_events_lock();
	ev = ot_ev_get(ot_ev_last());
	if (!ev || !ev->open || ev->task != current ||
	    (s64)(now - ev->time_ns) > (s64)OT_VICTIM_WINDOW_NS) {
		ev = ot_ev_new(OT_EV_VICTIM, now);
		ev->pending = true;
		queue = true;
	}
	ev->open = false;
	ev->victim = true;
	ev->pid = pid;
	ev->oom_score_adj = adj;
	ev->have_rss = have_rss;
	ev->rss_kb = rss;
	memcpy(ev->comm, comm, sizeof(comm));
	ot_events_unlock(flags);
	if (queue)
		queue_work(ot_oom_wq, &ot_oom_work);
}

static void ot_probe_victim_task(void *data, struct task_struct *task, uid_t uid)
{
	ot_oom_victim(task, task->pid);
}

static void ot_probe_victim_pid(void *data, int pid)
{
	rcu_read_lock();
	ot_oom_victim(pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID), pid);
	rcu_read_unlock();
}

/* Exactly one prototype matches, checked at build time (see compat.h). */
static_assert(OT_MARK_VICTIM_TASK_UID || OT_MARK_VICTIM_PID);

static void *ot_victim_probe(void)
{
	return OT_MARK_VICTIM_TASK_UID ? (void *)ot_probe_victim_task :
					 (void *)ot_probe_victim_pid;
}

static void ot_oom_tp_lookup(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "mark_victim"))
		ot_victim_tp = tp;
}

/**
 * ot_oom_reset - a reset's clearing: a new epoch, as the OOM path sees it
 * @sampled: the new epoch's mode (sampled, else exact)
 * @sample_bytes: its sampling period
 *
 * Called with the control layer's mutex held and the probes detached. The
 * slots, the pointer table and the counters, the peaks, the events and the
 * snapshots the deltas come from are cleared under ot_oom_mutex: the OOM
 * notifier and the victim work take their summary (collect, summarise, log,
 * dump, record) under it too, so a summary is of the epoch before or of the
 * one after, never half of each. The notifier waits here no longer than the
 * clearing takes: it neither allocates nor sleeps.
 */
void ot_oom_reset(bool sampled, u32 sample_bytes)
{
	mutex_lock(&ot_oom_mutex);
	ot_slots_clear();
	ot_track_clear(sampled, sample_bytes);
	ot_peaks_clear();
	ot_events_clear();
	memset(ot_prev_mod, 0, sizeof(ot_prev_mod));
	memset(ot_prev_cache, 0, sizeof(ot_prev_cache));
	mutex_unlock(&ot_oom_mutex);
}

/**
 * ot_oom_init - preallocate everything the OOM path needs and hook it
 *
 * The event ring (ot_events_init()) exists already.
 *
 * Return: 0 or a negative errno; on error nothing stays hooked.
 */
int ot_oom_init(void)
{
	int ret = -ENOMEM;

	ot_oom_agg = ot_agg_alloc();
	/* WQ_MEM_RECLAIM: a rescuer thread runs the work when no worker can be forked. */
	ot_oom_wq = alloc_workqueue("oomtrace_oom", WQ_MEM_RECLAIM, 1);
	if (!ot_oom_agg || !ot_oom_wq)
		goto err;
	INIT_WORK(&ot_oom_work, ot_oom_work_fn);

	for_each_kernel_tracepoint(ot_oom_tp_lookup, NULL);
	if (!ot_victim_tp) {
		pr_err("tracepoint mark_victim not found\n");
		ret = -ENOENT;
		goto err;
	}
	ret = tracepoint_probe_register(ot_victim_tp, ot_victim_probe(), NULL);
	if (ret)
		goto err;
	ret = register_oom_notifier(&ot_oom_nb);
	if (ret)
		goto err_tp;
	return 0;

err_tp:
	tracepoint_probe_unregister(ot_victim_tp, ot_victim_probe(), NULL);
	tracepoint_synchronize_unregister();
err:
	if (ot_oom_wq)
		destroy_workqueue(ot_oom_wq);
	ot_agg_free(ot_oom_agg);
	return ret;
}

/**
 * ot_oom_exit - unhook, wait for the hooks and the work, free
 */
void ot_oom_exit(void)
{
	/* Waits for a running notifier (the chain's rwsem). */
	unregister_oom_notifier(&ot_oom_nb);
	tracepoint_probe_unregister(ot_victim_tp, ot_victim_probe(), NULL);
	tracepoint_synchronize_unregister();
	/* Runs the work still queued, then frees the workqueue. */
	destroy_workqueue(ot_oom_wq);
	ot_agg_free(ot_oom_agg);
}
