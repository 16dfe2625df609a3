// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace stub: a test module for the oomtrace lab that looks like
 * oomtrace.ko and tracks nothing. Never part of oomtrace.ko.
 *
 * The lab suite (tests/lab/scenarios) must be a measuring instrument: run
 * against this stub instead of the real module, its measuring tests must
 * FAIL. So the stub imitates the real module's interface as closely as it
 * can: module name "oomtrace", the same parameters with the same checks and
 * messages, the same /proc/oomtrace files with the same modes, and control
 * with the same parser, errnos and threshold list (copied from
 * module/procfs.c and module/oom.c: that is interface, not tracking). Every
 * table shows the same fixed rows (below), internally consistent as
 * docs/format.md requires, in every mode and epoch.
 *
 * It must NEVER track: no tracepoints, no kprobes, no notifiers, no reading
 * of any module's memory. Its only look at the kernel is the slab merge
 * probe of module/caches.c (creating two caches is not tracking). Every
 * number it prints is fixed, or derived from the fixed rows, the module
 * parameters, the clock (tracking_seconds) and the control commands.
 *
 * Values that must follow the real module if it changes: the version, the
 * parameters, their ranges and messages, the sizes in stub_module_bytes(),
 * the status keys and the control parser.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

/* As module/oomtrace.h and module/oom.c define them (the version: Kbuild). */
#define STUB_FORMAT		1
#define STUB_SAMPLE_MIN		4096U
#define STUB_SAMPLE_MAX		(4U << 20)
#define STUB_EVENTS_MIN		2
#define STUB_EVENTS_MAX		4096
#define STUB_THR_MAX		16
#define STUB_CACHE_NAME_LEN	48
#define STUB_DUMP_ROWS_MAX	100

/* ---- parameters: as module/main.c, module/agg.c and module/oom.c ---- */

/* First, as in the real module's modinfo. */
static unsigned int max_events = 64;
module_param(max_events, uint, 0444);
MODULE_PARM_DESC(max_events,
		 "OOM events kept in /proc/oomtrace/events, 2..4096 (default 64); the first one is always kept");

static unsigned long max_objects = 1UL << 20;
module_param(max_objects, ulong, 0444);
MODULE_PARM_DESC(max_objects,
		 "objects the pointer table is sized for, 1024..268435456 (default 1048576: 32 MiB); more are dropped and counted");

static unsigned int max_callsites = 8192;
module_param(max_callsites, uint, 0444);
MODULE_PARM_DESC(max_callsites,
		 "distinct call sites and (call site, cache) pairs tracked, 1024..1048576 (default 8192)");

static unsigned int walk_depth = 24;
module_param(walk_depth, uint, 0444);
MODULE_PARM_DESC(walk_depth,
		 "stack frames searched for the owning module behind core helpers, 0..64 (default 24; 0: call site only)");

static bool walk_all;
module_param(walk_all, bool, 0444);
MODULE_PARM_DESC(walk_all,
		 "walk the stack for every core-kernel call site, not only known helpers (slow; default 0)");

static unsigned int peak_ms = 100;
module_param(peak_ms, uint, 0444);
MODULE_PARM_DESC(peak_ms, "interval of the peak_bytes samples in ms, 10..60000 (default 100)");

static char *mode = "exact";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "exact (default: every allocation) or sampled (see sample_bytes)");

static unsigned int sample_bytes = 65536;
module_param(sample_bytes, uint, 0444);
MODULE_PARM_DESC(sample_bytes,
		 "sampled mode: one allocation tracked per this many bytes on average, 4096..4194304 (default 65536)");

static unsigned int dump_rows = 10;
module_param(dump_rows, uint, 0444);
MODULE_PARM_DESC(dump_rows,
		 "rows of each table in the kernel log dump (panic, OOM, control's dump), 1..100 (default 10)");

