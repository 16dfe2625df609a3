// SPDX-License-Identifier: GPL-2.0
/*
 * leaker: a test module for oomtrace. It allocates (and leaks, on request)
 * memory through every path oomtrace must attribute: kmalloc, its own slab
 * cache, a mempool, the page allocator, vmalloc, plus churn through bulk,
 * RCU and krealloc frees. Never part of oomtrace.ko.
 *
 * Control: /proc/leaker (0600), one command per write:
 *   kmalloc N SIZE     N x kmalloc(SIZE)          (16 <= SIZE <= KMALLOC_MAX_SIZE)
 *   cache N            N objects from kmem_cache "leaker_obj" (obj_size bytes)
 *   mempool N          N x mempool_alloc() from a slab mempool ("leaker_pool", 448 bytes)
 *   pages N ORDER      N x alloc_pages(GFP_KERNEL, ORDER)  (0 <= ORDER <= 10)
 *   vmalloc N SIZE     N x vmalloc(SIZE)
 *   exact N SIZE       N x alloc_pages_exact(SIZE)  (16 <= SIZE <= 4 MiB)
 *   split N ORDER KEEP N x alloc_pages(ORDER) + split_page(), the pages from
 *                      KEEP on freed at once  (1 <= ORDER <= 10, 1 <= KEEP <= 2^ORDER)
 *   free               free everything held
 *   churn_rcu N SIZE   N x kmalloc(SIZE) + kfree_rcu()   (nets to zero)
 *   churn_bulk N       kmem_cache_alloc_bulk/free_bulk N, then N x kmalloc(64) + kfree_bulk
 *   churn_krealloc N   N rounds of krealloc 16 -> 4096 -> 16, then kfree
 *   storm on|off       one kthread per online CPU churning kmalloc/cache/pages
 *   destroy_null N     N x kmem_cache_destroy(NULL) (legal, a no-op), timed
 *   alias N            N x: create a cache that merges into leaker_obj's,
 *                      destroy it (a reference dropped, nothing freed), one
 *                      object from leaker_obj allocated and freed.
 *                      -EOPNOTSUPP when it does not merge (slab_nomerge)
 *   busy N             N x: a cache "leaker_busyI" (a constructor: never
 *                      merged) with one live object is destroyed, which
 *                      fails (the kernel warns, the cache stays); one more
 *                      object from it, then both are freed
 *   reuse N            a cache "leaker_reuse_a" destroyed, then
 *                      "leaker_reuse_b" created at its address (retried up
 *                      to 16 times), N objects from it held; reused: 1 if
 *                      the address was reused
 *   notify_delay MS    sleep MS ms in leaker's first module notifier when
 *                      another module goes (0: do not)
 *   bulk_storm N       one kthread per online CPU, each N x kmem_cache_alloc_bulk()
 *                      of 16 "leaker_obj" objects + kmem_cache_free_bulk(), all at
 *                      once; returns when every one is done
 *   stall SYMBOL MS    the next call of SYMBOL (any module's too; at most six
 *                      integer arguments; its callers may sleep) sleeps MS ms
 *                      (1..5000) first: a kprobe sends it to a detour that
 *                      sleeps, then calls SYMBOL. A spin would not do: the
 *                      other CPUs soon wait for the spinning one (IPIs)
 *   stall off          remove the kprobe
 * Anything malformed returns -EINVAL and changes nothing. An allocation
 * failure (or a fatal signal) stops the command; objects allocated so far
 * are kept and counted, and the write returns -ENOMEM (-EINTR).
 *
 * Bookkeeping: the list node of every held object lives INSIDE the object
 * itself (at the start of the kmalloc/cache/mempool/vmalloc memory, at
 * page_address() for pages), so leaker makes no allocation of its own
 * besides the ones it is asked for: after "kmalloc 1000 200" kmalloc-256
 * grows by exactly 1000 objects. This is why SIZE must be >= 16.
 * The only bookkeeping allocations are the temporary pointer array of
 * churn_bulk (vmalloc), and the task array of storm (kcalloc).
 *
 * Reading /proc/leaker prints "key value" lines of what is held:
 * kmalloc, kmalloc_bytes (requested), kmalloc_alloc_bytes (ksize(): what the
 * allocator handed out), cache, cache_bytes, mempool, mempool_bytes, pages,
 * page_bytes, vmalloc, vmalloc_bytes (requested), storm, exact, exact_bytes
 * (the pages still held of exact and split: both are freed with
 * free_pages_exact()), bulk_calls (bulk_storm's successful bulk allocations
 * since load), stall_hits (the stalls begun), obj_size, reuse (objects of
 * leaker_reuse_b), reused, busy (caches left behind by busy),
 * destroy_null_ns (the last destroy_null's duration), going_ns.
 *
 * going_ns: the time the module notifier chain took between leaker's own
 * two notifiers (the first and the last of the chain by priority) for the
 * last module that went other than leaker: what the notifiers between
 * them, oomtrace's among them, spent on that module.
 *
 * Locking: leaker_mutex serialises every command, the /proc read and
 * teardown; the storm threads touch nothing but their own allocations.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#define LEAKER_MAX_ORDER	10
#define LEAKER_POOL_SIZE	448
#define LEAKER_POOL_MIN		4
#define LEAKER_MAX_N		10000000U
#define LEAKER_CMD_MAX		128
#define LEAKER_MAX_ARGS		3
#define LEAKER_BULK		16

static unsigned int obj_size = 320;
module_param(obj_size, uint, 0444);
MODULE_PARM_DESC(obj_size, "object size of the leaker_obj cache in bytes (16..65536, default 320)");

static bool leak_on_unload;
module_param(leak_on_unload, bool, 0644);
MODULE_PARM_DESC(leak_on_unload,
		 "on rmmod leave kmalloc, page, vmalloc and exact objects behind, like a buggy driver (default 0)");

/* Header at the start of every held object (and of every held page run). */
struct leaker_page {
	struct list_head node;
	unsigned int order;
	size_t size;		/* exact and split: the bytes held */
};

