// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: what the kmem tracepoints do not show, seen through kprobes on
 * exported functions.
 *
 *  - kmem_cache_free_bulk() (and so kfree_bulk() and batched kfree_rcu())
 *    frees objects without a per-object tracepoint: without this probe they
 *    would look leaked forever.
 *  - kmem_cache_alloc_bulk() allocates without one: without this probe bulk
 *    allocations would be invisible.
 *  - kmem_cache_create(): a new cache may take a destroyed cache's address,
 *    and must not inherit the old name.
 *  - split_page() and alloc_pages_exact() turn a block of pages into single
 *    pages, freed one by one (alloc_pages_exact() frees the tail at once):
 *    without these probes the block stays charged whole until its first
 *    page is freed.
 *
 * The handlers run with preemption disabled, like the tracepoint probes, and
 * share their rules. The probes are optional: one that cannot be attached
 * (a kernel that renamed or inlined the function, no kprobes at all) is a
 * known gap, said in the kernel log and in status, not a failed load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "track.h"

#if OT_HAVE_KPROBES

/* Bulk frees of nothing seen: ot_kprobes_armed()'s, or anyone's. */
static atomic_t ot_pings = ATOMIC_INIT(0);

static int ot_free_bulk_pre(struct kprobe *kp, struct pt_regs *regs)
{
	size_t n = regs_get_kernel_argument(regs, OT_ARG_FREE_BULK_N);
	void **p = (void **)regs_get_kernel_argument(regs, OT_ARG_FREE_BULK_P);
	size_t i;

	if (!n)
		atomic_inc(&ot_pings);
	for (i = 0; i < n; i++)
		ot_track_free(p[i]);
	return 0;
}

/*
 * A new cache: if its address named another cache, that one is gone (a
 * destroy is no proof: it may fail, or drop a merged cache's reference).
 * Its entry is retired (the next allocation names the cache anew), then
 * its slots. Before the creator sees the cache, so before any allocation.
 */
static int ot_create_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	void *s = (void *)regs_return_value(regs);
	unsigned long flags;
	u32 cache;

	if (!s)
		return 0;
	flags = ot_slow_lock();
	cache = ot_cache_created(s);
	if (cache != OT_NONE)
		ot_slots_retire_cache(cache);
	ot_slow_unlock(flags);
	return 0;
}

static int ot_split_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct page *page = (struct page *)regs_get_kernel_argument(regs, OT_ARG_SPLIT_PAGE);
	unsigned int order = regs_get_kernel_argument(regs, OT_ARG_SPLIT_ORDER);

	if (order <= OT_MAX_PAGE_ORDER)
		ot_track_split(page, order, 1U << order);
	return 0;
}

static int ot_exact_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(size_t *)ri->data = regs_get_kernel_argument(regs, OT_ARG_EXACT_SIZE);
	return 0;
}

/* The block is get_order(size); its pages beyond size were freed already. */
static int ot_exact_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	void *addr = (void *)regs_return_value(regs);
	size_t size = *(size_t *)ri->data;

	if (addr && size && size <= PAGE_SIZE << OT_MAX_PAGE_ORDER)
		ot_track_split(virt_to_page(addr), get_order(size), PAGE_ALIGN(size) >> PAGE_SHIFT);
	return 0;
}

struct ot_bulk_args {
	struct kmem_cache *s;
	size_t n;
	void **p;
};

static int ot_alloc_bulk_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ot_bulk_args *a = (struct ot_bulk_args *)ri->data;

	a->s = (struct kmem_cache *)regs_get_kernel_argument(regs, OT_ARG_ALLOC_BULK_S);
	a->n = regs_get_kernel_argument(regs, OT_ARG_ALLOC_BULK_N);
	a->p = (void **)regs_get_kernel_argument(regs, OT_ARG_ALLOC_BULK_P);
	return 0;
}

/* All a->n objects were allocated, or none (compat.h: the result's type). */
static int ot_alloc_bulk_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ot_bulk_args *a = (struct ot_bulk_args *)ri->data;
	unsigned long site = get_kretprobe_retaddr(ri);
	size_t i;

	if (!(u32)regs_return_value(regs))
		return 0;
	for (i = 0; i < a->n; i++)
		ot_track_alloc(site, (unsigned long)a->s, a->p[i], kmem_cache_size(a->s));
	return 0;
}

static struct kprobe ot_kp_free_bulk = {
	.symbol_name = OT_SYM_FREE_BULK,
	.pre_handler = ot_free_bulk_pre,
};

/* Creators in flight at once: they queue on the slab mutex inside. */
static struct kretprobe ot_krp_create = {
	.kp.symbol_name = OT_SYM_CREATE,
	.handler = ot_create_ret,
	.maxactive = 16,
};

static struct kprobe ot_kp_split = {
	.symbol_name = OT_SYM_SPLIT_PAGE,
	.pre_handler = ot_split_pre,
};

static struct kretprobe ot_krp_exact = {
	.kp.symbol_name = OT_SYM_ALLOC_EXACT,
	.entry_handler = ot_exact_entry,
	.handler = ot_exact_ret,
	.data_size = sizeof(size_t),
};

static struct kretprobe ot_krp_alloc_bulk = {
	.kp.symbol_name = OT_SYM_ALLOC_BULK,
	.entry_handler = ot_alloc_bulk_entry,
	.handler = ot_alloc_bulk_ret,
	.data_size = sizeof(struct ot_bulk_args),
};

