// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the kernel log dump. The tables die with the box; the kernel
 * log survives a panic into the vmcore and usually reaches a console or
 * the journal. So when the box is about to go down (a panic; an OOM, rate
 * limited) or on request, oomtrace writes a bounded copy of its files into
 * the kernel log, one line per printk: "oomtrace: dump SEQ WHAT TEXT", WHAT
 * the file, TEXT one of its lines as /proc prints it, between "begin" and
 * "end lines=N" (docs/format.md, "The kernel log dump"; the reader's
 * `report --dmesg` turns it back into the report).
 *
 * In panic context nothing here sleeps, allocates or waits: the workspace
 * and the events' copy are allocated at load, the event ring's lock is
 * taken with a trylock, and the tables are read without a lock (an insert
 * on a stopped CPU leaves its entry unpublished: the numbers may be
 * slightly torn, the dump never hangs). Dumps are serialised by ot_dumping:
 * a dump that finds another running (a panic during a requested dump on
 * another CPU) waits for nothing and skips.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/panic_notifier.h>
#include <linux/sched/clock.h>
#include <linux/timekeeping.h>
#include <linux/slab.h>
#include <linux/vmstat.h>

#include "format.h"
#include "oom.h"

#define OT_DUMP_FORMAT		1

static const struct ot_config *ot_dump_cfg;
static struct ot_agg *ot_panic_agg;		/* the panic's own workspace */
static struct ot_oom_event *ot_dump_ev;		/* room for the ring's events */
static atomic_t ot_dump_seq = ATOMIC_INIT(0);
static atomic_t ot_dumping = ATOMIC_INIT(0);

struct ot_dump_ctx {
	int seq;
	const char *what;
	u32 lines;
};

#define OT_EVENTS_BUSY	"# events busy"

static void ot_dump_emit(void *arg, const char *line, size_t len)
{
	struct ot_dump_ctx *c = arg;

	pr_warn("dump %d %s %s\n", c->seq, c->what, line);
	c->lines++;
}

static void ot_dump_kb(struct ot_dump_ctx *c, const char *key, unsigned long pages)
{
	struct ot_line l;

	ot_line_init(&l);
	ot_line_add(&l, "%-16s%8lu kB", key, pages << (PAGE_SHIFT - 10));
	ot_dump_emit(c, l.buf, l.len);
}

/* The /proc/meminfo lines a report needs, as /proc/meminfo spells them. */
static void ot_dump_meminfo(struct ot_dump_ctx *c)
{
	struct sysinfo si;
	struct ot_line l;

	si_meminfo(&si);
	c->what = "meminfo";
	ot_dump_kb(c, "MemTotal:", si.totalram);
	ot_dump_kb(c, "MemFree:", si.freeram);
	ot_dump_kb(c, "SReclaimable:", global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B));
	ot_dump_kb(c, "SUnreclaim:", global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B));
	ot_line_init(&l);
	ot_line_add(&l, "%-16s%8lu kB", "KernelStack:",
		    global_node_page_state(NR_KERNEL_STACK_KB));
	ot_dump_emit(c, l.buf, l.len);
	ot_dump_kb(c, "PageTables:", global_node_page_state(NR_PAGETABLE));
}

/* Every table, cut to dump_rows rows; slabs last (it reuses the slot rows). */
static void ot_dump_tables(struct ot_dump_ctx *c, struct ot_agg *a)
{
	static const enum ot_table order[] = { OT_MODULES, OT_CALLSITES, OT_MODULE_SLABS,
					       OT_SLABS };
	struct ot_view v = { .a = a };
	unsigned int i;

	ot_track_sum(&v.ts);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		v.t = order[i];
		ot_view_build(&v);
		c->what = ot_table_name(v.t);
		ot_view_print(&v, ot_dump_cfg->dump_rows, ot_dump_emit, c);
	}
}

/*
 * The events, each with its top 2 modules and caches (~570 bytes of log);
 * never waits. Of a ring larger than the default, the first event and the
 * newest: the rest would push the dump's own start out of the log buffer.
 * Each event's dropped_events counts the ones left out before it.
 */