/* kfree_rcu() needs an rcu_head inside the object. */
struct leaker_rcu {
	struct rcu_head rcu;
};

struct leaker_held {
	struct list_head list;
	unsigned long count;
	unsigned long bytes;		/* requested bytes */
	unsigned long alloc_bytes;	/* bytes handed out by the allocator */
};

static DEFINE_MUTEX(leaker_mutex);
static struct kmem_cache *leaker_obj_cache;
static struct kmem_cache *leaker_pool_cache;
static mempool_t *leaker_pool;
static struct proc_dir_entry *leaker_proc;

static struct leaker_held held_kmalloc;
static struct leaker_held held_cache;
static struct leaker_held held_mempool;
static struct leaker_held held_pages;
static struct leaker_held held_vmalloc;
static struct leaker_held held_exact;

static struct task_struct **storm_tasks;
static unsigned int storm_nr;
static atomic_long_t bulk_calls = ATOMIC_LONG_INIT(0);

/* stall: a kprobe that holds up one call, to open a race window for a test. */
typedef unsigned long (*leaker_fn6)(unsigned long, unsigned long, unsigned long,
				   unsigned long, unsigned long, unsigned long);
static struct kprobe stall_kp;
static char stall_sym[KSYM_NAME_LEN];
static unsigned int stall_ms;
static leaker_fn6 stall_fn;		/* the function's entry, before its endbr64 */
static atomic_t stall_armed = ATOMIC_INIT(0);
static atomic_t stall_hits = ATOMIC_INIT(0);
static bool stall_on;		/* registered; under leaker_mutex */

struct leaker_bulk_job {
	unsigned long rounds;
	struct completion done;
};

static struct kmem_cache *reuse_cache;
static struct leaker_held held_reuse;
static int reused;
static unsigned int busy_nr;
static u64 destroy_null_ns;
static u64 going_t0;
static u64 going_ns;
static unsigned int notify_delay_ms;

static void leaker_held_init(struct leaker_held *h)
{
	INIT_LIST_HEAD(&h->list);
	h->count = 0;
	h->bytes = 0;
	h->alloc_bytes = 0;
}

static int leaker_stop_early(void)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	cond_resched();
	return 0;
}

static int leaker_do_kmalloc(unsigned long n, unsigned long size)
{
	struct list_head *obj;
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		obj = kmalloc(size, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		list_add_tail(obj, &held_kmalloc.list);
		held_kmalloc.count++;
		held_kmalloc.bytes += size;
		held_kmalloc.alloc_bytes += ksize(obj);
	}
	return 0;
}

