// SPDX-License-Identifier: GPL-2.0
/*
 * otfill: a test module for oomtrace that fills its tables. Never part of
 * oomtrace.ko.
 *
 *  - Call sites: writing N to /sys/module/otfill/parameters/sites (or
 *    sites=N at load) allocates one 64-byte kmalloc object from each of N
 *    distinct call sites of otfill, held until rmmod. The sites are the
 *    bytes of otfill_sites_text(), code that never runs, given to
 *    kmalloc_node_track_caller() as the caller: the kmalloc tracepoint
 *    reports exactly that address, as it would the return address of N
 *    different kmalloc() calls in otfill.
 *  - Module names: with fail=1 init returns -ENODEV, so a load is one
 *    module coming and going. tests/lab/guest/labtool.c's "modnames"
 *    loads copies of otfill.ko renamed in memory ("of0001", ...): each is
 *    one more module name for oomtrace's module table.
 *
 * Reading the sites parameter gives the objects held.
 */
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/stringify.h>

#define OTFILL_MAX_SITES	4000

/*
 * v6.10 ("mm/slab: enable slab allocation tagging for kmalloc and
 * friends") renamed the allocator behind kmalloc_track_caller(); both take
 * the caller explicitly.
 */
#ifdef kmalloc_node_track_caller_noprof
#define otfill_kmalloc_at(size, caller)	\
	kmalloc_node_track_caller_noprof(size, GFP_KERNEL, NUMA_NO_NODE, caller)
#else
#define otfill_kmalloc_at(size, caller)	\
	__kmalloc_node_track_caller(size, GFP_KERNEL, NUMA_NO_NODE, caller)
#endif

static DEFINE_MUTEX(otfill_mutex);
static LIST_HEAD(otfill_held);
static unsigned int otfill_nr;

/* Never called: its bytes are the call sites (sprint_symbol() names them). */
static noinline void otfill_sites_text(void)
{
	asm volatile(".skip " __stringify(OTFILL_MAX_SITES) ", 0x90");
}

static void otfill_free(void)
{
	struct list_head *obj, *tmp;

	list_for_each_safe(obj, tmp, &otfill_held)
		kfree(obj);
	INIT_LIST_HEAD(&otfill_held);
	otfill_nr = 0;
}

static int otfill_sites_set(const char *val, const struct kernel_param *kp)
{
	unsigned long base = (unsigned long)otfill_sites_text;
	struct list_head *obj;
	unsigned int n, i;
	int ret = 0;

	/* Past the ftrace call; hidden, the offset is no relocation (objtool, IBT). */
	OPTIMIZER_HIDE_VAR(base);
	base += 16;

	if (kstrtouint(val, 10, &n) || n > OTFILL_MAX_SITES - 16)
		return -EINVAL;
	mutex_lock(&otfill_mutex);
	for (i = 0; i < n; i++) {
		obj = otfill_kmalloc_at(64, base + i);
		if (!obj) {
			ret = -ENOMEM;
			break;
		}
		list_add_tail(obj, &otfill_held);
		otfill_nr++;
	}
	mutex_unlock(&otfill_mutex);
	return ret;
}

static int otfill_sites_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(otfill_nr));
}

static const struct kernel_param_ops otfill_sites_ops = {
	.set = otfill_sites_set,
	.get = otfill_sites_get,
};
module_param_cb(sites, &otfill_sites_ops, NULL, 0644);
MODULE_PARM_DESC(sites, "write N: one object from each of N call sites (N <= 3984); read: objects held");

static bool fail;
module_param(fail, bool, 0444);
MODULE_PARM_DESC(fail, "init fails with -ENODEV: the module comes and goes (default 0)");

static int __init otfill_init(void)
{
	if (fail) {
		mutex_lock(&otfill_mutex);
		otfill_free();
		mutex_unlock(&otfill_mutex);
		return -ENODEV;
	}
	return 0;
}

static void __exit otfill_exit(void)
{
	mutex_lock(&otfill_mutex);
	otfill_free();
	mutex_unlock(&otfill_mutex);
}

module_init(otfill_init);
module_exit(otfill_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("oomtrace test module: fills the call site and module tables");
