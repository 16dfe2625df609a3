// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: which module and which slab cache is eating the memory.
 *
 * Module entry and exit only; see oomtrace.h for how the files fit together.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>

#include "oomtrace.h"

/* Serialises control writes, reset and table reads against each other. */
DEFINE_MUTEX(ot_ctl_mutex);
/*
 * The probes are attached, under ot_ctl_mutex. control exists from the
 * middle of init to the middle of exit: a reset outside that window would
 * attach probes that init attaches again, or that exit has just detached.
 */
bool ot_running;

static unsigned long max_objects = 1UL << 20;
module_param(max_objects, ulong, 0444);
MODULE_PARM_DESC(max_objects,
		 "objects the pointer table is sized for, 1024..268435456 (default 1048576: 32 MiB); more are dropped and counted");

static unsigned int max_callsites = 8192;
module_param(max_callsites, uint, 0444);
MODULE_PARM_DESC(max_callsites,
		 "distinct call sites and (call site, cache) pairs tracked, 1024..1048576 (default 8192)");

unsigned int ot_walk_depth = 24;
module_param_named(walk_depth, ot_walk_depth, uint, 0444);
MODULE_PARM_DESC(walk_depth,
		 "stack frames searched for the owning module behind core helpers, 0..64 (default 24; 0: call site only)");

bool ot_walk_all;
module_param_named(walk_all, ot_walk_all, bool, 0444);
MODULE_PARM_DESC(walk_all,
		 "walk the stack for every core-kernel call site, not only known helpers (slow; default 0)");

module_param_named(peak_ms, ot_peak_ms, uint, 0444);
MODULE_PARM_DESC(peak_ms, "interval of the peak_bytes samples in ms, 10..60000 (default 100)");

static char *mode = "exact";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "exact (default: every allocation) or sampled (see sample_bytes)");

static unsigned int sample_bytes = 65536;
module_param(sample_bytes, uint, 0444);
MODULE_PARM_DESC(sample_bytes,
		 "sampled mode: one allocation tracked per this many bytes on average, 4096..4194304 (default 65536)");

/*
 * In range is not always affordable: max_objects=268435456 needs 8 GiB.
 * Refuse tables (and the readers' workspaces, which grow with
 * max_callsites) beyond a quarter of the machine's memory with a message,
 * before allocating anything: an attempt would end in an allocation splat
 * or in the OOM killer shooting insmod.
 */
static int __init ot_check_memory(void)
{
	/* Pointer table: 16-byte entries, twice max_objects (two-choice headroom). */
	u64 need = (u64)roundup_pow_of_two(max(2 * ot_max_objects, 8UL)) * 16;
	u64 avail = (u64)totalram_pages() << PAGE_SHIFT;

	/* Per call site: counters per CPU, tables, maps, three workspaces. */
	need += (u64)ot_max_sites * (nr_cpu_ids * sizeof(struct ot_ctr) + 512);
	if (need <= avail / 4)
		return 0;
	pr_err("max_objects=%lu and max_callsites=%u need about %llu MiB: more than a quarter of this machine's %llu MiB\n",
	       ot_max_objects, ot_max_sites, need >> 20, avail >> 20);
	return -ENOMEM;
}

static int __init ot_check_params(void)
{
	if (max_objects < 1024 || max_objects > (1UL << 28)) {
		pr_err("max_objects=%lu out of range 1024..268435456\n", max_objects);
		return -EINVAL;
	}
	if (max_callsites < 1024 || max_callsites > (1U << 20)) {
		pr_err("max_callsites=%u out of range 1024..1048576\n", max_callsites);
		return -EINVAL;
	}
	if (ot_walk_depth > 64) {
		pr_err("walk_depth=%u out of range 0..64\n", ot_walk_depth);
		return -EINVAL;
	}
	if (ot_peak_ms < 10 || ot_peak_ms > 60000) {
		pr_err("peak_ms=%u out of range 10..60000\n", ot_peak_ms);
		return -EINVAL;
	}
	if (ot_parse_mode(mode, &ot_sampled)) {
		pr_err("mode=%s is neither exact nor sampled\n", mode);
		return -EINVAL;
	}
	if (sample_bytes < OT_SAMPLE_MIN || sample_bytes > OT_SAMPLE_MAX) {
		pr_err("sample_bytes=%u out of range %u..%u\n", sample_bytes, OT_SAMPLE_MIN,
		       OT_SAMPLE_MAX);
		return -EINVAL;
	}
	ot_max_objects = max_objects;
	ot_max_sites = max_callsites;
	ot_sample_bytes = sample_bytes;
	return ot_check_memory();
}

/**
 * ot_parse_mode - parse a tracking mode name
 * @name: "exact" or "sampled"
 * @sampled: set to whether @name is the sampled mode
 *
 * Return: 0, or -EINVAL for any other name (@sampled is then unchanged).
 */
int ot_parse_mode(const char *name, bool *sampled)
{
	if (!strcmp(name, "exact"))
		*sampled = false;
	else if (!strcmp(name, "sampled"))
		*sampled = true;
	else
		return -EINVAL;
	return 0;
}

/**
 * ot_memory_bytes - memory oomtrace holds for its tables
 *
 * Return: bytes.
 */
size_t ot_memory_bytes(void)
{
	return ot_track_bytes() + ot_sites_bytes() + sizeof(ot_mods) + sizeof(ot_caches);
}

static int __init oomtrace_init(void)
{
	int ret;

	ret = ot_check_params();
	if (ret)
		return ret;
	ret = ot_sites_init();
	if (ret)
		return ret;
	ret = ot_caches_init();
	if (ret)
		goto err_sites;
	ret = ot_track_init();
	if (ret)
		goto err_caches;
	ret = ot_peak_start();
	if (ret)
		goto err_track;
	ret = ot_procfs_init();
	if (ret)
		goto err_peak;
	ret = ot_oom_init();
	if (ret)
		goto err_procfs;
	mutex_lock(&ot_ctl_mutex);
	ret = ot_kprobes_start();
	if (!ret) {
		ret = ot_track_start();
		if (ret)
			ot_kprobes_stop();
	}
	ot_running = !ret;
	mutex_unlock(&ot_ctl_mutex);
	if (ret)
		goto err_oom;
	pr_info("tracking allocations (%s mode): %lu objects, %u call sites, %zu KiB\n",
		ot_sampled ? "sampled" : "exact", ot_max_objects, ot_max_sites,
		ot_memory_bytes() >> 10);
	return 0;

err_oom:
	ot_oom_exit();
err_procfs:
	ot_procfs_exit();
err_peak:
	ot_peak_stop();
err_track:
	ot_track_exit();
err_caches:
	ot_caches_exit();
err_sites:
	ot_sites_exit();
	return ret;
}

static void __exit oomtrace_exit(void)
{
	/* Probes first: nothing may touch the tables once they are freed. */
	mutex_lock(&ot_ctl_mutex);
	ot_running = false;
	ot_track_stop();
	ot_kprobes_stop();
	mutex_unlock(&ot_ctl_mutex);
	ot_oom_exit();
	ot_procfs_exit();
	ot_peak_stop();
	ot_track_exit();
	ot_caches_exit();
	ot_sites_exit();
}

module_init(oomtrace_init);
module_exit(oomtrace_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("oomtrace developers");
MODULE_DESCRIPTION("Per-module and per-slab-cache memory accounting up to the OOM killer");
MODULE_VERSION(OOMTRACE_VERSION);