static unsigned int probe_maxactive = 64;
module_param(probe_maxactive, uint, 0444);
MODULE_PARM_DESC(probe_maxactive,
		 "calls of a kretprobed function (bulk allocation, alloc_pages_exact) in flight at once that are counted, 1..4096 (default 64); more are missed and counted (status: probe_missed)");

/* ---- the fixed rows ---- */

enum { M_KERNEL, M_SELF };

static const struct {
	const char *name;
	u64 peak_extra;		/* peak_bytes - live_bytes */
} stub_mods[] = {
	[M_KERNEL] = { "[kernel]", 401408 },
	[M_SELF] = { "oomtrace", 524288 },
};

enum { C_DENTRY, C_RADIX, C_KERNFS, C_K64, C_K1K, C_KCG4K, C_LARGE, C_PAGES };

static const struct {
	const char *name;
	u32 objsize;
	bool pages;		/* page allocator memory: page_bytes */
	u64 peak_extra;
} stub_caches[] = {
	[C_DENTRY] = { "dentry", 192, false, 23040 },
	[C_RADIX] = { "radix_tree_node", 576, false, 4608 },
	[C_KERNFS] = { "kernfs_node_cache", 128, false, 1024 },
	[C_K64] = { "kmalloc-64", 64, false, 512 },
	[C_K1K] = { "kmalloc-1k", 1024, false, 3072 },
	[C_KCG4K] = { "kmalloc-cg-4k", 4096, false, 8192 },
	[C_LARGE] = { "kmalloc-large", 0, true, 524288 },
	[C_PAGES] = { "pages", 0, true, 262144 },
};

/*
 * One (call site, cache) pair each, as the real module's slots: every table
 * is a sum of these. [kernel] rows are core caches; oomtrace's own are the
 * buffers its readers would hold while reading.
 */
static const struct {
	const char *site;
	u8 mod;
	u8 cache;
	u32 size;		/* bytes per object */
	u64 allocs;
	u64 frees;
} stub_slots[] = {
	{ "pcpu_alloc_pages.constprop.0+0x8e/0x1b0", M_KERNEL, C_PAGES, 4096, 312, 16 },
	{ "ot_agg_alloc+0x6e/0xd0", M_SELF, C_LARGE, 524288, 74, 72 },
	{ "ot_agg_alloc+0x43/0xd0", M_SELF, C_LARGE, 131072, 37, 36 },
	{ "__d_alloc+0x31/0x1f0", M_KERNEL, C_DENTRY, 192, 4210, 3890 },
	{ "radix_tree_node_alloc.constprop.0+0x8b/0xe0", M_KERNEL, C_RADIX, 576, 930, 842 },
	{ "kvmalloc_node+0x4a/0xd0", M_KERNEL, C_LARGE, 16384, 10, 7 },
	{ "__kernfs_new_node+0x5a/0x220", M_KERNEL, C_KERNFS, 128, 1873, 1801 },
	{ "kvmalloc_node+0x4a/0xd0", M_KERNEL, C_KCG4K, 4096, 61, 59 },
	{ "ot_table_open+0x9a/0x150", M_SELF, C_KCG4K, 4096, 37, 36 },
	{ "__d_alloc+0x1a1/0x1f0", M_KERNEL, C_K64, 64, 301, 277 },
	{ "ot_table_open+0x1d/0x150", M_SELF, C_K64, 64, 37, 36 },
	{ "ot_status_open+0x1a/0x110", M_SELF, C_K64, 64, 12, 12 },
	{ "load_elf_phdrs+0x4c/0xb0", M_KERNEL, C_K1K, 1024, 204, 204 },
};

/* Events the real probes would also have seen without tracking them. */
#define STUB_UNTRACKED_ALLOCS	2817
#define STUB_UNTRACKED_FREES	9143

enum stub_table { T_SLABS, T_MODULES, T_CALLSITES, T_MODULE_SLABS, T_NR };

static const char * const stub_table_name[T_NR] = {
	[T_SLABS] = "slabs",
	[T_MODULES] = "modules",
	[T_CALLSITES] = "callsites",
	[T_MODULE_SLABS] = "module_slabs",
};

