// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the /proc/oomtrace files. docs/format.md is the contract.
 *
 * A table file aggregates once at open, into a workspace of its own, and
 * prints from it: reading never holds a lock against the hot path, and a
 * slow reader holds nothing at all.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/string.h>

#include "oomtrace.h"

enum ot_table { OT_SLABS, OT_MODULES, OT_CALLSITES, OT_MODULE_SLABS };

static const char * const ot_table_name[] = {
	[OT_SLABS] = "slabs",
	[OT_MODULES] = "modules",
	[OT_CALLSITES] = "callsites",
	[OT_MODULE_SLABS] = "module_slabs",
};

static const char * const ot_table_cols[] = {
	[OT_SLABS] = "cache objsize allocs frees live live_bytes peak_bytes top_module",
	[OT_MODULES] =
		"module state allocs frees live live_bytes slab_bytes page_bytes peak_bytes",
	[OT_CALLSITES] = "callsite module allocs frees live live_bytes",
	[OT_MODULE_SLABS] = "module cache live live_bytes",
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

static struct proc_dir_entry *ot_dir;

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
	return READ_ONCE(ot_mods[m].state) == OT_MOD_GONE ? "gone" : "live";
}

/* Build the rows of @v->t; called with ot_ctl_mutex held. */
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
		seq_printf(m, "%s %u %llu %llu %llu %lld %lld %s\n", ot_caches[r->id].name,
			   ot_caches[r->id].objsize, r->allocs, r->frees, ot_live(r), bytes,
			   max_t(s64, bytes, atomic64_read(&ot_caches[r->id].peak)),
			   top == OT_NONE ? "-" : ot_mods[top].name);
		break;
	case OT_MODULES:
		seq_printf(m, "%s %s %llu %llu %llu %lld %lld %lld %lld\n", ot_mods[r->id].name,
			   ot_mod_state(r->id), r->allocs, r->frees, ot_live(r), bytes,
			   ot_pos(r->slab_bytes), ot_pos(r->page_bytes),
			   max_t(s64, bytes, atomic64_read(&ot_mods[r->id].peak)));
		break;
	case OT_CALLSITES:
		seq_printf(m, "%s %s %llu %llu %llu %lld\n", ot_sites[r->id].sym,
			   ot_mods[ot_sites[r->id].module].name, r->allocs, r->frees,
			   ot_live(r), bytes);
		break;
	case OT_MODULE_SLABS:
		if (!ot_live(r) && !bytes)
			break;
		seq_printf(m, "%s %s %llu %lld\n", ot_mods[r->id].name,
			   ot_caches[r->id2].name, ot_live(r), bytes);
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
	seq_printf(m, "# oomtrace %s format=%d mode=%s\n", name, OOMTRACE_FORMAT,
		   sampled ? "sampled" : "exact");
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
	mutex_lock(&ot_ctl_mutex);
	v->sampled = ot_sampled;
	v->sample_bytes = ot_sample_bytes;
	ot_agg_collect(v->a);
	ot_peak_update(v->a);
	ot_view_build(v);
	mutex_unlock(&ot_ctl_mutex);

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

/* What status prints, taken at open under ot_ctl_mutex. */
struct ot_status {
	struct ot_agg *a;
	bool sampled;
	u32 sample_bytes;
	u64 allocs_seen;
	u64 frees_seen;
};

