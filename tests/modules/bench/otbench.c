// SPDX-License-Identifier: GPL-2.0
/*
 * otbench: allocator microbenchmark for the oomtrace lab.
 *
 * Write "run LOOPS [CPU [PATTERN]]" to /proc/otbench: a thread bound to
 * each online CPU (or to CPU alone; -1: all) times LOOPS iterations of each
 * pattern below (or of PATTERN alone: make bench-profile), all CPUs at
 * once, and the file keeps the nanoseconds per operation (one allocation
 * plus its free), averaged over the CPUs: read it for "pattern ns_per_op"
 * lines, and "idle-us N", the CPUs' idle time so far.
 * Write "sites" to run 10000 distinct kmalloc call sites once each.
 * "probes on" attaches empty probes to the tracepoints oomtrace uses
 * ("probes off" detaches them): the floor any tracepoint-based tracker
 * pays, for the benchmark to compare oomtrace's cost with.
 * Under QEMU's icount (make bench) a nanosecond is one instruction; under
 * plain TCG, timings are not native: compare runs from one boot (with and
 * without oomtrace), never absolute numbers.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/uaccess.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/tracepoint.h>
#include <linux/tick.h>
/* get_cpu_idle_time_us(): tick.h up to 6.x, kernel_stat.h in 7.2 */
#include <linux/kernel_stat.h>

enum { B_K8, B_K64, B_K256, B_K4096, B_CACHE, B_PAGE0, B_PAGE3, B_NR };

static const char * const bench_names[B_NR] = {
	"kmalloc-8", "kmalloc-64", "kmalloc-256", "kmalloc-4096",
	"kmem_cache-192", "alloc_pages-0", "alloc_pages-3",
};

static u64 bench_ns[B_NR];
static struct kmem_cache *bench_cache;
static DEFINE_MUTEX(bench_lock);

/* Batches of 16 live objects: closer to real use than alloc+free pairs. */
#define BATCH 16

/* One batch of pattern @b: BATCH allocations, then their frees. */
static void bench_batch(int b)
{
	void *p[BATCH];
	int j;

	for (j = 0; j < BATCH; j++) {
		switch (b) {
		case B_K8:
			p[j] = kmalloc(8, GFP_KERNEL);
			break;
		case B_K64:
			p[j] = kmalloc(64, GFP_KERNEL);
			break;
		case B_K256:
			p[j] = kmalloc(256, GFP_KERNEL);
			break;
		case B_K4096:
			p[j] = kmalloc(4096, GFP_KERNEL);
			break;
		case B_CACHE:
			p[j] = kmem_cache_alloc(bench_cache, GFP_KERNEL);
			break;
		case B_PAGE0:
			p[j] = alloc_pages(GFP_KERNEL, 0);
			break;
		default:
			p[j] = alloc_pages(GFP_KERNEL, 3);
			break;
		}
	}
	for (j = 0; j < BATCH; j++) {
		if (!p[j])
			continue;
		if (b == B_CACHE)
			kmem_cache_free(bench_cache, p[j]);
		else if (b == B_PAGE0 || b == B_PAGE3)
			__free_pages(p[j], b == B_PAGE0 ? 0 : 3);
		else
			kfree(p[j]);
	}
}

/*
 * ns per allocation + free of pattern @b over @loops of them. One batch
 * first, untimed: a tracker's first sight of a call site (its slow path),
 * once per load, is not the steady cost the loop stands for.
 */
static u64 bench_one(int b, unsigned long loops)
{
	unsigned long i;
	u64 t0;

	bench_batch(b);
	t0 = ktime_get_ns();
	for (i = 0; i < loops; i += BATCH) {
		bench_batch(b);
		cond_resched();
	}
	return div64_u64(ktime_get_ns() - t0, loops);
}

struct bench_cpu {
	unsigned long loops;
	u64 ns[B_NR];
	struct completion done;
};

/* The pattern "run" times, or -1 for all of them; under bench_lock. */
static int bench_only = -1;

static int bench_thread(void *data)
{
	struct bench_cpu *c = data;
	int b;

	for (b = 0; b < B_NR; b++)
		if (bench_only < 0 || b == bench_only)
			c->ns[b] = bench_one(b, c->loops);
	complete(&c->done);
	return 0;
}

/*
 * All patterns on every online CPU at once (or on @only_cpu alone, if it is
 * not -1); bench_ns = the mean over the CPUs.
 */
static int bench_run(unsigned long loops, int only_cpu)
{
	struct bench_cpu *c;
	struct task_struct *t;
	unsigned int cpu, n = 0;
	int b, ret = 0;

	c = kcalloc(nr_cpu_ids, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	memset(bench_ns, 0, sizeof(bench_ns));
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (only_cpu >= 0 && cpu != only_cpu)
			continue;
		c[cpu].loops = loops;
		init_completion(&c[cpu].done);
		t = kthread_create_on_cpu(bench_thread, &c[cpu], cpu, "otbench/%u");
		if (IS_ERR(t)) {
			c[cpu].loops = 0;
			ret = PTR_ERR(t);
			continue;
		}
		wake_up_process(t);
	}
	cpus_read_unlock();
	/* Threads that were started run to their end, even after an error. */
	for_each_possible_cpu(cpu) {
		if (!c[cpu].loops)
			continue;
		wait_for_completion(&c[cpu].done);
		for (b = 0; b < B_NR; b++)
			bench_ns[b] += c[cpu].ns[b];
		n++;
	}
	for (b = 0; b < B_NR && n; b++)
		bench_ns[b] = div_u64(bench_ns[b], n);
	kfree(c);
	return ret;
}