static const char * const stub_table_cols[T_NR] = {
	[T_SLABS] = "cache objsize allocs frees live live_bytes peak_bytes top_module",
	[T_MODULES] =
		"module state allocs frees live live_bytes slab_bytes page_bytes peak_bytes",
	[T_CALLSITES] = "callsite module allocs frees live live_bytes",
	[T_MODULE_SLABS] = "module cache live live_bytes",
};

struct stub_row {
	u32 id;			/* cache, module, or first slot of the call site */
	u32 id2;		/* module_slabs: cache */
	u64 allocs;
	u64 frees;
	u64 bytes;
	u64 slab_bytes;
	u64 page_bytes;
};

/* Summed once at load from stub_slots[]; read-only afterwards. */
static struct stub_row stub_rows[T_NR][ARRAY_SIZE(stub_slots)];
static u32 stub_nr_rows[T_NR];
static u64 stub_allocs, stub_frees, stub_live, stub_tracked_bytes;
static u32 stub_nr_sites;
static size_t stub_mem_bytes;

/* ---- state, under stub_mutex ---- */

struct stub_thr {
	bool used;
	bool cache;
	bool growth;
	u64 bytes;
	char name[MODULE_NAME_LEN];
};

static DEFINE_MUTEX(stub_mutex);
/* As ot_running: control's reset and mode work only between init and exit. */
static bool stub_running;
static bool stub_sampled;
static u32 stub_sample_bytes;
static unsigned int stub_epoch;
static u64 stub_epoch_start_ns;
static struct stub_thr stub_thrs[STUB_THR_MAX];
static unsigned int stub_nr_thr;
static bool stub_slab_merge;
static struct proc_dir_entry *stub_dir;

/* ---- building the tables ---- */

static void stub_key(enum stub_table t, u32 slot, u32 *id, u32 *id2)
{
	u32 i;

	*id2 = 0;
	switch (t) {
	case T_SLABS:
		*id = stub_slots[slot].cache;
		break;
	case T_MODULES:
		*id = stub_slots[slot].mod;
		break;
	case T_CALLSITES:
		/* A call site is its symbol and module: the first slot with both. */
		for (i = 0; i < slot; i++)
			if (stub_slots[i].mod == stub_slots[slot].mod &&
			    !strcmp(stub_slots[i].site, stub_slots[slot].site))
				break;
		*id = i;
		break;
	default:
		*id = stub_slots[slot].mod;
		*id2 = stub_slots[slot].cache;
		break;
	}
}

/* Largest live bytes first, then most allocations, then the smaller key. */
static bool stub_before(const struct stub_row *a, const struct stub_row *b)
{
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes;
	if (a->allocs != b->allocs)
		return a->allocs > b->allocs;
	if (a->id != b->id)
		return a->id < b->id;
	return a->id2 < b->id2;
}

static void stub_table_build(enum stub_table t)
{
	struct stub_row *rows = stub_rows[t], *r, tmp;
	u32 i, j, n = 0, id, id2;
	u64 live, bytes;

	for (i = 0; i < ARRAY_SIZE(stub_slots); i++) {
		stub_key(t, i, &id, &id2);
		for (r = rows; r < rows + n; r++)
			if (r->id == id && r->id2 == id2)
				break;
		if (r == rows + n) {
			memset(r, 0, sizeof(*r));
			r->id = id;
			r->id2 = id2;
			n++;
		}
		live = stub_slots[i].allocs - stub_slots[i].frees;
		bytes = live * stub_slots[i].size;
		r->allocs += stub_slots[i].allocs;
		r->frees += stub_slots[i].frees;
		r->bytes += bytes;
		if (stub_caches[stub_slots[i].cache].pages)
			r->page_bytes += bytes;
		else
			r->slab_bytes += bytes;
	}
	for (i = 1; i < n; i++) {
		tmp = rows[i];
		for (j = i; j > 0 && stub_before(&tmp, &rows[j - 1]); j--)
			rows[j] = rows[j - 1];
		rows[j] = tmp;
	}
	stub_nr_rows[t] = n;
}

