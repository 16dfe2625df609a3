// SPDX-License-Identifier: GPL-2.0
/*
 * otbench: allocator microbenchmark for the oomtrace lab.
 *
 * Write "run LOOPS" to /proc/otbench: on the writing CPU, with preemption
 * left on, it times LOOPS iterations of each pattern below and keeps the
 * nanoseconds per operation (one allocation plus its free). Read the file for
 * "pattern ns_per_op" lines. Timings under TCG are not native: compare runs
 * from one boot (with and without oomtrace), never absolute numbers.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/uaccess.h>

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

static u64 bench_one(int b, unsigned long loops)
{
	void *p[BATCH];
	unsigned long i;
	u64 t0 = ktime_get_ns();
	int j;

	for (i = 0; i < loops; i += BATCH) {
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
		cond_resched();
	}
	return div64_u64(ktime_get_ns() - t0, loops);
}

static ssize_t bench_write(struct file *f, const char __user *ubuf, size_t len, loff_t *off)
{
	unsigned long loops;
	char buf[32];
	int b;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "run %lu", &loops) != 1 || loops < BATCH || loops > 100000000)
		return -EINVAL;
	mutex_lock(&bench_lock);
	for (b = 0; b < B_NR; b++)
		bench_ns[b] = bench_one(b, loops);
	mutex_unlock(&bench_lock);
	return len;
}

static int bench_show(struct seq_file *m, void *v)
{
	int b;

	mutex_lock(&bench_lock);
	for (b = 0; b < B_NR; b++)
		seq_printf(m, "%s %llu\n", bench_names[b], bench_ns[b]);
	mutex_unlock(&bench_lock);
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
	remove_proc_entry("otbench", NULL);
	kmem_cache_destroy(bench_cache);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Allocator microbenchmark for the oomtrace lab");