/*
 * "sites": 10000 distinct kmalloc call sites, each run once, for the cost of
 * reading /proc/oomtrace with that many call sites tracked.
 */
#define SITE1		do { kfree(kmalloc(16, GFP_KERNEL)); } while (0)
#define SITE10		do { SITE1; SITE1; SITE1; SITE1; SITE1; SITE1; SITE1; SITE1; SITE1; \
			     SITE1; } while (0)
#define SITE100		do { SITE10; SITE10; SITE10; SITE10; SITE10; SITE10; SITE10; SITE10; \
			     SITE10; SITE10; } while (0)
#define SITE1000	do { SITE100; SITE100; SITE100; SITE100; SITE100; SITE100; SITE100; \
			     SITE100; SITE100; SITE100; } while (0)

static noinline void bench_sites(void)
{
	SITE1000; SITE1000; SITE1000; SITE1000; SITE1000;
	SITE1000; SITE1000; SITE1000; SITE1000; SITE1000;
}

/* Empty probes: one variadic-free prototype fits all, arguments unused. */
static void bench_null_probe(void *data)
{
}

static struct {
	const char *name;
	struct tracepoint *tp;
} bench_tps[] = {
	{ "kmalloc" }, { "kmem_cache_alloc" }, { "mm_page_alloc" }, { "kfree" },
	{ "kmem_cache_free" }, { "mm_page_free" }, { "mm_page_free_batched" },
};

static bool bench_probes_on;

static void bench_tp_lookup(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(bench_tps); i++)
		if (!strcmp(tp->name, bench_tps[i].name))
			bench_tps[i].tp = tp;
}

static void bench_probes(bool on)
{
	int i;

	if (on == bench_probes_on)
		return;
	for (i = 0; i < ARRAY_SIZE(bench_tps); i++) {
		if (!bench_tps[i].tp)
			continue;
		if (on)
			WARN_ON(tracepoint_probe_register(bench_tps[i].tp, bench_null_probe, NULL));
		else
			tracepoint_probe_unregister(bench_tps[i].tp, bench_null_probe, NULL);
	}
	if (!on)
		tracepoint_synchronize_unregister();
	bench_probes_on = on;
}

static ssize_t bench_write(struct file *f, const char __user *ubuf, size_t len, loff_t *off)
{
	unsigned long loops;
	char buf[48], name[24] = "";
	int ret, cpu = -1, only = -1;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sysfs_streq(buf, "sites")) {
		bench_sites();
		return len;
	}
	if (sysfs_streq(buf, "probes on") || sysfs_streq(buf, "probes off")) {
		mutex_lock(&bench_lock);
		bench_probes(buf[8] == 'n');
		mutex_unlock(&bench_lock);
		return len;
	}
	if (sscanf(buf, "run %lu %d %23s", &loops, &cpu, name) < 1 || loops < BATCH ||
	    loops > 100000000 || cpu < -1 ||
	    (cpu >= 0 && (cpu >= nr_cpu_ids || !cpu_online(cpu))))
		return -EINVAL;
	if (name[0]) {
		only = match_string(bench_names, B_NR, name);
		if (only < 0)
			return -EINVAL;
	}
	mutex_lock(&bench_lock);
	bench_only = only;
	ret = bench_run(loops, cpu);
	mutex_unlock(&bench_lock);
	return ret ? ret : len;
}

/*
 * The CPUs' idle time so far, in microseconds, -1 if the kernel does not
 * keep it (no NO_HZ). Under QEMU's icount with sleep=off, idle time is
 * guest time that executes no instruction: the benchmark subtracts it.
 */
static long long bench_idle_us(void)
{
	unsigned int cpu;
	long long sum = 0;
	u64 us;

	for_each_online_cpu(cpu) {
		us = get_cpu_idle_time_us(cpu, NULL);
		if (us == (u64)-1)
			return -1;
		sum += us;
	}
	return sum;
}

static int bench_show(struct seq_file *m, void *v)
{
	int b;

	mutex_lock(&bench_lock);
	for (b = 0; b < B_NR; b++)
		seq_printf(m, "%s %llu\n", bench_names[b], bench_ns[b]);
	mutex_unlock(&bench_lock);
	seq_printf(m, "idle-us %lld\n", bench_idle_us());
	return 0;
}

static int bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, bench_show, NULL);
}

static const struct proc_ops bench_ops = {
	.proc_open = bench_open,
	.proc_read = seq_read,
	.proc_write = bench_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init bench_init(void)
{
	for_each_kernel_tracepoint(bench_tp_lookup, NULL);
	bench_cache = kmem_cache_create("otbench_192", 192, 0, 0, NULL);
	if (!bench_cache)
		return -ENOMEM;
	if (!proc_create("otbench", 0600, NULL, &bench_ops)) {
		kmem_cache_destroy(bench_cache);
		return -ENOMEM;
	}
	return 0;
}

static void __exit bench_exit(void)
{
	mutex_lock(&bench_lock);
	bench_probes(false);
	mutex_unlock(&bench_lock);
	remove_proc_entry("otbench", NULL);
	kmem_cache_destroy(bench_cache);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Allocator microbenchmark for the oomtrace lab");