static void stub_tables_build(void)
{
	u32 i;

	for (i = 0; i < T_NR; i++)
		stub_table_build(i);
	for (i = 0; i < ARRAY_SIZE(stub_slots); i++) {
		stub_allocs += stub_slots[i].allocs;
		stub_frees += stub_slots[i].frees;
	}
	stub_live = stub_allocs - stub_frees;
	stub_nr_sites = stub_nr_rows[T_CALLSITES];
	for (i = 0; i < stub_nr_rows[T_MODULES]; i++)
		stub_tracked_bytes += stub_rows[T_MODULES][i].bytes;
}

/* ---- the table files ---- */

static u64 stub_live_of(const struct stub_row *r)
{
	return r->allocs - r->frees;
}

/* The module with the most live bytes in @cache, as ot_cache_top_module(). */
static const char *stub_top_module(u32 cache)
{
	const struct stub_row *r = stub_rows[T_MODULE_SLABS];
	u32 i;

	for (i = 0; i < stub_nr_rows[T_MODULE_SLABS]; i++)
		if (r[i].id2 == cache && r[i].bytes > 0)
			return stub_mods[r[i].id].name;
	return "-";
}

static void stub_show_row(struct seq_file *m, enum stub_table t, const struct stub_row *r)
{
	switch (t) {
	case T_SLABS:
		seq_printf(m, "%s %u %llu %llu %llu %llu %llu %s\n", stub_caches[r->id].name,
			   stub_caches[r->id].objsize, r->allocs, r->frees, stub_live_of(r),
			   r->bytes, r->bytes + stub_caches[r->id].peak_extra,
			   stub_top_module(r->id));
		break;
	case T_MODULES:
		seq_printf(m, "%s live %llu %llu %llu %llu %llu %llu %llu\n",
			   stub_mods[r->id].name, r->allocs, r->frees, stub_live_of(r), r->bytes,
			   r->slab_bytes, r->page_bytes, r->bytes + stub_mods[r->id].peak_extra);
		break;
	case T_CALLSITES:
		seq_printf(m, "%s %s %llu %llu %llu %llu\n", stub_slots[r->id].site,
			   stub_mods[stub_slots[r->id].mod].name, r->allocs, r->frees,
			   stub_live_of(r), r->bytes);
		break;
	default:
		if (!stub_live_of(r) && !r->bytes)
			break;
		seq_printf(m, "%s %s %llu %llu\n", stub_mods[r->id].name,
			   stub_caches[r->id2].name, stub_live_of(r), r->bytes);
		break;
	}
}

/* As ot_show_banner(). */
static void stub_show_banner(struct seq_file *m, const char *name)
{
	bool sampled;
	u32 bytes;

	mutex_lock(&stub_mutex);
	sampled = stub_sampled;
	bytes = stub_sample_bytes;
	mutex_unlock(&stub_mutex);
	seq_printf(m, "# oomtrace %s format=%d mode=%s\n", name, STUB_FORMAT,
		   sampled ? "sampled" : "exact");
	if (sampled)
		seq_printf(m, "# sample_bytes=%u\n", bytes);
}

static int stub_table_show(struct seq_file *m, void *unused)
{
	enum stub_table t = (enum stub_table)(uintptr_t)m->private;
	u32 i;

	stub_show_banner(m, stub_table_name[t]);
	seq_printf(m, "# %s\n", stub_table_cols[t]);
	for (i = 0; i < stub_nr_rows[t]; i++)
		stub_show_row(m, t, &stub_rows[t][i]);
	return 0;
}

static int stub_table_open(struct inode *inode, struct file *file)
{
	return single_open(file, stub_table_show, pde_data(inode));
}

