// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: /proc/oomtrace/status, one "key: value" per line
 * (docs/format.md; views.c writes the text). Taken at open, under the
 * control mutex.
 */
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "format.h"
#include "control.h"

static int ot_status_show(struct seq_file *m, void *unused)
{
	ot_status_print(m->private, ot_seq_emit, m);
	return 0;
}

static int ot_status_open(struct inode *inode, struct file *file)
{
	struct ot_status_info *st = kzalloc(sizeof(*st), GFP_KERNEL);
	struct ot_agg *a = ot_agg_alloc();
	int ret;

	if (!st || !a) {
		ot_agg_free(a);
		kfree(st);
		return -ENOMEM;
	}
	ot_ctl_lock();
	ot_agg_collect(a);
	ot_status_fill(st, a, ot_config());
	ot_ctl_unlock();
	ret = single_open(file, ot_status_show, st);
	if (ret) {
		ot_agg_free(a);
		kfree(st);
	}
	return ret;
}

static int ot_status_release(struct inode *inode, struct file *file)
{
	struct ot_status_info *st = ((struct seq_file *)file->private_data)->private;

	ot_agg_free((struct ot_agg *)st->a);
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