/* Each probe, and whether it is attached (under the control mutex). */
static struct {
	struct kprobe *kp;
	struct kretprobe *krp;
	const char *sym;
	const char *gap;	/* what is not counted without it */
	int err;		/* of the last attach; 0 when attached */
	bool on;
} ot_kps[] = {
	/* The free side first, so nothing tracked is freed unseen. */
	{ .kp = &ot_kp_free_bulk, .sym = OT_SYM_FREE_BULK, .gap = "bulk frees look leaked" },
	{ .krp = &ot_krp_create, .sym = OT_SYM_CREATE,
	  .gap = "a destroyed cache's address may lend its name to the next" },
	{ .kp = &ot_kp_split, .sym = OT_SYM_SPLIT_PAGE,
	  .gap = "split pages stay charged whole until the first is freed" },
	{ .krp = &ot_krp_exact, .sym = OT_SYM_ALLOC_EXACT,
	  .gap = "exact page allocations stay charged at their whole order" },
	{ .krp = &ot_krp_alloc_bulk, .sym = OT_SYM_ALLOC_BULK,
	  .gap = "bulk allocations are not counted" },
};

/**
 * ot_kprobes_start - attach the bulk, create and page-split probes, as many as can be
 * @maxactive: calls of a kretprobed function in flight at once that are
 *	seen; more are missed (ot_kprobes_missed())
 *
 * A probe that cannot be attached is reported in the kernel log (once per
 * error) and in status (ot_kprobes_state()); the others work on.
 */
void ot_kprobes_start(unsigned int maxactive)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(ot_kps); i++) {
		if (ot_kps[i].krp)
			ot_kps[i].krp->maxactive = maxactive;
		err = ot_kps[i].krp ? register_kretprobe(ot_kps[i].krp) :
				      register_kprobe(ot_kps[i].kp);
		if (err && err != ot_kps[i].err)
			pr_warn("kprobe on %s not attached (error %d): %s\n", ot_kps[i].sym, err,
				ot_kps[i].gap);
		ot_kps[i].err = err;
		ot_kps[i].on = !err;
	}
}

/**
 * ot_kprobes_missed - hits of the attached probes whose handler did not run
 *
 * A kretprobe misses a call when maxactive calls are in flight already; any
 * kprobe misses one that comes while a kprobe handler runs on the CPU. The
 * counts start at 0 when a probe is attached (a reset: a new epoch).
 *
 * Return: the sum: allocations, frees or splits not counted.
 */
u64 ot_kprobes_missed(void)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ot_kps); i++) {
		if (!ot_kps[i].on)
			continue;
		if (ot_kps[i].krp)
			n += READ_ONCE(ot_kps[i].krp->nmissed) +
			     READ_ONCE(ot_kps[i].krp->kp.nmissed);
		else
			n += READ_ONCE(ot_kps[i].kp->nmissed);
	}
	return n;
}

/**
 * ot_kprobes_stop - detach the probes; returns once no handler runs
 */
void ot_kprobes_stop(void)
{
	int i;

	for (i = ARRAY_SIZE(ot_kps) - 1; i >= 0; i--) {
		struct kprobe *kp = ot_kps[i].krp ? &ot_kps[i].krp->kp : ot_kps[i].kp;

		if (!ot_kps[i].on)
			continue;
		if (ot_kps[i].krp)
			unregister_kretprobe(ot_kps[i].krp);
		else
			unregister_kprobe(kp);
		/* A kprobe may be registered again only once it is cleared. */
		kp->addr = NULL;
		kp->flags = 0;
		ot_kps[i].on = false;
	}
}

/*
 * Whether attached kprobes fire: debugfs' kprobes/enabled switch disarms
 * every kprobe of the box while they stay registered. A bulk free of
 * nothing returns at once (6.1, 6.12), after the free probe fired. Without
 * that probe, there is no telling: armed.
 */
static bool ot_kprobes_armed(void)
{
	int seen = atomic_read(&ot_pings);

	if (!ot_kps[0].on)
		return true;
	/* Others' pings may count too: only when it fires, so no false "armed". */
	kmem_cache_free_bulk(NULL, 0, NULL);
	return atomic_read(&ot_pings) != seen;
}

/**
 * ot_kprobes_state - what status says of the probes
 * @buf: where to write it
 * @len: the room in @buf
 *
 * "on" when all are attached and fire, else "off:" and each one that is
 * not, with its error ("off: kmem_cache_alloc_bulk_noprof=-2"), or
 * "disarmed" for one registered that does not fire (debugfs' switch, or
 * the kernel disabled it).
 */
void ot_kprobes_state(char *buf, size_t len)
{
	bool armed = ot_kprobes_armed();
	struct ot_line l;
	unsigned int i;

	ot_line_init(&l);
	for (i = 0; i < ARRAY_SIZE(ot_kps); i++) {
		struct kprobe *kp = ot_kps[i].krp ? &ot_kps[i].krp->kp : ot_kps[i].kp;

		if (!ot_kps[i].on)
			ot_line_add(&l, "%s %s=%d", l.len ? "" : "off:", ot_kps[i].sym,
				    ot_kps[i].err);
		else if (!armed || kprobe_disabled(kp))
			ot_line_add(&l, "%s %s=disarmed", l.len ? "" : "off:", ot_kps[i].sym);
	}
	strscpy(buf, l.len ? l.buf : "on", len);
}

#else

void ot_kprobes_start(unsigned int maxactive)
{
}

u64 ot_kprobes_missed(void)
{
	return 0;
}

void ot_kprobes_stop(void)
{
}

void ot_kprobes_state(char *buf, size_t len)
{
	strscpy(buf, "off: no kprobes in this kernel", len);
}

#endif
