// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: OOM events and thresholds.
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
 * load. ot_ctl_mutex is not taken there (its holder may be waiting for
 * memory); ot_oom_mutex serialises the workspace and the snapshots, and its
 * holders never allocate. ot_ev_lock (raw, irqsave) protects the ring.
 * Lock order: ot_ctl_mutex -> ot_oom_mutex -> ot_ev_lock.
 *
 * Thresholds are checked by the peak sampler with its own workspace, under
 * ot_ctl_mutex, like control writes: never on the hot path.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>
#include <trace/events/oom.h>

#include "oomtrace.h"

#define OT_OOM_TOP		5	/* modules and caches per event */
#define OT_EVENTS_MIN		2
#define OT_EVENTS_MAX		4096
#define OT_THR_MAX		16
#define OT_OOM_LOG_BURST	3	/* summaries per interval, after the first */
#define OT_OOM_LOG_INTERVAL	(10 * HZ)
#define OT_THR_LOG_BURST	8	/* threshold warnings per interval */
#define OT_THR_LOG_INTERVAL	(5 * HZ)
/*
 * A victim marked this soon after a global OOM of the same task is its own;
 * a global OOM this soon after one that killed nobody yet is the same one.
 */
#define OT_VICTIM_WINDOW_NS	(5ULL * NSEC_PER_SEC)

static unsigned int max_events = 64;
module_param(max_events, uint, 0444);
MODULE_PARM_DESC(max_events,
		 "OOM events kept in /proc/oomtrace/events, 2..4096 (default 64); the first one is always kept");

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

/* The ring: slot 0 holds event 1 for good, the others cycle. */
static DEFINE_RAW_SPINLOCK(ot_ev_lock);
static struct ot_oom_event *ot_ev;
static u64 ot_ev_nr;			/* events since load or reset: last seq */
static u64 ot_ev_pend = 1;		/* no event below this one is pending */
static u64 ot_nr_global;		/* global events since load or reset */

/* The OOM path's workspace and snapshots, under ot_oom_mutex. */
static DEFINE_MUTEX(ot_oom_mutex);
static struct ot_agg *ot_oom_agg;
static s64 ot_prev_mod[OT_MAX_MODULES];		/* at the last summary */
static s64 ot_prev_cache[OT_MAX_CACHES];
static s64 ot_base_mod[OT_MAX_MODULES];		/* at the summary before */
static s64 ot_base_cache[OT_MAX_CACHES];
static struct ot_oom_sum ot_oom_scratch;

struct ot_rl {
	unsigned long begin;
	unsigned int n;
	unsigned int missed;
	bool started;
};

static struct ot_rl ot_oom_rl;		/* under ot_oom_mutex */

static struct workqueue_struct *ot_oom_wq;
static struct work_struct ot_oom_work;
static struct tracepoint *ot_victim_tp;

/* Thresholds, under ot_ctl_mutex. */
struct ot_thr {
	bool used;
	bool cache;
	bool growth;
	bool fired;
	bool need_base;
	u64 bytes;
	s64 base;
	char name[MODULE_NAME_LEN];
};

static struct ot_thr ot_thrs[OT_THR_MAX];
static unsigned int ot_nr_thr;
static struct ot_rl ot_thr_rl;

static bool ot_rl_ok(struct ot_rl *rl, unsigned long interval, unsigned int burst,
		     const char *what)
{
	if (!rl->started || time_after(jiffies, rl->begin + interval)) {
		if (rl->missed)
			pr_warn("%u %s suppressed\n", rl->missed, what);
		rl->started = true;
		rl->begin = jiffies;
		rl->n = 0;
		rl->missed = 0;
	}
	if (rl->n < burst) {
		rl->n++;
		return true;
	}
	rl->missed++;
	return false;
}

/* "12.3 MiB", "-512.0 KiB", "+1.5 GiB" */
static int ot_fmt_size(char *buf, size_t len, s64 v, bool sign)
{
	u64 a = v < 0 ? -(u64)v : v;
	unsigned int shift = a < SZ_1M ? 10 : a < SZ_1G ? 20 : 30;
	u64 tenths = div_u64(a * 10 + (1ULL << (shift - 1)), 1U << shift);

	return scnprintf(buf, len, "%s%llu.%llu %s", v < 0 ? "-" : sign ? "+" : "",
			 div_u64(tenths, 10), tenths % 10,
			 shift == 10 ? "KiB" : shift == 20 ? "MiB" : "GiB");
}

/* ---- the ring, under ot_ev_lock ---- */