static int leaker_do_cache(unsigned long n)
{
	struct list_head *obj;
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		obj = kmem_cache_alloc(leaker_obj_cache, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		list_add_tail(obj, &held_cache.list);
		held_cache.count++;
		held_cache.bytes += obj_size;
		held_cache.alloc_bytes += kmem_cache_size(leaker_obj_cache);
	}
	return 0;
}

static int leaker_do_mempool(unsigned long n)
{
	struct list_head *obj;
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		obj = mempool_alloc(leaker_pool, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		list_add_tail(obj, &held_mempool.list);
		held_mempool.count++;
		held_mempool.bytes += LEAKER_POOL_SIZE;
		held_mempool.alloc_bytes += kmem_cache_size(leaker_pool_cache);
	}
	return 0;
}

static int leaker_do_pages(unsigned long n, unsigned int order)
{
	struct leaker_page *lp;
	struct page *page;
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		page = alloc_pages(GFP_KERNEL, order);
		if (!page)
			return -ENOMEM;
		lp = page_address(page);
		lp->order = order;
		list_add_tail(&lp->node, &held_pages.list);
		held_pages.count++;
		held_pages.bytes += PAGE_SIZE << order;
		held_pages.alloc_bytes += PAGE_SIZE << order;
	}
	return 0;
}

static int leaker_do_vmalloc(unsigned long n, unsigned long size)
{
	struct list_head *obj;
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		/* vmalloc() hands out whole pages: the header always fits. */
		obj = vmalloc(max_t(unsigned long, size, sizeof(*obj)));
		if (!obj)
			return -ENOMEM;
		list_add_tail(obj, &held_vmalloc.list);
		held_vmalloc.count++;
		held_vmalloc.bytes += size;
		held_vmalloc.alloc_bytes += PAGE_ALIGN(size);
	}
	return 0;
}

/* A run of pages held from @lp on, freed with free_pages_exact(). */
static void leaker_hold_exact(struct leaker_page *lp, size_t size)
{
	lp->size = size;
	list_add_tail(&lp->node, &held_exact.list);
	held_exact.count++;
	held_exact.bytes += size;
	held_exact.alloc_bytes += size;
}

static int leaker_do_exact(unsigned long n, unsigned long size)
{
	struct leaker_page *lp;
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		lp = alloc_pages_exact(size, GFP_KERNEL);
		if (!lp)
			return -ENOMEM;
		leaker_hold_exact(lp, PAGE_ALIGN(size));
	}
	return 0;
}

/* An order-@order block split into single pages; those from @keep on go back at once. */
static int leaker_do_split(unsigned long n, unsigned int order, unsigned int keep)
{
	struct page *page;
	unsigned long i;
	unsigned int j;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		page = alloc_pages(GFP_KERNEL, order);
		if (!page)
			return -ENOMEM;
		split_page(page, order);
		for (j = keep; j < 1U << order; j++)
			__free_page(page + j);
		leaker_hold_exact(page_address(page), (size_t)keep << PAGE_SHIFT);
	}
	return 0;
}

static void leaker_free_kmalloc(void)
{
	struct list_head *obj, *tmp;

	list_for_each_safe(obj, tmp, &held_kmalloc.list)
		kfree(obj);
	leaker_held_init(&held_kmalloc);
}

static void leaker_free_cache(void)
{
	struct list_head *obj, *tmp;

	list_for_each_safe(obj, tmp, &held_cache.list)
		kmem_cache_free(leaker_obj_cache, obj);
	leaker_held_init(&held_cache);
}

static void leaker_free_mempool(void)
{
	struct list_head *obj, *tmp;

	list_for_each_safe(obj, tmp, &held_mempool.list)
		mempool_free(obj, leaker_pool);
	leaker_held_init(&held_mempool);
}

static void leaker_free_pages(void)
{
	struct leaker_page *lp, *tmp;

	list_for_each_entry_safe(lp, tmp, &held_pages.list, node)
		__free_pages(virt_to_page(lp), lp->order);
	leaker_held_init(&held_pages);
}

static void leaker_free_exact(void)
{
	struct leaker_page *lp, *tmp;

	list_for_each_entry_safe(lp, tmp, &held_exact.list, node)
		free_pages_exact(lp, lp->size);
	leaker_held_init(&held_exact);
}

