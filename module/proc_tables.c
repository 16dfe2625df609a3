// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: /proc/oomtrace and its table files (slabs, modules, callsites,
 * module_slabs). docs/format.md is the contract.
 *
 * A table file aggregates once at open, into a workspace of its own, and
 * prints from it: reading never holds a lock against the hot path, and a
 * slow reader holds nothing at all.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "format.h"
#include "control.h"

enum ot_table { OT_SLABS, OT_MODULES, OT_CALLSITES, OT_MODULE_SLABS };

static const char * const ot_table_name[] = {
	[OT_SLABS] = OT_FILE_SLABS,
	[OT_MODULES] = OT_FILE_MODULES,
	[OT_CALLSITES] = OT_FILE_CALLSITES,
	[OT_MODULE_SLABS] = OT_FILE_MODULE_SLABS,
};

static const char * const ot_table_cols[] = {
	[OT_SLABS] = OT_COLS_SLABS,
	[OT_MODULES] = OT_COLS_MODULES,
	[OT_CALLSITES] = OT_COLS_CALLSITES,
	[OT_MODULE_SLABS] = OT_COLS_MODULE_SLABS,
};

struct ot_view {
	struct ot_agg *a;
	enum ot_table t;
	bool sampled;
	u32 sample_bytes;
	struct ot_row *rows;
	u32 n;
	u32 n_mc;		/* (module, cache) rows in a->site, for top_module */
};

static s64 ot_pos(s64 v)
{
	return v > 0 ? v : 0;
}

static bool ot_row_active(const struct ot_row *r)
{
	return r->allocs || r->frees;
}

static const char *ot_mod_state(u32 m)
{
	return ot_mod_gone(m) ? OT_STATE_GONE : OT_STATE_LIVE;
}

/* Build the rows of @v->t; called with the control mutex held. */
static void ot_view_build(struct ot_view *v)
{
	struct ot_agg *a = v->a;
	u32 i, n = 0;

	switch (v->t) {
	case OT_MODULES:
		for (i = 0; i < a->nr_mod; i++) {
			if (!ot_row_active(&a->mod[i]))
				continue;
			a->site[n] = a->mod[i];
			a->site[n++].id = i;
		}
		ot_agg_sort(a->site, n);
		v->rows = a->site;
		break;
	case OT_SLABS:
		v->n_mc = ot_agg_mod_cache(a);
		/* Slot rows are consumed: reuse them for the cache rows. */
		for (i = 0; i < a->nr_cache; i++) {
			if (a->cache_canon[i] != i || !ot_row_active(&a->cache[i]))
				continue;
			a->slot[n] = a->cache[i];
			a->slot[n++].id = i;
		}
		ot_agg_sort(a->slot, n);
		v->rows = a->slot;
		break;
	case OT_CALLSITES:
		n = ot_agg_sites(a);
		v->rows = a->site;
		break;
	case OT_MODULE_SLABS:
		n = ot_agg_mod_cache(a);
		v->rows = a->site;
		break;
	}
	v->n = n;
}

static void ot_show_row(struct seq_file *m, const struct ot_view *v, const struct ot_row *r)
{
	const struct ot_agg *a = v->a;
	s64 bytes = ot_pos(r->bytes);
	u32 top;

	switch (v->t) {
	case OT_SLABS:
		top = ot_cache_top_module(a, v->n_mc, r->id);
		seq_printf(m, "%s %u %llu %llu %llu %lld %lld %s\n", ot_cache_name(r->id),
			   ot_cache_objsize(r->id), r->allocs, r->frees, ot_live(r), bytes,
			   max_t(s64, bytes, ot_peak_cache(r->id)),
			   top == OT_NONE ? OT_NAME_NONE : ot_mod_name(top));
		break;
	case OT_MODULES:
		seq_printf(m, "%s %s %llu %llu %llu %lld %lld %lld %lld\n", ot_mod_name(r->id),
			   ot_mod_state(r->id), r->allocs, r->frees, ot_live(r), bytes,
			   ot_pos(r->slab_bytes), ot_pos(r->page_bytes),
			   max_t(s64, bytes, ot_peak_mod(r->id)));
		break;
	case OT_CALLSITES:
		seq_printf(m, "%s %s %llu %llu %llu %lld\n", ot_site_sym(r->id),
			   ot_mod_name(ot_site_module(r->id)), r->allocs, r->frees,
			   ot_live(r), bytes);
		break;
	case OT_MODULE_SLABS:
		if (!ot_live(r) && !bytes)
			break;
		seq_printf(m, "%s %s %llu %lld\n", ot_mod_name(r->id),
			   ot_cache_name(r->id2), ot_live(r), bytes);
		break;
	}
}