static u32 ot_ev_slot(u64 seq)
{
	u32 rem;

	if (seq == 1)
		return 0;
	div_u64_rem(seq - 2, max_events - 1, &rem);
	return 1 + rem;
}

static bool ot_ev_kept(u64 seq, u64 nr)
{
	return seq && seq <= nr && (seq == 1 || seq + max_events - 1 > nr);
}

static struct ot_oom_event *ot_ev_get(u64 seq)
{
	struct ot_oom_event *ev;

	if (!ot_ev_kept(seq, ot_ev_nr))
		return NULL;
	ev = &ot_ev[ot_ev_slot(seq)];
	return ev->seq == seq ? ev : NULL;
}

static struct ot_oom_event *ot_ev_new(enum ot_ev_kind kind, u64 now)
{
	u64 seq = ++ot_ev_nr;
	struct ot_oom_event *ev = &ot_ev[ot_ev_slot(seq)];

	memset(ev, 0, sizeof(*ev));
	ev->seq = seq;
	ev->kind = kind;
	ev->time_ns = now;
	return ev;
}

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
	ot_peak_update(ot_oom_agg);
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

	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	seq = ot_ev_pend;
	nr = ot_ev_nr;
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
	for (; seq <= nr; seq++) {
		raw_spin_lock_irqsave(&ot_ev_lock, flags);
		ev = ot_ev_get(seq);
		want = ev && ev->pending;
		raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
		if (!want)
			continue;
		ot_oom_summarise(&ot_oom_scratch, false);
		raw_spin_lock_irqsave(&ot_ev_lock, flags);
		ev = ot_ev_get(seq);
		if (ev && ev->pending) {
			ev->sum = ot_oom_scratch;
			ev->pending = false;
		}
		raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
	}
	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	if (ot_ev_pend <= nr)
		ot_ev_pend = nr + 1;
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
}

static void ot_oom_work_fn(struct work_struct *w)
{
	mutex_lock(&ot_oom_mutex);
	ot_oom_collect();
	ot_oom_fill_pending();
	mutex_unlock(&ot_oom_mutex);
}

/* ---- kernel log, under ot_oom_mutex ---- */

static char ot_oom_line[512];

static void ot_oom_log_top(const char *what, u64 nr, const char *when,
			   const struct ot_oom_top *top, u32 n, bool cache)
{
	size_t len = sizeof(ot_oom_line), o = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		o += scnprintf(ot_oom_line + o, len - o, "%s%s ", i ? ", " : "",
			       cache ? ot_caches[top[i].id].name : ot_mods[top[i].id].name);
		o += ot_fmt_size(ot_oom_line + o, len - o, top[i].bytes, false);
		o += scnprintf(ot_oom_line + o, len - o, " (");
		o += ot_fmt_size(ot_oom_line + o, len - o, top[i].delta, true);
		o += scnprintf(ot_oom_line + o, len - o, ")");
	}
	pr_warn("OOM #%llu at %s: top %s: %s\n", nr, when, what, n ? ot_oom_line : "none");
}

static void ot_oom_log(u64 nr, u64 seq, u64 t, const struct ot_oom_sum *s)
{
	char when[32], sz[5][24];
	u32 rem;

	/* The first global OOM is always reported. */
	if (nr > 1 && !ot_rl_ok(&ot_oom_rl, OT_OOM_LOG_INTERVAL, OT_OOM_LOG_BURST,
				"OOM summaries"))
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
	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	ev = ot_ev_get(ot_ev_nr);
	again = ev && ev->open && (s64)(t - ev->time_ns) <= (s64)OT_VICTIM_WINDOW_NS;
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);

	ot_oom_summarise(&ot_oom_scratch, again);

	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	ev = ot_ev_get(ot_ev_nr);
	if (!again || !ev || !ev->open) {
		ev = ot_ev_new(OT_EV_GLOBAL, t);
		ev->open = true;
		ot_nr_global++;
		again = false;
	}
	ev->time_ns = t;
	ev->task = current;
	ev->sum = ot_oom_scratch;
	seq = ev->seq;
	nr = ot_nr_global;
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);

	if (!again)
		ot_oom_log(nr, seq, t, &ot_oom_scratch);
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

	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	ev = ot_ev_get(ot_ev_nr);
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
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
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

/* ---- /proc/oomtrace/events ---- */

struct ot_ev_view {
	u32 n;
	u64 nr;
	bool sampled;
	u32 sample_bytes;
	struct ot_oom_event ev[];
};