static void leaker_free_vmalloc(void)
{
	struct list_head *obj, *tmp;

	list_for_each_safe(obj, tmp, &held_vmalloc.list)
		vfree(obj);
	leaker_held_init(&held_vmalloc);
}

static void leaker_free_reuse(void)
{
	struct list_head *obj, *tmp;

	list_for_each_safe(obj, tmp, &held_reuse.list)
		kmem_cache_free(reuse_cache, obj);
	leaker_held_init(&held_reuse);
}

static void leaker_free_all(void)
{
	leaker_free_kmalloc();
	leaker_free_cache();
	leaker_free_mempool();
	leaker_free_pages();
	leaker_free_vmalloc();
	leaker_free_reuse();
	leaker_free_exact();
}

static int leaker_churn_rcu(unsigned long n, unsigned long size)
{
	struct leaker_rcu *obj;
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		obj = kmalloc(size, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		kfree_rcu(obj, rcu);
	}
	return 0;
}

static int leaker_churn_bulk(unsigned long n)
{
	unsigned long i;
	void **objs;
	int ret = 0;

	objs = vmalloc(array_size(n, sizeof(*objs)));
	if (!objs)
		return -ENOMEM;

	if (!kmem_cache_alloc_bulk(leaker_obj_cache, GFP_KERNEL, n, objs)) {
		ret = -ENOMEM;
		goto out;
	}
	kmem_cache_free_bulk(leaker_obj_cache, n, objs);

	for (i = 0; i < n; i++) {
		objs[i] = kmalloc(64, GFP_KERNEL);
		if (!objs[i]) {
			ret = -ENOMEM;
			break;
		}
	}
	if (i)
		kfree_bulk(i, objs);
out:
	vfree(objs);
	return ret;
}

static int leaker_churn_krealloc(unsigned long n)
{
	unsigned long i, size;
	void *obj, *tmp;
	int ret;

	for (i = 0; i < n; i++) {
		ret = leaker_stop_early();
		if (ret)
			return ret;
		obj = kmalloc(16, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		for (size = 32; size <= 4096; size <<= 1) {
			tmp = krealloc(obj, size, GFP_KERNEL);
			if (!tmp)
				goto nomem;
			obj = tmp;
		}
		for (size = 2048; size >= 16; size >>= 1) {
			tmp = krealloc(obj, size, GFP_KERNEL);
			if (!tmp)
				goto nomem;
			obj = tmp;
		}
		kfree(obj);
	}
	return 0;
nomem:
	kfree(obj);
	return -ENOMEM;
}

static int leaker_storm_fn(void *data)
{
	unsigned long i = (unsigned long)data;
	struct page *page;
	void *obj;

	while (!kthread_should_stop()) {
		i++;
		obj = kmalloc(8 + (i * 37) % 4096, GFP_KERNEL);
		kfree(obj);
		obj = kmem_cache_alloc(leaker_obj_cache, GFP_KERNEL);
		if (obj)
			kmem_cache_free(leaker_obj_cache, obj);
		page = alloc_page(GFP_KERNEL);
		if (page)
			__free_page(page);
		cond_resched();
	}
	return 0;
}

static int leaker_bulk_fn(void *data)
{
	struct leaker_bulk_job *job = data;
	void *objs[LEAKER_BULK];
	unsigned long i;

	for (i = 0; i < job->rounds; i++) {
		if (kmem_cache_alloc_bulk(leaker_obj_cache, GFP_KERNEL, LEAKER_BULK, objs)) {
			atomic_long_inc(&bulk_calls);
			kmem_cache_free_bulk(leaker_obj_cache, LEAKER_BULK, objs);
		}
		cond_resched();
	}
	kthread_complete_and_exit(&job->done, 0);
}

/* N rounds of bulk alloc + free on every online CPU at once; waits for all. */
static int leaker_bulk_storm(unsigned long n)
{
	struct leaker_bulk_job *jobs;
	struct task_struct *t;
	unsigned int cpu, nr = 0, i;

	jobs = kcalloc(nr_cpu_ids, sizeof(*jobs), GFP_KERNEL);
	if (!jobs)
		return -ENOMEM;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		jobs[nr].rounds = n;
		init_completion(&jobs[nr].done);
		t = kthread_create_on_cpu(leaker_bulk_fn, &jobs[nr], cpu, "leaker_bulk/%u");
		if (IS_ERR(t))
			continue;
		wake_up_process(t);
		nr++;
	}
	cpus_read_unlock();
	for (i = 0; i < nr; i++)
		wait_for_completion(&jobs[i].done);
	kfree(jobs);
	return nr ? 0 : -ENOMEM;
}

