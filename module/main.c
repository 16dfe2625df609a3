// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: which module and which slab cache is eating the memory.
 *
 * Module entry and exit, and every module parameter: checked here, handed
 * down to the layers at init (docs/design.md draws them). Init builds the
 * layers bottom up and attaches the probes last; exit detaches them first
 * and takes the layers down top down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>

#include "format.h"
#include "control.h"

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

static char *mode = OT_MODE_EXACT;
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "exact (default: every allocation) or sampled (see sample_bytes)");

static unsigned int sample_bytes = 65536;
module_param(sample_bytes, uint, 0444);
MODULE_PARM_DESC(sample_bytes,
		 "sampled mode: one allocation tracked per this many bytes on average, 4096..4194304 (default 65536)");

static unsigned int max_events = 64;
module_param(max_events, uint, 0444);
MODULE_PARM_DESC(max_events,
		 "OOM events kept in /proc/oomtrace/events, 2..4096 (default 64); the first one is always kept");

static unsigned int dump_rows = 10;
module_param(dump_rows, uint, 0444);
MODULE_PARM_DESC(dump_rows,
		 "rows of each table in the kernel log dump (panic, OOM, control's dump), 1..100 (default 10)");

static unsigned int probe_maxactive = 64;
module_param(probe_maxactive, uint, 0444);
MODULE_PARM_DESC(probe_maxactive,
		 "calls of a kretprobed function (bulk allocation, alloc_pages_exact) in flight at once that are counted, 1..4096 (default 64); more are missed and counted (status: probe_missed)");

static struct ot_config ot_cfg;
static struct proc_dir_entry *ot_dir;

/* Everything oomtrace holds for its tables and resident workspaces. */
static size_t ot_memory_bytes(const struct ot_config *c)
{
	return ot_track_bytes(c->max_objects) + ot_slots_bytes(c->max_sites) +
	       ot_sites_bytes(c->max_sites) + ot_mods_bytes() + ot_caches_bytes() +
	       ot_peaks_bytes() + ot_events_bytes(c->max_events) +
	       2 * ot_agg_bytes(c->max_sites) + ot_dump_bytes(c);
}

/*
 * In range is not always affordable: max_objects=268435456 needs 8 GiB.
 * Refuse tables (and the readers' workspaces, which grow with
 * max_callsites) beyond a quarter of the machine's memory with a message,
 * before allocating anything: an attempt would end in an allocation splat
 * or in the OOM killer shooting insmod.
 */
static int __init ot_check_memory(const struct ot_config *c)
{
	/* The resident tables and workspaces, and one reader's. */
	u64 need = ot_memory_bytes(c) + ot_agg_bytes(c->max_sites);
	u64 avail = (u64)totalram_pages() << PAGE_SHIFT;

	if (need <= avail / 4)
		return 0;
	pr_err("max_objects=%lu and max_callsites=%u need about %llu MiB: more than a quarter of this machine's %llu MiB\n",
	       c->max_objects, c->max_sites, need >> 20, avail >> 20);
	return -ENOMEM;
}

static int __init ot_check_ranges(void)
{
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
	if (ot_parse_mode(mode, &ot_cfg.sampled)) {
		pr_err("mode=%s is neither exact nor sampled\n", mode);
		return -EINVAL;
	}
	if (sample_bytes < OT_SAMPLE_MIN || sample_bytes > OT_SAMPLE_MAX) {
		pr_err("sample_bytes=%u out of range %u..%u\n", sample_bytes, OT_SAMPLE_MIN,
		       OT_SAMPLE_MAX);
		return -EINVAL;
	}
	if (dump_rows < 1 || dump_rows > OT_DUMP_ROWS_MAX) {
		pr_err("dump_rows=%u out of range 1..%u\n", dump_rows, OT_DUMP_ROWS_MAX);
		return -EINVAL;
	}
	if (probe_maxactive < 1 || probe_maxactive > 4096) {
		pr_err("probe_maxactive=%u out of range 1..4096\n", probe_maxactive);
		return -EINVAL;
	}
	return 0;
}