static const struct proc_ops stub_table_ops = {
	.proc_open = stub_table_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/* ---- events: no OOM is ever recorded ---- */

static int stub_events_show(struct seq_file *m, void *unused)
{
	stub_show_banner(m, "events");
	seq_printf(m, "# max_events=%u events=0 dropped_events=0\n", max_events);
	return 0;
}

static int stub_events_open(struct inode *inode, struct file *file)
{
	return single_open(file, stub_events_show, NULL);
}

static const struct proc_ops stub_events_ops = {
	.proc_open = stub_events_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/* ---- status: the real keys, in the real order ---- */

static int stub_status_show(struct seq_file *m, void *unused)
{
	unsigned int epoch, nr_thr;
	bool sampled;
	u32 bytes;
	u64 start;

	mutex_lock(&stub_mutex);
	sampled = stub_sampled;
	bytes = stub_sample_bytes;
	epoch = stub_epoch;
	start = stub_epoch_start_ns;
	nr_thr = stub_nr_thr;
	mutex_unlock(&stub_mutex);

	seq_printf(m, "version: %s\nformat: %d\nkernel: %s\nmode: %s\nsample_bytes: %u\n",
		   OOMTRACE_VERSION, STUB_FORMAT, utsname()->release,
		   sampled ? "sampled" : "exact", bytes);
	seq_printf(m, "allocs_seen: %llu\nfrees_seen: %llu\n",
		   stub_allocs + STUB_UNTRACKED_ALLOCS, stub_frees + STUB_UNTRACKED_FREES);
	seq_printf(m, "tracking_seconds: %llu\nepoch: %u\n",
		   div_u64(ktime_get_boottime_ns() - start, NSEC_PER_SEC), epoch);
	seq_printf(m, "tracked: %llu\ncapacity: %lu\ndropped: %d\nlost_frees: %d\n",
		   stub_live, max_objects, 0, 0);
	seq_printf(m, "callsites: %u\ncallsites_capacity: %u\nslots: %zu\ncaches: %zu\nmodules: %zu\n",
		   stub_nr_sites, max_callsites, ARRAY_SIZE(stub_slots),
		   ARRAY_SIZE(stub_caches), ARRAY_SIZE(stub_mods));
	seq_printf(m, "slab_merge: %s\nwalk_depth: %u\nwalk_all: %d\nbulk_probes: %s\n",
		   stub_slab_merge ? "on" : "off", walk_depth, walk_all, "on");
	seq_printf(m, "peak_ms: %u\nmodule_bytes: %zu\n", peak_ms, stub_mem_bytes);
	seq_printf(m, "events: %d\nevents_dropped: %d\nthresholds: %u\ntracked_bytes: %llu\n",
		   0, 0, nr_thr, stub_tracked_bytes);
	seq_printf(m, "estimated: %d\nkernel_sampled: %s\nmodules_capacity: %d\n", 0, "no", 512);
	seq_printf(m, "probe_missed: %d\n", 0);
	return 0;
}

static int stub_status_open(struct inode *inode, struct file *file)
{
	return single_open(file, stub_status_show, NULL);
}

static const struct proc_ops stub_status_ops = {
	.proc_open = stub_status_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/* ---- control: module/procfs.c's parser and module/oom.c's thresholds ---- */

static int stub_parse_mode(const char *name, bool *sampled)
{
	if (!strcmp(name, "exact"))
		*sampled = false;
	else if (!strcmp(name, "sampled"))
		*sampled = true;
	else
		return -EINVAL;
	return 0;
}

/*
 * A new epoch, switching to @sampled and @bytes if @set_mode: nothing to
 * forget, and the thresholds stay armed (they never fire).
 */
static int stub_reset(bool set_mode, bool sampled, u32 bytes)
{
	int ret = -EBUSY;

	mutex_lock(&stub_mutex);
	if (stub_running) {
		if (set_mode) {
			stub_sampled = sampled;
			stub_sample_bytes = bytes;
		}
		stub_epoch++;
		stub_epoch_start_ns = ktime_get_boottime_ns();
		ret = 0;
	}
	mutex_unlock(&stub_mutex);
	return ret;
}

static int stub_mode_cmd(char *args)
{
	char *name;
	u32 bytes;
	bool sampled;

	args = skip_spaces(args);
	name = strsep(&args, " \t\n");
	args = args ? skip_spaces(args) : NULL;
	if (!name || stub_parse_mode(name, &sampled))
		return -EINVAL;
	mutex_lock(&stub_mutex);
	bytes = stub_sample_bytes;
	mutex_unlock(&stub_mutex);
	if (args && *args) {
		if (!sampled || kstrtou32(args, 10, &bytes) ||
		    bytes < STUB_SAMPLE_MIN || bytes > STUB_SAMPLE_MAX)
			return -EINVAL;
	}
	return stub_reset(true, sampled, bytes);
}

/* "123", "64K", "16M", "2G": decimal, no overflow, > 0, <= S64_MAX */
static int stub_parse_bytes(char *s, u64 *bytes)
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

/* As ot_oom_threshold_cmd(); called with stub_mutex held. */
static int stub_threshold_cmd(char *args)
{
	char *argv[5], *tok;
	struct stub_thr *th, *free = NULL;
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
		memset(stub_thrs, 0, sizeof(stub_thrs));
		stub_nr_thr = 0;
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
	if (strlen(argv[i + 1]) >= (cache ? STUB_CACHE_NAME_LEN : MODULE_NAME_LEN))
		return -EINVAL;
	if (stub_parse_bytes(argv[i + 2], &bytes))
		return -EINVAL;

	for (th = stub_thrs; th < stub_thrs + STUB_THR_MAX; th++) {
		if (!th->used) {
			free = free ?: th;
			continue;
		}
		if (th->cache == cache && th->growth == growth && th->bytes == bytes &&
		    !strcmp(th->name, argv[i + 1]))
			break;
	}
	if (th == stub_thrs + STUB_THR_MAX) {
		if (!free)
			return -ENOSPC;
		th = free;
		stub_nr_thr++;
	}
	th->used = true;
	th->cache = cache;
	th->growth = growth;
	th->bytes = bytes;
	strscpy(th->name, argv[i + 1], sizeof(th->name));
	return 0;
}

/*
 * control's "dump": a complete dump in the real format (docs/format.md), of
 * the version and the event ring's header only: nothing is tracked.
 */
static void stub_dump(void)
{
	static atomic_t seq = ATOMIC_INIT(0);
	int n = atomic_inc_return(&seq);

	pr_warn("dump %d begin format=%d reason=control rows=%u\n", n, STUB_FORMAT, dump_rows);
	pr_warn("dump %d status version: %s\n", n, OOMTRACE_VERSION);
	pr_warn("dump %d events # oomtrace events format=%d mode=exact\n", n, STUB_FORMAT);
	pr_warn("dump %d events # max_events=%u events=0 dropped_events=0\n", n, max_events);
	pr_warn("dump %d end lines=3 ns=1000\n", n);
}

static bool stub_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* As ot_cmd_clean(): @buf holds @len bytes, none of them NUL, and room for one more. */
static char *stub_cmd_clean(char *buf, size_t len)
{
	size_t i;

	while (len && stub_ws(buf[len - 1]))
		len--;
	buf[len] = '\0';
	while (stub_ws(*buf))
		buf++;
	for (i = 0; buf[i]; i++)
		if (buf[i] != '\t' && (buf[i] < 0x20 || buf[i] > 0x7e))
			return NULL;
	return buf;
}

static ssize_t stub_control_write(struct file *file, const char __user *ubuf, size_t len,
				  loff_t *off)
{
	char buf[128], *cmd;
	int ret;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	if (memchr(buf, '\0', len))
		return -EINVAL;
	cmd = stub_cmd_clean(buf, len);
	if (!cmd || !*cmd)
		return -EINVAL;
	if (!strncmp(cmd, "threshold", 9) && (!cmd[9] || isspace(cmd[9]))) {
		mutex_lock(&stub_mutex);
		ret = stub_threshold_cmd(cmd + 9);
		mutex_unlock(&stub_mutex);
		return ret ? ret : len;
	}
	if (!strncmp(cmd, "mode", 4) && (!cmd[4] || isspace(cmd[4]))) {
		ret = stub_mode_cmd(cmd + 4);
		return ret ? ret : len;
	}
	if (!strcmp(cmd, "dump")) {
		stub_dump();
		return len;
	}
	if (strcmp(cmd, "reset"))
		return -EINVAL;
	ret = stub_reset(false, false, 0);
	return ret ? ret : len;
}

static int stub_control_show(struct seq_file *m, void *unused)
{
	const struct stub_thr *th;

	seq_puts(m, "# commands: reset | mode exact | mode sampled [BYTES] | dump | threshold ...\n");
	seq_puts(m, "# commands: threshold [growth] module|cache NAME BYTES, threshold clear\n");
	mutex_lock(&stub_mutex);
	/* Nothing is tracked, so nothing ever crosses: always "armed". */
	for (th = stub_thrs; th < stub_thrs + STUB_THR_MAX; th++)
		if (th->used)
			seq_printf(m, "threshold %s%s %s %llu armed\n", th->growth ? "growth " : "",
				   th->cache ? "cache" : "module", th->name, th->bytes);
	mutex_unlock(&stub_mutex);
	return 0;
}

static int stub_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, stub_control_show, NULL);
}

static const struct proc_ops stub_control_ops = {
	.proc_open = stub_control_open,
	.proc_read = seq_read,
	.proc_write = stub_control_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/* ---- load and unload ---- */

/* The real module's ot_check_memory(): same need, same refusal. */
static int __init stub_check_memory(void)
{
	u64 need = (u64)roundup_pow_of_two(max(2 * max_objects, 8UL)) * 16;
	u64 avail = (u64)totalram_pages() << PAGE_SHIFT;

	/* sizeof(struct ot_ctr): three local64_t. */
	need += (u64)max_callsites * (nr_cpu_ids * 24 + 512);
	if (need <= avail / 4)
		return 0;
	pr_err("max_objects=%lu and max_callsites=%u need about %llu MiB: more than a quarter of this machine's %llu MiB\n",
	       max_objects, max_callsites, need >> 20, avail >> 20);
	return -ENOMEM;
}

/* The real ot_check_params(), then ot_oom_init()'s check of max_events. */
static int __init stub_check_params(void)
{
	int ret;

	if (max_objects < 1024 || max_objects > (1UL << 28)) {
		pr_err("max_objects=%lu out of range 1024..268435456\n", max_objects);
		return -EINVAL;
	}
	if (max_callsites < 1024 || max_callsites > (1U << 20)) {
		pr_err("max_callsites=%u out of range 1024..1048576\n", max_callsites);
		return -EINVAL;
	}
	if (walk_depth > 64) {
		pr_err("walk_depth=%u out of range 0..64\n", walk_depth);
		return -EINVAL;
	}
	if (peak_ms < 10 || peak_ms > 60000) {
		pr_err("peak_ms=%u out of range 10..60000\n", peak_ms);
		return -EINVAL;
	}
	if (stub_parse_mode(mode, &stub_sampled)) {
		pr_err("mode=%s is neither exact nor sampled\n", mode);
		return -EINVAL;
	}
	if (sample_bytes < STUB_SAMPLE_MIN || sample_bytes > STUB_SAMPLE_MAX) {
		pr_err("sample_bytes=%u out of range %u..%u\n", sample_bytes, STUB_SAMPLE_MIN,
		       STUB_SAMPLE_MAX);
		return -EINVAL;
	}
	if (dump_rows < 1 || dump_rows > STUB_DUMP_ROWS_MAX) {
		pr_err("dump_rows=%u out of range 1..%u\n", dump_rows, STUB_DUMP_ROWS_MAX);
		return -EINVAL;
	}
	if (probe_maxactive < 1 || probe_maxactive > 4096) {
		pr_err("probe_maxactive=%u out of range 1..4096\n", probe_maxactive);
		return -EINVAL;
	}
	stub_sample_bytes = sample_bytes;
	ret = stub_check_memory();
	if (ret)
		return ret;
	if (max_events < STUB_EVENTS_MIN || max_events > STUB_EVENTS_MAX) {
		pr_err("max_events=%u out of range %u..%u\n", max_events, STUB_EVENTS_MIN,
		       STUB_EVENTS_MAX);
		return -EINVAL;
	}
	return 0;
}

/* A map of module/map.c holding at least @min entries: 24-byte entries. */
static size_t __init stub_map_bytes(u32 min)
{
	return roundup_pow_of_two(2UL * max_t(u32, min, 16)) * 24;
}

/*
 * What the real module's ot_memory_bytes() reports for these parameters,
 * with its structs' sizes on x86-64: pointer table buckets 64 bytes, slots
 * 8, per-CPU counters 24, sites 88, the free filter 4 << 16, ot_mods 512 x 72
 * and ot_caches 1024 x 64.
 */
static size_t __init stub_module_bytes(void)
{
	size_t buckets = roundup_pow_of_two(max(2 * max_objects / 4, 2UL));
	size_t sites = max_callsites;

	return buckets * 64 + sites * 8 + stub_map_bytes(sites) + (4 << 16) +
	       (size_t)nr_cpu_ids * sites * 24 +
	       sites * 88 + 2 * stub_map_bytes(sites) +
	       512 * 72 + 1024 * 64;
}

/* module/caches.c's merge test: two identical caches come back as one. */
static void __init stub_probe_merge(void)
{
	struct kmem_cache *a, *b;

	a = kmem_cache_create("oomtrace_merge_a", 472, 0, 0, NULL);
	b = kmem_cache_create("oomtrace_merge_b", 472, 0, 0, NULL);
	stub_slab_merge = a && a == b;
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
}

static int __init stub_procfs_init(void)
{
	uintptr_t t;

	stub_dir = proc_mkdir("oomtrace", NULL);
	if (!stub_dir)
		return -ENOMEM;
	if (!proc_create("status", 0400, stub_dir, &stub_status_ops) ||
	    !proc_create("control", 0600, stub_dir, &stub_control_ops))
		goto err;
	for (t = 0; t < T_NR; t++)
		if (!proc_create_data(stub_table_name[t], 0400, stub_dir, &stub_table_ops,
				      (void *)t))
			goto err;
	if (!proc_create("events", 0400, stub_dir, &stub_events_ops))
		goto err;
	return 0;
err:
	proc_remove(stub_dir);
	return -ENOMEM;
}

static int __init stub_init(void)
{
	int ret;

	ret = stub_check_params();
	if (ret)
		return ret;
	stub_probe_merge();
	stub_tables_build();
	stub_mem_bytes = stub_module_bytes();
	stub_epoch_start_ns = ktime_get_boottime_ns();
	ret = stub_procfs_init();
	if (ret)
		return ret;
	mutex_lock(&stub_mutex);
	stub_running = true;
	mutex_unlock(&stub_mutex);
	/* Warning level: it reaches the lab's serial console, which tells a stub boot. */
	pr_warn("test stub loaded: fixed content, tracks nothing\n");
	return 0;
}

static void __exit stub_exit(void)
{
	mutex_lock(&stub_mutex);
	stub_running = false;
	mutex_unlock(&stub_mutex);
	/* Waits for running readers and writers. */
	proc_remove(stub_dir);
}

module_init(stub_init);
module_exit(stub_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("oomtrace developers");
MODULE_DESCRIPTION("oomtrace test stub: the real module's interface with fixed content, tracking nothing");
MODULE_VERSION(OOMTRACE_VERSION);