/* Entered instead of the function, with its arguments and its return address. */
static unsigned long leaker_stall_detour(unsigned long a, unsigned long b, unsigned long c,
					 unsigned long d, unsigned long e, unsigned long f)
{
	atomic_inc(&stall_hits);
	msleep(stall_ms);
	return stall_fn(a, b, c, d, e, f);
}

/* The first call goes to the detour (a pre-handler that changed ip returns 1). */
static int leaker_stall_pre(struct kprobe *kp, struct pt_regs *regs)
{
	if (!atomic_xchg(&stall_armed, 0))
		return 0;
	instruction_pointer_set(regs, (unsigned long)leaker_stall_detour);
	return 1;
}

/* kprobes put a probe on a function's start after its endbr64 (IBT kernels). */
static leaker_fn6 leaker_func_start(const void *addr)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };

	if (!memcmp((const u8 *)addr - sizeof(endbr64), endbr64, sizeof(endbr64)))
		addr = (const u8 *)addr - sizeof(endbr64);
	return (leaker_fn6)addr;
}

static void leaker_stall_off(void)
{
	if (!stall_on)
		return;
	unregister_kprobe(&stall_kp);
	memset(&stall_kp, 0, sizeof(stall_kp));
	stall_on = false;
}

static int leaker_stall(const char *sym, const char *ms)
{
	int ret;

	if (stall_on || kstrtouint(ms, 10, &stall_ms) || !stall_ms || stall_ms > 5000 ||
	    strscpy(stall_sym, sym, sizeof(stall_sym)) < 0)
		return -EINVAL;
	stall_kp.symbol_name = stall_sym;
	stall_kp.pre_handler = leaker_stall_pre;
	ret = register_kprobe(&stall_kp);
	if (ret) {
		memset(&stall_kp, 0, sizeof(stall_kp));
		return ret;
	}
	stall_fn = leaker_func_start(stall_kp.addr);
	atomic_set(&stall_armed, 1);
	stall_on = true;
	return 0;
}

static void leaker_storm_stop(void)
{
	unsigned int i;

	if (!storm_tasks)
		return;
	for (i = 0; i < storm_nr; i++)
		kthread_stop(storm_tasks[i]);
	kfree(storm_tasks);
	storm_tasks = NULL;
	storm_nr = 0;
}

