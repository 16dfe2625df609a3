// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: /proc/oomtrace and its table files (slabs, modules, callsites,
 * module_slabs). docs/format.md is the contract; views.c writes the text.
 *
 * A table file aggregates once at open, into a workspace of its own, and
 * prints from it: reading never holds a lock against the hot path, and a
 * slow reader holds nothing at all.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "format.h"
#include "control.h"

/**
 * ot_seq_emit - an ot_emit_fn writing lines into a seq_file
 * @m: the seq_file
 * @line: a line, without its newline
 * @len: its length
 */
void ot_seq_emit(void *m, const char *line, size_t len)
{
	seq_write(m, line, len);
	seq_putc(m, '\n');
}

static int ot_table_show(struct seq_file *m, void *unused)
{
	ot_view_print(m->private, U32_MAX, ot_seq_emit, m);
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
	ot_track_sum(&v->ts);
	ot_agg_collect(v->a);
	ot_peaks_update(v->a);
	ot_view_build(v);
	ot_ctl_unlock();

	/* Sized up front: seq_file would otherwise print everything twice. */
	ret = ot_single_open_size(file, ot_table_show, v, (v->n + 4) * 160);
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

	for (t = 0; t < OT_NR_TABLES; t++)
		if (!proc_create_data(ot_table_name(t), 0400, dir, &ot_table_ops, (void *)t))
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
