// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: /proc/oomtrace/status, one "key: value" per line
 * (docs/format.md). Taken at open, under the control mutex.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/utsname.h>

#include "format.h"
#include "control.h"

struct ot_status {
	struct ot_agg *a;
	bool sampled;
	u32 sample_bytes;
	u64 allocs_seen;
	u64 frees_seen;
};

static void ot_status_tables(struct seq_file *m, const struct ot_status *st)
{
	const struct ot_config *cfg = ot_config();
	const struct ot_agg *a = st->a;
	u64 tracked = 0;
	u32 i;

	for (i = 0; i < a->nr_mod; i++)
		tracked += ot_live(&a->mod[i]);
	seq_printf(m, "tracked: %llu\ncapacity: %lu\ndropped: %lld\nlost_frees: %lld\n",
		   tracked, cfg->max_objects, ot_track_dropped(), ot_track_lost_frees());
	seq_printf(m, "callsites: %u\ncallsites_capacity: %u\nslots: %u\ncaches: %u\nmodules: %u\n",
		   ot_sites_nr(), cfg->max_sites, a->nr_slot, a->nr_cache, a->nr_mod);
	seq_printf(m, "slab_merge: %s\nwalk_depth: %u\nwalk_all: %d\nbulk_probes: %s\n",
		   ot_slab_merge() ? "on" : "off", ot_walk_depth(), ot_walk_all(),
		   OT_HAVE_KPROBES ? "on" : "off");
	seq_printf(m, "peak_ms: %u\nmodule_bytes: %zu\n", cfg->peak_ms, cfg->module_bytes);
}

static int ot_status_show(struct seq_file *m, void *unused)
{
	const struct ot_status *st = m->private;
	u64 nr = ot_events_nr();

	seq_printf(m, "version: %s\nformat: %d\nkernel: %s\nmode: %s\nsample_bytes: %u\n",
		   OOMTRACE_VERSION, OT_FORMAT, utsname()->release,
		   st->sampled ? OT_MODE_SAMPLED : OT_MODE_EXACT, st->sample_bytes);
	seq_printf(m, "allocs_seen: %llu\nfrees_seen: %llu\n", st->allocs_seen, st->frees_seen);
	seq_printf(m, "tracking_seconds: %llu\nepoch: %u\n",
		   div_u64(ktime_get_boottime_ns() - ot_epoch_start_ns(), NSEC_PER_SEC),
		   ot_epoch());
	ot_status_tables(m, st);
	seq_printf(m, "events: %llu\nevents_dropped: %llu\nthresholds: %u\n", nr,
		   nr > ot_events_max() ? nr - ot_events_max() : 0, ot_thresholds_nr());
	return 0;
}

static int ot_status_open(struct inode *inode, struct file *file)
{
	struct ot_status *st = kzalloc(sizeof(*st), GFP_KERNEL);
	int ret;

	if (!st)
		return -ENOMEM;
	st->a = ot_agg_alloc();
	if (!st->a) {
		kfree(st);
		return -ENOMEM;
	}
	ot_ctl_lock();
	st->sampled = ot_track_sampled();
	st->sample_bytes = ot_track_sample_bytes();
	ot_track_seen(&st->allocs_seen, &st->frees_seen);
	ot_agg_collect(st->a);
	ot_ctl_unlock();
	ret = single_open(file, ot_status_show, st);
	if (ret) {
		ot_agg_free(st->a);
		kfree(st);
	}
	return ret;
}

static int ot_status_release(struct inode *inode, struct file *file)
{
	struct ot_status *st = ((struct seq_file *)file->private_data)->private;

	ot_agg_free(st->a);
	kfree(st);
	return single_release(inode, file);
}

static const struct proc_ops ot_status_ops = {
	.proc_open = ot_status_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = ot_status_release,
};

/**
 * ot_status_file - create /proc/oomtrace/status
 * @dir: /proc/oomtrace
 *
 * Return: 0 or -ENOMEM.
 */
int ot_status_file(struct proc_dir_entry *dir)
{
	return proc_create(OT_FILE_STATUS, 0400, dir, &ot_status_ops) ? 0 : -ENOMEM;
}