static int leaker_storm_start(void)
{
	struct task_struct *t;
	unsigned int cpu;

	if (storm_tasks)
		return 0;
	storm_tasks = kcalloc(nr_cpu_ids, sizeof(*storm_tasks), GFP_KERNEL);
	if (!storm_tasks)
		return -ENOMEM;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		t = kthread_create_on_cpu(leaker_storm_fn, (void *)(unsigned long)cpu,
					  cpu, "leaker_storm/%u");
		if (IS_ERR(t))
			continue;
		set_user_nice(t, MAX_NICE);
		storm_tasks[storm_nr++] = t;
		wake_up_process(t);
	}
	cpus_read_unlock();
	if (!storm_nr) {
		kfree(storm_tasks);
		storm_tasks = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int leaker_destroy_null(unsigned long n)
{
	u64 t0 = ktime_get_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		kmem_cache_destroy(NULL);
	destroy_null_ns = ktime_get_ns() - t0;
	return 0;
}

static int leaker_alias(unsigned long n)
{
	struct kmem_cache *c;
	unsigned long i;
	void *obj;

	for (i = 0; i < n; i++) {
		c = kmem_cache_create("leaker_alias", obj_size, 0, 0, NULL);
		if (!c)
			return -ENOMEM;
		kmem_cache_destroy(c);
		if (c != leaker_obj_cache)
			return -EOPNOTSUPP;
		obj = kmem_cache_alloc(leaker_obj_cache, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		kmem_cache_free(leaker_obj_cache, obj);
	}
	return 0;
}

static void leaker_ctor(void *obj)
{
	/* A constructor keeps a cache from being merged. */
}

/* A cache destroyed with a live object: the destroy fails, the cache stays. */
static int leaker_busy_one(void)
{
	struct kmem_cache *c;
	char name[32];
	void *a, *b;

	snprintf(name, sizeof(name), "leaker_busy%u", busy_nr);
	c = kmem_cache_create(name, obj_size, 0, 0, leaker_ctor);
	if (!c)
		return -ENOMEM;
	a = kmem_cache_alloc(c, GFP_KERNEL);
	if (!a) {
		kmem_cache_destroy(c);
		return -ENOMEM;
	}
	kmem_cache_destroy(c);
	busy_nr++;
	b = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, a);
	if (b)
		kmem_cache_free(c, b);
	return b ? 0 : -ENOMEM;
}

static int leaker_busy(unsigned long n)
{
	unsigned long i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = leaker_busy_one();
	return ret;
}

/* leaker_reuse_b at leaker_reuse_a's address, if the allocator gives it. */
static int leaker_reuse_create(void)
{
	struct kmem_cache *a;
	int try;
	void *obj;

	for (try = 0; try < 16 && !reused; try++) {
		a = kmem_cache_create("leaker_reuse_a", obj_size, 0, 0, leaker_ctor);
		if (!a)
			return -ENOMEM;
		obj = kmem_cache_alloc(a, GFP_KERNEL);
		if (obj)
			kmem_cache_free(a, obj);
		kmem_cache_destroy(a);
		kmem_cache_destroy(reuse_cache);
		reuse_cache = kmem_cache_create("leaker_reuse_b", obj_size, 0, 0, leaker_ctor);
		if (!reuse_cache)
			return -ENOMEM;
		reused = reuse_cache == a;
	}
	return 0;
}

static int leaker_reuse(unsigned long n)
{
	struct list_head *obj;
	unsigned long i;
	int ret;

	if (!reuse_cache) {
		ret = leaker_reuse_create();
		if (ret)
			return ret;
	}
	for (i = 0; i < n; i++) {
		obj = kmem_cache_alloc(reuse_cache, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		list_add_tail(obj, &held_reuse.list);
		held_reuse.count++;
	}
	return 0;
}

/* First in the module notifier chain: the clock starts, the delay runs. */
static int leaker_notify_first(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *m = data;

	if (action != MODULE_STATE_GOING || m == THIS_MODULE)
		return NOTIFY_DONE;
	if (READ_ONCE(notify_delay_ms))
		msleep(READ_ONCE(notify_delay_ms));
	WRITE_ONCE(going_t0, ktime_get_ns());
	return NOTIFY_DONE;
}

/* Last in the chain: what the notifiers in between took. */
static int leaker_notify_last(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *m = data;

	if (action != MODULE_STATE_GOING || m == THIS_MODULE)
		return NOTIFY_DONE;
	WRITE_ONCE(going_ns, ktime_get_ns() - READ_ONCE(going_t0));
	return NOTIFY_DONE;
}

static struct notifier_block leaker_nb_first = {
	.notifier_call = leaker_notify_first,
	.priority = INT_MAX,
};

static struct notifier_block leaker_nb_last = {
	.notifier_call = leaker_notify_last,
	.priority = INT_MIN,
};

/* Parse "N" (1 <= N <= LEAKER_MAX_N). */
static int leaker_parse_n(const char *s, unsigned long *n)
{
	if (kstrtoul(s, 10, n) || *n < 1 || *n > LEAKER_MAX_N)
		return -EINVAL;
	return 0;
}

static int leaker_parse_size(const char *s, unsigned long max, unsigned long *size)
{
	if (kstrtoul(s, 10, size) || *size < sizeof(struct list_head) || *size > max)
		return -EINVAL;
	return 0;
}

static int leaker_split_cmd(unsigned long n, const char *o, const char *k)
{
	unsigned int order, keep;

	if (kstrtouint(o, 10, &order) || order < 1 || order > LEAKER_MAX_ORDER ||
	    kstrtouint(k, 10, &keep) || keep < 1 || keep > 1U << order)
		return -EINVAL;
	return leaker_do_split(n, order, keep);
}

static int leaker_cmd(char *buf)
{
	char *argv[LEAKER_MAX_ARGS + 1];
	unsigned long n = 0, size = 0;
	unsigned int argc = 0;
	char *tok;

	while ((tok = strsep(&buf, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (argc > LEAKER_MAX_ARGS)
			return -EINVAL;
		argv[argc++] = tok;
	}
	if (!argc)
		return -EINVAL;

	if (!strcmp(argv[0], "free") && argc == 1) {
		leaker_free_all();
		return 0;
	}
	if (!strcmp(argv[0], "storm") && argc == 2) {
		if (!strcmp(argv[1], "on"))
			return leaker_storm_start();
		if (!strcmp(argv[1], "off")) {
			leaker_storm_stop();
			return 0;
		}
		return -EINVAL;
	}
	if (!strcmp(argv[0], "notify_delay") && argc == 2) {
		unsigned int ms;

		if (kstrtouint(argv[1], 10, &ms) || ms > 60000)
			return -EINVAL;
		WRITE_ONCE(notify_delay_ms, ms);
		return 0;
	}
	if (!strcmp(argv[0], "stall") && argc == 2 && !strcmp(argv[1], "off")) {
		leaker_stall_off();
		return 0;
	}
	if (!strcmp(argv[0], "stall") && argc == 3)
		return leaker_stall(argv[1], argv[2]);
	if (argc < 2 || leaker_parse_n(argv[1], &n))
		return -EINVAL;

	if (!strcmp(argv[0], "kmalloc") && argc == 3) {
		if (leaker_parse_size(argv[2], KMALLOC_MAX_SIZE, &size))
			return -EINVAL;
		return leaker_do_kmalloc(n, size);
	}
	if (!strcmp(argv[0], "cache") && argc == 2)
		return leaker_do_cache(n);
	if (!strcmp(argv[0], "mempool") && argc == 2)
		return leaker_do_mempool(n);
	if (!strcmp(argv[0], "pages") && argc == 3) {
		unsigned int order;

		if (kstrtouint(argv[2], 10, &order) || order > LEAKER_MAX_ORDER)
			return -EINVAL;
		return leaker_do_pages(n, order);
	}
	if (!strcmp(argv[0], "vmalloc") && argc == 3) {
		if (leaker_parse_size(argv[2], SZ_1G, &size))
			return -EINVAL;
		return leaker_do_vmalloc(n, size);
	}
	if (!strcmp(argv[0], "exact") && argc == 3) {
		if (leaker_parse_size(argv[2], PAGE_SIZE << LEAKER_MAX_ORDER, &size))
			return -EINVAL;
		return leaker_do_exact(n, size);
	}
	if (!strcmp(argv[0], "split") && argc == 4)
		return leaker_split_cmd(n, argv[2], argv[3]);
	if (!strcmp(argv[0], "churn_rcu") && argc == 3) {
		if (leaker_parse_size(argv[2], KMALLOC_MAX_SIZE, &size))
			return -EINVAL;
		return leaker_churn_rcu(n, size);
	}
	if (!strcmp(argv[0], "bulk_storm") && argc == 2)
		return leaker_bulk_storm(n);
	if (!strcmp(argv[0], "churn_bulk") && argc == 2)
		return leaker_churn_bulk(n);
	if (!strcmp(argv[0], "churn_krealloc") && argc == 2)
		return leaker_churn_krealloc(n);
	if (!strcmp(argv[0], "destroy_null") && argc == 2)
		return leaker_destroy_null(n);
	if (!strcmp(argv[0], "alias") && argc == 2)
		return leaker_alias(n);
	if (!strcmp(argv[0], "busy") && argc == 2)
		return leaker_busy(n);
	if (!strcmp(argv[0], "reuse") && argc == 2)
		return leaker_reuse(n);
	return -EINVAL;
}

static ssize_t leaker_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char buf[LEAKER_CMD_MAX];
	int ret;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	mutex_lock(&leaker_mutex);
	ret = leaker_cmd(buf);
	mutex_unlock(&leaker_mutex);
	return ret ? ret : count;
}

static int leaker_show(struct seq_file *m, void *v)
{
	mutex_lock(&leaker_mutex);
	seq_printf(m, "kmalloc %lu\n", held_kmalloc.count);
	seq_printf(m, "kmalloc_bytes %lu\n", held_kmalloc.bytes);
	seq_printf(m, "kmalloc_alloc_bytes %lu\n", held_kmalloc.alloc_bytes);
	seq_printf(m, "cache %lu\n", held_cache.count);
	seq_printf(m, "cache_bytes %lu\n", held_cache.alloc_bytes);
	seq_printf(m, "mempool %lu\n", held_mempool.count);
	seq_printf(m, "mempool_bytes %lu\n", held_mempool.alloc_bytes);
	seq_printf(m, "pages %lu\n", held_pages.count);
	seq_printf(m, "page_bytes %lu\n", held_pages.bytes);
	seq_printf(m, "vmalloc %lu\n", held_vmalloc.count);
	seq_printf(m, "vmalloc_bytes %lu\n", held_vmalloc.bytes);
	seq_printf(m, "storm %d\n", storm_tasks ? 1 : 0);
	seq_printf(m, "exact %lu\n", held_exact.count);
	seq_printf(m, "exact_bytes %lu\n", held_exact.bytes);
	seq_printf(m, "bulk_calls %ld\n", atomic_long_read(&bulk_calls));
	seq_printf(m, "stall_hits %d\n", atomic_read(&stall_hits));
	seq_printf(m, "obj_size %u\n", obj_size);
	seq_printf(m, "reuse %lu\n", held_reuse.count);
	seq_printf(m, "reused %d\n", reused);
	seq_printf(m, "busy %u\n", busy_nr);
	seq_printf(m, "destroy_null_ns %llu\n", destroy_null_ns);
	seq_printf(m, "going_ns %llu\n", READ_ONCE(going_ns));
	mutex_unlock(&leaker_mutex);
	return 0;
}

static int leaker_open(struct inode *inode, struct file *file)
{
	return single_open(file, leaker_show, NULL);
}

static const struct proc_ops leaker_proc_ops = {
	.proc_open	= leaker_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= leaker_write,
};

static int __init leaker_init(void)
{
	int ret;

	if (obj_size < sizeof(struct list_head) || obj_size > SZ_64K)
		return -EINVAL;

	leaker_held_init(&held_kmalloc);
	leaker_held_init(&held_cache);
	leaker_held_init(&held_mempool);
	leaker_held_init(&held_pages);
	leaker_held_init(&held_vmalloc);
	leaker_held_init(&held_reuse);
	leaker_held_init(&held_exact);

	leaker_obj_cache = kmem_cache_create("leaker_obj", obj_size, 0, 0, NULL);
	if (!leaker_obj_cache)
		return -ENOMEM;

	leaker_pool_cache = kmem_cache_create("leaker_pool", LEAKER_POOL_SIZE, 0, 0, NULL);
	if (!leaker_pool_cache) {
		ret = -ENOMEM;
		goto err_obj_cache;
	}

	leaker_pool = mempool_create_slab_pool(LEAKER_POOL_MIN, leaker_pool_cache);
	if (!leaker_pool) {
		ret = -ENOMEM;
		goto err_pool_cache;
	}

	leaker_proc = proc_create("leaker", 0600, NULL, &leaker_proc_ops);
	if (!leaker_proc) {
		ret = -ENOMEM;
		goto err_pool;
	}
	ret = register_module_notifier(&leaker_nb_first);
	if (ret)
		goto err_proc;
	ret = register_module_notifier(&leaker_nb_last);
	if (ret)
		goto err_nb;
	return 0;

err_nb:
	unregister_module_notifier(&leaker_nb_first);
err_proc:
	proc_remove(leaker_proc);
err_pool:
	mempool_destroy(leaker_pool);
err_pool_cache:
	kmem_cache_destroy(leaker_pool_cache);
err_obj_cache:
	kmem_cache_destroy(leaker_obj_cache);
	return ret;
}

static void __exit leaker_exit(void)
{
	unregister_module_notifier(&leaker_nb_last);
	unregister_module_notifier(&leaker_nb_first);
	proc_remove(leaker_proc);

	mutex_lock(&leaker_mutex);
	leaker_stall_off();
	leaker_storm_stop();
	/* A cache destroyed with live objects WARNs: those are always freed. */
	leaker_free_mempool();
	leaker_free_cache();
	leaker_free_reuse();
	if (!leak_on_unload) {
		leaker_free_kmalloc();
		leaker_free_pages();
		leaker_free_vmalloc();
		leaker_free_exact();
	}
	mutex_unlock(&leaker_mutex);

	mempool_destroy(leaker_pool);
	kmem_cache_destroy(leaker_pool_cache);
	kmem_cache_destroy(leaker_obj_cache);
	kmem_cache_destroy(reuse_cache);
}

module_init(leaker_init);
module_exit(leaker_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("oomtrace test module: allocates and leaks memory on command");
