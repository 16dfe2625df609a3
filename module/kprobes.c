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
 *  - kmem_cache_destroy(): the cache's address may be reused by a new cache,
 *    which must not inherit the old name.
 *
 * The handlers run with preemption disabled, like the tracepoint probes, and
 * share their rules. Without kprobes (OT_HAVE_KPROBES == 0) these are known
 * gaps, reported in status.
 */
#include <linux/kprobes.h>
#include <linux/slab.h>

#include "track.h"

#if OT_HAVE_KPROBES

static int ot_free_bulk_pre(struct kprobe *kp, struct pt_regs *regs)
{
	size_t n = regs_get_kernel_argument(regs, OT_ARG_FREE_BULK_N);
	void **p = (void **)regs_get_kernel_argument(regs, OT_ARG_FREE_BULK_P);
	size_t i;

	for (i = 0; i < n; i++)
		ot_track_free(p[i]);
	return 0;
}

/*
 * The cache's address may be reused by a new cache: retire its entry (the
 * next allocation there names the cache anew), then its slots.
 */
static int ot_destroy_pre(struct kprobe *kp, struct pt_regs *regs)
{
	void *s = (void *)regs_get_kernel_argument(regs, OT_ARG_DESTROY_S);
	unsigned long flags;
	u32 cache;

	flags = ot_slow_lock();
	cache = ot_cache_retire(s);
	if (cache != OT_NONE)
		ot_slots_retire_cache(cache);
	ot_slow_unlock(flags);
	return 0;
}

struct ot_bulk_args {
	struct kmem_cache *s;
	void **p;
};

static int ot_alloc_bulk_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ot_bulk_args *a = (struct ot_bulk_args *)ri->data;

	a->s = (struct kmem_cache *)regs_get_kernel_argument(regs, OT_ARG_ALLOC_BULK_S);
	a->p = (void **)regs_get_kernel_argument(regs, OT_ARG_ALLOC_BULK_P);
	return 0;
}

static int ot_alloc_bulk_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ot_bulk_args *a = (struct ot_bulk_args *)ri->data;
	unsigned long site = get_kretprobe_retaddr(ri);
	int n = (int)regs_return_value(regs);
	int i;

	for (i = 0; i < n; i++)
		ot_track_alloc(site, (unsigned long)a->s, a->p[i], kmem_cache_size(a->s));
	return 0;
}

static struct kprobe ot_kp_free_bulk = {
	.symbol_name = OT_SYM_FREE_BULK,
	.pre_handler = ot_free_bulk_pre,
};

static struct kprobe ot_kp_destroy = {
	.symbol_name = OT_SYM_DESTROY,
	.pre_handler = ot_destroy_pre,
};

static struct kretprobe ot_krp_alloc_bulk = {
	.kp.symbol_name = OT_SYM_ALLOC_BULK,
	.entry_handler = ot_alloc_bulk_entry,
	.handler = ot_alloc_bulk_ret,
	.data_size = sizeof(struct ot_bulk_args),
	.maxactive = 64,
};

static bool ot_kp_on;

/**
 * ot_kprobes_start - attach the bulk and destroy probes
 *
 * Return: 0 or a negative errno; on error nothing stays attached.
 */
int ot_kprobes_start(void)
{
	int ret;

	/* The free side first, so nothing tracked is freed unseen. */
	ret = register_kprobe(&ot_kp_free_bulk);
	if (ret)
		return ret;
	ret = register_kprobe(&ot_kp_destroy);
	if (ret)
		goto err_free;
	ret = register_kretprobe(&ot_krp_alloc_bulk);
	if (ret)
		goto err_destroy;
	ot_kp_on = true;
	return 0;

err_destroy:
	unregister_kprobe(&ot_kp_destroy);
err_free:
	unregister_kprobe(&ot_kp_free_bulk);
	return ret;
}

/**
 * ot_kprobes_stop - detach the probes; returns once no handler runs
 */
void ot_kprobes_stop(void)
{
	if (!ot_kp_on)
		return;
	unregister_kretprobe(&ot_krp_alloc_bulk);
	unregister_kprobe(&ot_kp_destroy);
	unregister_kprobe(&ot_kp_free_bulk);
	/* A kprobe may be registered again only once it is cleared. */
	ot_kp_free_bulk.addr = NULL;
	ot_kp_free_bulk.flags = 0;
	ot_kp_destroy.addr = NULL;
	ot_kp_destroy.flags = 0;
	ot_krp_alloc_bulk.kp.addr = NULL;
	ot_krp_alloc_bulk.kp.flags = 0;
	ot_kp_on = false;
}

#else

int ot_kprobes_start(void)
{
	return 0;
}

void ot_kprobes_stop(void)
{
}

#endif