static void ot_ev_show_u64(struct seq_file *m, const char *key, bool known, u64 v)
{
	if (known)
		seq_printf(m, " %s=%llu", key, v);
	else
		seq_printf(m, " %s=-", key);
}

static void ot_ev_show(struct seq_file *m, const struct ot_oom_event *ev, u64 prev_seq)
{
	const struct ot_oom_sum *s = &ev->sum;
	bool sum = !ev->pending;
	u64 t;
	u32 rem, i;

	t = div_u64_rem(ev->time_ns, NSEC_PER_SEC, &rem);
	seq_printf(m, "event seq=%llu time=%llu.%06u kind=%s", ev->seq, t, rem / 1000,
		   ev->kind == OT_EV_GLOBAL ? "global" : "victim");
	if (ev->victim)
		seq_printf(m, " pid=%d comm=%s oom_score_adj=%d", ev->pid, ev->comm,
			   ev->oom_score_adj);
	else
		seq_puts(m, " pid=- comm=- oom_score_adj=-");
	ot_ev_show_u64(m, "rss_kb", ev->victim && ev->have_rss, ev->rss_kb);
	ot_ev_show_u64(m, "free_kb", sum, s->free_kb);
	ot_ev_show_u64(m, "slab_reclaimable_kb", sum, s->slab_rec_kb);
	ot_ev_show_u64(m, "slab_unreclaimable_kb", sum, s->slab_unrec_kb);
	ot_ev_show_u64(m, "pagetables_kb", sum, s->pagetables_kb);
	ot_ev_show_u64(m, "tracked_bytes", sum, s->tracked_bytes);
	seq_printf(m, " dropped_events=%llu\n", ev->seq - prev_seq - 1);
	if (!sum)
		return;
	for (i = 0; i < s->nr_mod; i++)
		seq_printf(m, "  module name=%s live_bytes=%lld delta_bytes=%lld\n",
			   ot_mods[s->mod[i].id].name, s->mod[i].bytes, s->mod[i].delta);
	for (i = 0; i < s->nr_cache; i++)
		seq_printf(m, "  cache name=%s live_bytes=%lld delta_bytes=%lld\n",
			   ot_caches[s->cache[i].id].name, s->cache[i].bytes, s->cache[i].delta);
}

static int ot_events_show(struct seq_file *m, void *unused)
{
	const struct ot_ev_view *v = m->private;
	u64 prev = 0;
	u32 i;

	ot_show_banner(m, "events", v->sampled, v->sample_bytes);
	seq_printf(m, "# max_events=%u events=%llu dropped_events=%llu\n", max_events, v->nr,
		   v->nr - v->n);
	for (i = 0; i < v->n; i++) {
		ot_ev_show(m, &v->ev[i], prev);
		prev = v->ev[i].seq;
	}
	return 0;
}

static int ot_events_open(struct inode *inode, struct file *file)
{
	struct ot_ev_view *v = kvmalloc(struct_size(v, ev, max_events), GFP_KERNEL);
	struct ot_oom_event *ev;
	unsigned long flags;
	u64 seq, lo;
	int ret;

	if (!v)
		return -ENOMEM;
	v->n = 0;
	/* Events are cleared by every mode change: they are in the current mode. */
	mutex_lock(&ot_ctl_mutex);
	v->sampled = ot_sampled;
	v->sample_bytes = ot_sample_bytes;
	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	v->nr = ot_ev_nr;
	/* Event 1, then the ring from its oldest event on. */
	lo = v->nr + 2 > max_events ? v->nr + 2 - max_events : 0;
	for (seq = 1; seq <= v->nr; seq = max(seq + 1, lo)) {
		ev = ot_ev_get(seq);
		if (ev)
			v->ev[v->n++] = *ev;
	}
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
	mutex_unlock(&ot_ctl_mutex);

	ret = single_open_size(file, ot_events_show, v,
			       256 + v->n * (400 + 2 * OT_OOM_TOP * (OT_SYM_LEN + 64)));
	if (ret)
		kvfree(v);
	return ret;
}