/**
 * ot_show_banner - the first line(s) of a /proc/oomtrace table file
 * @m: the file
 * @name: its name
 * @sampled: the mode its numbers were made in
 * @sample_bytes: the sampling period, if @sampled
 */
void ot_show_banner(struct seq_file *m, const char *name, bool sampled, u32 sample_bytes)
{
	seq_printf(m, "# oomtrace %s format=%d mode=%s\n", name, OT_FORMAT,
		   sampled ? OT_MODE_SAMPLED : OT_MODE_EXACT);
	if (sampled)
		seq_printf(m, "# sample_bytes=%u\n", sample_bytes);
}

static int ot_table_show(struct seq_file *m, void *unused)
{
	const struct ot_view *v = m->private;
	u32 i;

	ot_show_banner(m, ot_table_name[v->t], v->sampled, v->sample_bytes);
	seq_printf(m, "# %s\n", ot_table_cols[v->t]);
	for (i = 0; i < v->n; i++)
		ot_show_row(m, v, &v->rows[i]);
	return 0;
}

static int ot_table_open(struct inode *inode, struct file *file)
{
	struct ot_view *v = kzalloc(sizeof(*v), GFP_KERNEL);
	int ret;

	if (!v)
		return -ENOMEM;
	v->t = (enum ot_table)(uintptr_t)pde_data(inode);
	v->a = ot_agg_alloc();
	if (!v->a) {
		kfree(v);
		return -ENOMEM;
	}
	ot_ctl_lock();
	v->sampled = ot_track_sampled();
	v->sample_bytes = ot_track_sample_bytes();
	ot_agg_collect(v->a);
	ot_peaks_update(v->a);
	ot_view_build(v);
	ot_ctl_unlock();

	/* Sized up front: seq_file would otherwise print everything twice. */
	ret = single_open_size(file, ot_table_show, v, (v->n + 4) * 160);
	if (ret) {
		ot_agg_free(v->a);
		kfree(v);
	}
	return ret;
}

static int ot_table_release(struct inode *inode, struct file *file)
{
	struct ot_view *v = ((struct seq_file *)file->private_data)->private;

	ot_agg_free(v->a);
	kfree(v);
	return single_release(inode, file);
}

static const struct proc_ops ot_table_ops = {
	.proc_open = ot_table_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = ot_table_release,
};

/**
 * ot_tables_files - create the table files
 * @dir: /proc/oomtrace
 *
 * Return: 0 or -ENOMEM.
 */
int ot_tables_files(struct proc_dir_entry *dir)
{
	uintptr_t t;

	for (t = 0; t < ARRAY_SIZE(ot_table_name); t++)
		if (!proc_create_data(ot_table_name[t], 0400, dir, &ot_table_ops, (void *)t))
			return -ENOMEM;
	return 0;
}

/**
 * ot_procfs_init - create the /proc/oomtrace directory
 *
 * Return: the directory, or NULL.
 */
struct proc_dir_entry *ot_procfs_init(void)
{
	return proc_mkdir(OT_PROC_DIR, NULL);
}

/**
 * ot_procfs_exit - remove /proc/oomtrace with its files; waits for running
 * readers
 * @dir: the directory
 */
void ot_procfs_exit(struct proc_dir_entry *dir)
{
	proc_remove(dir);
}