/* The parameters, checked, into ot_cfg. */
static int __init ot_check_params(void)
{
	int ret = ot_check_ranges();

	if (ret)
		return ret;
	ot_cfg.max_objects = max_objects;
	ot_cfg.max_sites = max_callsites;
	ot_cfg.walk_depth = walk_depth;
	ot_cfg.walk_all = walk_all;
	ot_cfg.peak_ms = peak_ms;
	ot_cfg.sample_bytes = sample_bytes;
	ot_cfg.max_events = max_events;
	ot_cfg.dump_rows = dump_rows;
	ot_cfg.maxactive = probe_maxactive;
	ret = ot_check_memory(&ot_cfg);
	if (ret)
		return ret;
	if (max_events < OT_EVENTS_MIN || max_events > OT_EVENTS_MAX) {
		pr_err("max_events=%u out of range %u..%u\n", max_events, OT_EVENTS_MIN,
		       OT_EVENTS_MAX);
		return -EINVAL;
	}
	ot_cfg.module_bytes = ot_memory_bytes(&ot_cfg);
	return 0;
}

/* The identity tables, the slots and the pointer table, bottom up. */
static int __init ot_tables_init(const struct ot_config *c)
{
	int ret;

	ot_mods_init();
	ot_walk_init(c->walk_depth, c->walk_all);
	ret = ot_sites_init(c->max_sites);
	if (ret)
		return ret;
	ret = ot_caches_init();
	if (ret)
		goto err_sites;
	ret = ot_slots_init(c->max_sites);
	if (ret)
		goto err_caches;
	ret = ot_track_init(c->max_objects, c->sampled, c->sample_bytes);
	if (ret)
		goto err_slots;
	ot_agg_init(c->max_sites);
	ret = ot_events_init(c->max_events);
	if (ret)
		goto err_track;
	return 0;

err_track:
	ot_track_exit();
err_slots:
	ot_slots_exit();
err_caches:
	ot_caches_exit();
err_sites:
	ot_sites_exit();
	return ret;
}

/* What ot_tables_init() built, top down. */
static void ot_tables_exit(void)
{
	ot_events_exit();
	ot_track_exit();
	ot_slots_exit();
	ot_caches_exit();
	ot_sites_exit();
}

/* /proc/oomtrace and its files. */
static int __init ot_files_init(void)
{
	ot_dir = ot_procfs_init();
	if (!ot_dir)
		return -ENOMEM;
	if (ot_status_file(ot_dir) || ot_control_file(ot_dir) || ot_tables_files(ot_dir) ||
	    ot_events_file(ot_dir)) {
		ot_procfs_exit(ot_dir);
		return -ENOMEM;
	}
	return 0;
}

static int __init oomtrace_init(void)
{
	int ret;

	ret = ot_check_params();
	if (ret)
		return ret;
	ret = ot_tables_init(&ot_cfg);
	if (ret)
		return ret;
	ret = ot_modwatch_init();
	if (ret)
		goto err_tables;
	ret = ot_sampler_start(ot_cfg.peak_ms);
	if (ret)
		goto err_modwatch;
	ret = ot_files_init();
	if (ret)
		goto err_sampler;
	ret = ot_dump_init(&ot_cfg);
	if (ret)
		goto err_files;
	ret = ot_oom_init();
	if (ret)
		goto err_dump;
	ret = ot_control_start(&ot_cfg);
	if (ret)
		goto err_oom;
	pr_info("tracking allocations (%s mode): %lu objects, %u call sites, %zu KiB\n",
		ot_cfg.sampled ? OT_MODE_SAMPLED : OT_MODE_EXACT, ot_cfg.max_objects,
		ot_cfg.max_sites, ot_cfg.module_bytes >> 10);
	return 0;

err_oom:
	ot_oom_exit();
err_dump:
	ot_dump_exit();
err_files:
	ot_procfs_exit(ot_dir);
err_sampler:
	ot_sampler_stop();
err_modwatch:
	ot_modwatch_exit();
err_tables:
	ot_tables_exit();
	return ret;
}

static void __exit oomtrace_exit(void)
{
	/* Probes first: nothing may touch the tables once they are freed. */
	ot_control_stop();
	ot_oom_exit();
	ot_dump_exit();
	ot_procfs_exit(ot_dir);
	ot_sampler_stop();
	/* Then the module notifier, which retires sites and slots in them. */
	ot_modwatch_exit();
	ot_tables_exit();
}

module_init(oomtrace_init);
module_exit(oomtrace_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("oomtrace developers");
MODULE_DESCRIPTION("Per-module and per-slab-cache memory accounting up to the OOM killer");
MODULE_VERSION(OOMTRACE_VERSION);