static int ot_events_release(struct inode *inode, struct file *file)
{
	kvfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

static const struct proc_ops ot_events_ops = {
	.proc_open = ot_events_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = ot_events_release,
};

/* ---- thresholds, under ot_ctl_mutex ---- */

static s64 ot_thr_live(const struct ot_agg *a, const struct ot_thr *th)
{
	s64 sum = 0;
	u32 i;

	if (th->cache) {
		for (i = 0; i < a->nr_cache; i++)
			if (a->cache_canon[i] == i && !strcmp(ot_caches[i].name, th->name))
				sum += max_t(s64, a->cache[i].bytes, 0);
	} else {
		for (i = 0; i < a->nr_mod; i++)
			if (!strcmp(ot_mods[i].name, th->name))
				sum += max_t(s64, a->mod[i].bytes, 0);
	}
	return sum;
}

/**
 * ot_oom_thresholds_check - warn once per crossing of a threshold
 * @a: a collected workspace (the peak sampler's)
 *
 * Called with ot_ctl_mutex held. A threshold fires when its value reaches
 * the limit and is re-armed when the value falls back below it.
 */
void ot_oom_thresholds_check(const struct ot_agg *a)
{
	char v[24], lim[24];
	struct ot_thr *th;
	s64 live, val;

	for (th = ot_thrs; th < ot_thrs + OT_THR_MAX; th++) {
		if (!th->used)
			continue;
		live = ot_thr_live(a, th);
		if (th->need_base) {
			th->base = live;
			th->need_base = false;
		}
		val = th->growth ? live - th->base : live;
		if (val < 0 || (u64)val < th->bytes) {
			th->fired = false;
			continue;
		}
		if (th->fired)
			continue;
		th->fired = true;
		if (!ot_rl_ok(&ot_thr_rl, OT_THR_LOG_INTERVAL, OT_THR_LOG_BURST,
			      "threshold warnings"))
			continue;
		ot_fmt_size(v, sizeof(v), val, false);
		ot_fmt_size(lim, sizeof(lim), th->bytes, false);
		pr_warn("warning: %s %s %s %s crossed %sthreshold %s\n",
			th->cache ? "cache" : "module", th->name,
			th->growth ? "grew" : "live", v, th->growth ? "growth " : "", lim);
	}
}

/* "123", "64K", "16M", "2G": decimal, no overflow, > 0, <= S64_MAX */
static int ot_parse_bytes(char *s, u64 *bytes)
{
	size_t len = strlen(s);
	unsigned int shift = 0;
	char *suffix = len ? s + len - 1 : s;

	switch (*suffix) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	}
	if (shift)
		*suffix = '\0';
	if (!*s || *s == '+' || kstrtou64(s, 10, bytes) || !*bytes ||
	    *bytes > (S64_MAX >> shift))
		return -EINVAL;
	*bytes <<= shift;
	return 0;
}

/**
 * ot_oom_threshold_cmd - run a "threshold ..." control command
 * @args: what follows "threshold" (modified)
 *
 * Called with ot_ctl_mutex held. Commands: "clear",
 * "[growth] module|cache NAME BYTES" (BYTES > 0, K/M/G suffixes allowed).
 * A name may have several thresholds (levels); setting an existing one
 * again re-arms it.
 *
 * Return: 0, -EINVAL on bad input (nothing changed) or -ENOSPC when all
 * OT_THR_MAX thresholds are in use.
 */
int ot_oom_threshold_cmd(char *args)
{
	char *argv[5], *tok;
	struct ot_thr *th, *free = NULL;
	bool cache, growth = false;
	unsigned int argc = 0, i = 0;
	u64 bytes;

	while ((tok = strsep(&args, " \t")) != NULL) {
		if (!*tok)
			continue;
		if (argc == ARRAY_SIZE(argv))
			return -EINVAL;
		argv[argc++] = tok;
	}
	if (argc == 1 && !strcmp(argv[0], "clear")) {
		memset(ot_thrs, 0, sizeof(ot_thrs));
		WRITE_ONCE(ot_nr_thr, 0);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[0], "growth")) {
		growth = true;
		i = 1;
	}
	if (argc != i + 3)
		return -EINVAL;
	if (!strcmp(argv[i], "cache"))
		cache = true;
	else if (!strcmp(argv[i], "module"))
		cache = false;
	else
		return -EINVAL;
	if (strlen(argv[i + 1]) >= (cache ? OT_CACHE_NAME_LEN : MODULE_NAME_LEN))
		return -EINVAL;
	if (ot_parse_bytes(argv[i + 2], &bytes))
		return -EINVAL;

	for (th = ot_thrs; th < ot_thrs + OT_THR_MAX; th++) {
		if (!th->used) {
			free = free ?: th;
			continue;
		}
		if (th->cache == cache && th->growth == growth && th->bytes == bytes &&
		    !strcmp(th->name, argv[i + 1]))
			break;
	}
	if (th == ot_thrs + OT_THR_MAX) {
		if (!free)
			return -ENOSPC;
		th = free;
		WRITE_ONCE(ot_nr_thr, ot_nr_thr + 1);
	}
	th->used = true;
	th->cache = cache;
	th->growth = growth;
	th->fired = false;
	th->need_base = growth;
	th->base = 0;
	th->bytes = bytes;
	strscpy(th->name, argv[i + 1], sizeof(th->name));
	return 0;
}