static void ot_dump_events(struct ot_dump_ctx *c)
{
	struct ot_track_sum ts;
	struct ot_line l;
	u64 nr, prev = 0;
	int n, i, shown;

	c->what = OT_FILE_EVENTS;
	ot_track_sum(&ts);
	ot_banner_print(OT_FILE_EVENTS, &ts, ot_dump_emit, c);
	n = ot_events_copy_try(ot_dump_ev, &nr);
	if (n < 0) {
		ot_dump_emit(c, OT_EVENTS_BUSY, sizeof(OT_EVENTS_BUSY) - 1);
		return;
	}
	shown = min(n, OT_DUMP_EVENTS_MAX);
	ot_line_init(&l);
	ot_line_add(&l, "# max_events=%u events=%llu dropped_events=%llu", ot_events_max(), nr,
		    nr - shown);
	ot_dump_emit(c, l.buf, l.len);
	if (shown < n) {
		ot_line_init(&l);
		ot_line_add(&l, "# the dump keeps the first and the newest %d of %d events",
			    shown - 1, n);
		ot_dump_emit(c, l.buf, l.len);
	}
	ot_partial_print(&ts, ot_dump_emit, c);
	for (i = 0; i < n; i++) {
		if (i && i < n - (shown - 1))
			continue;
		ot_event_print(&ot_dump_ev[i], prev, 2, ot_dump_emit, c);
		prev = ot_dump_ev[i].seq;
	}
}

/**
 * ot_dump - write a dump of the files into the kernel log
 * @reason: "panic", "oom" or "control"
 * @a: a workspace, collected already (the caller's, or the panic's)
 *
 * Return: the dump's SEQ, or 0 when another dump was running.
 */
int ot_dump(const char *reason, struct ot_agg *a)
{
	struct ot_dump_ctx c = { .lines = 0 };
	struct ot_status_info st;
	u64 t = local_clock(), t0 = ktime_get_mono_fast_ns();
	u32 rem;

	if (atomic_cmpxchg(&ot_dumping, 0, 1))
		return 0;
	c.seq = atomic_inc_return(&ot_dump_seq);
	t = div_u64_rem(t, NSEC_PER_SEC, &rem);
	pr_warn("dump %d begin format=%d reason=%s rows=%u time=%llu.%06u\n", c.seq,
		OT_DUMP_FORMAT, reason, ot_dump_cfg->dump_rows, t, rem / 1000);
	ot_status_fill(&st, a, ot_dump_cfg);
	c.what = OT_FILE_STATUS;
	ot_status_print(&st, ot_dump_emit, &c);
	ot_dump_meminfo(&c);
	ot_dump_tables(&c, a);
	ot_dump_events(&c);
	/*
	 * printk's clock stands still in panic context (no tick); the fast
	 * monotonic clock reads the clocksource, NMI-safe, without a lock.
	 */
	pr_warn("dump %d end lines=%u ns=%llu\n", c.seq, c.lines, ktime_get_mono_fast_ns() - t0);
	atomic_set(&ot_dumping, 0);
	return c.seq;
}

static int ot_panic_event(struct notifier_block *nb, unsigned long action, void *data)
{
	ot_agg_collect(ot_panic_agg);
	ot_dump("panic", ot_panic_agg);
	return NOTIFY_DONE;
}

static struct notifier_block ot_panic_nb = {
	.notifier_call = ot_panic_event,
};

/**
 * ot_dump_init - preallocate what a dump in panic context needs, and hook
 * the panic notifier chain
 * @cfg: the parameters (dump_rows; status' values)
 *
 * Return: 0 or -ENOMEM.
 */
int ot_dump_init(const struct ot_config *cfg)
{
	ot_dump_cfg = cfg;
	ot_panic_agg = ot_agg_alloc();
	ot_dump_ev = ot_kvmalloc_array(ot_events_max(), sizeof(*ot_dump_ev),
				       GFP_KERNEL | __GFP_ZERO);
	if (!ot_panic_agg || !ot_dump_ev) {
		kvfree(ot_dump_ev);
		ot_agg_free(ot_panic_agg);
		return -ENOMEM;
	}
	atomic_notifier_chain_register(&panic_notifier_list, &ot_panic_nb);
	return 0;
}

/**
 * ot_dump_exit - unhook the panic notifier, free the preallocations
 */
void ot_dump_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list, &ot_panic_nb);
	kvfree(ot_dump_ev);
	ot_agg_free(ot_panic_agg);
}

/**
 * ot_dump_bytes - memory the dump holds in reserve
 * @c: the parameters
 *
 * Return: bytes.
 */
size_t ot_dump_bytes(const struct ot_config *c)
{
	return ot_agg_bytes(c->max_sites) + ot_events_bytes(c->max_events);
}
