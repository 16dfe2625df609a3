// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: /proc/oomtrace/events, the OOM event ring (docs/format.md).
 * Copied at open under the control mutex: events are cleared by every mode
 * change, so they are in the mode the banner says.
 */
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "format.h"
#include "control.h"

struct ot_ev_view {
	u32 n;
	u64 nr;
	struct ot_track_sum ts;
	struct ot_oom_event ev[];
};

static int ot_events_show(struct seq_file *m, void *unused)
{
	const struct ot_ev_view *v = m->private;
	u64 prev = 0;
	u32 i;

	ot_banner_print(OT_FILE_EVENTS, &v->ts, ot_seq_emit, m);
	seq_printf(m, "# max_events=%u events=%llu dropped_events=%llu\n", ot_events_max(),
		   v->nr, v->nr - v->n);
	ot_partial_print(&v->ts, ot_seq_emit, m);
	for (i = 0; i < v->n; i++) {
		ot_event_print(&v->ev[i], prev, OT_OOM_TOP, ot_seq_emit, m);
		prev = v->ev[i].seq;
	}
	return 0;
}

static int ot_events_open(struct inode *inode, struct file *file)
{
	struct ot_ev_view *v = ot_kvmalloc_array(1, struct_size(v, ev, ot_events_max()),
						 GFP_KERNEL);
	int ret;

	if (!v)
		return -ENOMEM;
	ot_ctl_lock();
	ot_track_sum(&v->ts);
	v->n = ot_events_copy(v->ev, &v->nr);
	ot_ctl_unlock();

	ret = ot_single_open_size(file, ot_events_show, v,
				  256 + v->n * (400 + 2 * OT_OOM_TOP * (OT_SYM_LEN + 64)));
	if (ret)
		kvfree(v);
	return ret;
}

static int ot_events_release(struct inode *inode, struct file *file)
{
	kvfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

static const struct proc_ops ot_events_ops = {
	.proc_open = ot_events_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = ot_events_release,
};

/**
 * ot_events_file - create /proc/oomtrace/events
 * @dir: /proc/oomtrace
 *
 * Return: 0 or -ENOMEM.
 */
int ot_events_file(struct proc_dir_entry *dir)
{
	return proc_create(OT_FILE_EVENTS, 0400, dir, &ot_events_ops) ? 0 : -ENOMEM;
}