/**
 * ot_oom_control_show - the threshold part of the control file
 * @m: the control file
 */
void ot_oom_control_show(struct seq_file *m)
{
	const struct ot_thr *th;

	seq_puts(m, "# commands: threshold [growth] module|cache NAME BYTES, threshold clear\n");
	mutex_lock(&ot_ctl_mutex);
	for (th = ot_thrs; th < ot_thrs + OT_THR_MAX; th++)
		if (th->used)
			seq_printf(m, "threshold %s%s %s %llu %s\n", th->growth ? "growth " : "",
				   th->cache ? "cache" : "module", th->name, th->bytes,
				   th->fired ? "crossed" : "armed");
	mutex_unlock(&ot_ctl_mutex);
}

/**
 * ot_oom_status_show - the events and thresholds keys of the status file
 * @m: the status file
 */
void ot_oom_status_show(struct seq_file *m)
{
	unsigned long flags;
	u64 nr;

	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	nr = ot_ev_nr;
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
	seq_printf(m, "events: %llu\nevents_dropped: %llu\nthresholds: %u\n", nr,
		   nr > max_events ? nr - max_events : 0, READ_ONCE(ot_nr_thr));
}

/**
 * ot_oom_reset - forget the events and re-arm the thresholds
 *
 * Called with ot_ctl_mutex held, from the control file's reset.
 */
void ot_oom_reset(void)
{
	struct ot_thr *th;
	unsigned long flags;

	mutex_lock(&ot_oom_mutex);
	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	memset(ot_ev, 0, array_size(max_events, sizeof(*ot_ev)));
	ot_ev_nr = 0;
	ot_ev_pend = 1;
	ot_nr_global = 0;
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
	memset(ot_prev_mod, 0, sizeof(ot_prev_mod));
	memset(ot_prev_cache, 0, sizeof(ot_prev_cache));
	mutex_unlock(&ot_oom_mutex);
	for (th = ot_thrs; th < ot_thrs + OT_THR_MAX; th++) {
		th->fired = false;
		th->need_base = th->growth;
	}
}

/**
 * ot_oom_init - preallocate everything the OOM path needs and hook it
 *
 * Called after ot_procfs_init(): creates /proc/oomtrace/events.
 *
 * Return: 0 or a negative errno; on error nothing stays hooked.
 */
int ot_oom_init(void)
{
	int ret = -ENOMEM;

	if (max_events < OT_EVENTS_MIN || max_events > OT_EVENTS_MAX) {
		pr_err("max_events=%u out of range %u..%u\n", max_events, OT_EVENTS_MIN,
		       OT_EVENTS_MAX);
		return -EINVAL;
	}
	ot_ev = kvcalloc(max_events, sizeof(*ot_ev), GFP_KERNEL);
	ot_oom_agg = ot_agg_alloc();
	/* WQ_MEM_RECLAIM: a rescuer thread runs the work when no worker can be forked. */
	ot_oom_wq = alloc_workqueue("oomtrace_oom", WQ_MEM_RECLAIM, 1);
	if (!ot_ev || !ot_oom_agg || !ot_oom_wq)
		goto err;
	INIT_WORK(&ot_oom_work, ot_oom_work_fn);

	for_each_kernel_tracepoint(ot_oom_tp_lookup, NULL);
	if (!ot_victim_tp) {
		pr_err("tracepoint mark_victim not found\n");
		ret = -ENOENT;
		goto err;
	}
	if (!proc_create("events", 0400, ot_procfs_dir(), &ot_events_ops))
		goto err;
	ret = tracepoint_probe_register(ot_victim_tp, ot_victim_probe(), NULL);
	if (ret)
		goto err_proc;
	ret = register_oom_notifier(&ot_oom_nb);
	if (ret)
		goto err_tp;
	return 0;

err_tp:
	tracepoint_probe_unregister(ot_victim_tp, ot_victim_probe(), NULL);
	tracepoint_synchronize_unregister();
err_proc:
	remove_proc_entry("events", ot_procfs_dir());
err:
	if (ot_oom_wq)
		destroy_workqueue(ot_oom_wq);
	ot_agg_free(ot_oom_agg);
	kvfree(ot_ev);
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
	remove_proc_entry("events", ot_procfs_dir());
	ot_agg_free(ot_oom_agg);
	kvfree(ot_ev);
}