static int ot_status_show(struct seq_file *m, void *unused)
{
	struct ot_status *st = m->private;
	struct ot_agg *a = st->a;
	u64 tracked = 0;
	u32 i;

	for (i = 0; i < a->nr_mod; i++)
		tracked += ot_live(&a->mod[i]);
	seq_printf(m, "version: %s\nformat: %d\nkernel: %s\nmode: %s\nsample_bytes: %u\n",
		   OOMTRACE_VERSION, OOMTRACE_FORMAT, utsname()->release,
		   st->sampled ? "sampled" : "exact", st->sample_bytes);
	seq_printf(m, "allocs_seen: %llu\nfrees_seen: %llu\n", st->allocs_seen, st->frees_seen);
	seq_printf(m, "tracking_seconds: %llu\nepoch: %u\n",
		   div_u64(ktime_get_boottime_ns() - ot_epoch_start_ns, NSEC_PER_SEC), ot_epoch);
	seq_printf(m, "tracked: %llu\ncapacity: %lu\ndropped: %lld\nlost_frees: %lld\n",
		   tracked, ot_max_objects, atomic64_read(&ot_dropped),
		   atomic64_read(&ot_lost_frees));
	seq_printf(m, "callsites: %u\ncallsites_capacity: %u\nslots: %u\ncaches: %u\nmodules: %u\n",
		   READ_ONCE(ot_nr_sites), ot_max_sites, a->nr_slot, a->nr_cache, a->nr_mod);
	seq_printf(m, "slab_merge: %s\nwalk_depth: %u\nwalk_all: %d\nbulk_probes: %s\n",
		   ot_slab_merge ? "on" : "off", ot_walk_depth, ot_walk_all,
		   OT_HAVE_KPROBES ? "on" : "off");
	seq_printf(m, "peak_ms: %u\nmodule_bytes: %zu\n", ot_peak_ms, ot_memory_bytes());
	ot_oom_status_show(m);
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
	mutex_lock(&ot_ctl_mutex);
	st->sampled = ot_sampled;
	st->sample_bytes = ot_sample_bytes;
	ot_track_seen(&st->allocs_seen, &st->frees_seen);
	ot_agg_collect(st->a);
	mutex_unlock(&ot_ctl_mutex);
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

/* A new epoch in the given mode; -EBUSY while the module loads or unloads. */
static int ot_reset(bool sampled, u32 sample_bytes)
{
	int ret = -EBUSY;

	mutex_lock(&ot_ctl_mutex);
	if (ot_running) {
		ot_track_reset(sampled, sample_bytes);
		ot_oom_reset();
		ret = 0;
	}
	mutex_unlock(&ot_ctl_mutex);
	return ret;
}

/* "mode exact" or "mode sampled [BYTES]": a reset in the new mode. */
static int ot_mode_cmd(char *args)
{
	char *name;
	u32 bytes;
	bool sampled;

	args = skip_spaces(args);
	name = strsep(&args, " \t\n");
	args = args ? skip_spaces(args) : NULL;
	if (!name || ot_parse_mode(name, &sampled))
		return -EINVAL;
	bytes = ot_sample_bytes;
	if (args && *args) {
		if (!sampled || kstrtou32(args, 10, &bytes) ||
		    bytes < OT_SAMPLE_MIN || bytes > OT_SAMPLE_MAX)
			return -EINVAL;
	}
	return ot_reset(sampled, bytes);
}

static bool ot_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * A command is printable ASCII words separated by spaces or tabs, with white
 * space around it. Anything else (a newline inside, other control bytes,
 * bytes above 0x7e, which the kernel's isspace() would take for blanks)
 * makes it invalid. @buf holds @len bytes, none of them NUL, and room for
 * one more. Return: the command, NUL-terminated in place, or NULL.
 */
static char *ot_cmd_clean(char *buf, size_t len)
{
	size_t i;

	while (len && ot_ws(buf[len - 1]))
		len--;
	buf[len] = '\0';
	while (ot_ws(*buf))
		buf++;
	for (i = 0; buf[i]; i++)
		if (buf[i] != '\t' && (buf[i] < 0x20 || buf[i] > 0x7e))
			return NULL;
	return buf;
}

static ssize_t ot_control_write(struct file *file, const char __user *ubuf, size_t len,
				loff_t *off)
{
	char buf[128], *cmd;
	int ret;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	/* NUL bytes anywhere make the command invalid, not shorter. */
	if (memchr(buf, '\0', len))
		return -EINVAL;
	cmd = ot_cmd_clean(buf, len);
	if (!cmd || !*cmd)
		return -EINVAL;
	if (!strncmp(cmd, "threshold", 9) && (!cmd[9] || isspace(cmd[9]))) {
		mutex_lock(&ot_ctl_mutex);
		ret = ot_oom_threshold_cmd(cmd + 9);
		mutex_unlock(&ot_ctl_mutex);
		if (ret)
			return ret;
		return len;
	}
	if (!strncmp(cmd, "mode", 4) && (!cmd[4] || isspace(cmd[4]))) {
		ret = ot_mode_cmd(cmd + 4);
		return ret ? ret : len;
	}
	if (strcmp(cmd, "reset"))
		return -EINVAL;
	ret = ot_reset(ot_sampled, ot_sample_bytes);
	return ret ? ret : len;
}

static int ot_control_show(struct seq_file *m, void *unused)
{
	seq_puts(m, "# commands: reset | mode exact | mode sampled [BYTES] | threshold ...\n");
	ot_oom_control_show(m);
	return 0;
}

static int ot_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, ot_control_show, NULL);
}

static const struct proc_ops ot_control_ops = {
	.proc_open = ot_control_open,
	.proc_read = seq_read,
	.proc_write = ot_control_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/**
 * ot_procfs_init - create /proc/oomtrace and its files
 *
 * Return: 0 or -ENOMEM.
 */
int ot_procfs_init(void)
{
	uintptr_t t;

	ot_dir = proc_mkdir("oomtrace", NULL);
	if (!ot_dir)
		return -ENOMEM;
	if (!proc_create("status", 0400, ot_dir, &ot_status_ops) ||
	    !proc_create("control", 0600, ot_dir, &ot_control_ops))
		goto err;
	for (t = 0; t < ARRAY_SIZE(ot_table_name); t++)
		if (!proc_create_data(ot_table_name[t], 0400, ot_dir, &ot_table_ops, (void *)t))
			goto err;
	return 0;
err:
	proc_remove(ot_dir);
	return -ENOMEM;
}

/**
 * ot_procfs_dir - the /proc/oomtrace directory, for files of other parts
 *
 * Return: the directory entry; valid between ot_procfs_init() and exit.
 */
struct proc_dir_entry *ot_procfs_dir(void)
{
	return ot_dir;
}

/**
 * ot_procfs_exit - remove /proc/oomtrace; waits for running readers
 */
void ot_procfs_exit(void)
{
	proc_remove(ot_dir);
}
