// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: control. The mutex every whole-table operation takes, the
 * state the probes are in, a reset and its order, and /proc/oomtrace/control
 * with its command parser (docs/format.md is the contract).
 *
 * The probes are attached, and resets allowed, only between
 * ot_control_start() and ot_control_stop(): control exists from the middle
 * of init to the middle of exit, and a reset outside that window would
 * attach probes that init attaches again, or that exit has just detached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "format.h"
#include "control.h"

static DEFINE_MUTEX(ot_ctl_mutex);
static bool ot_running;		/* probes attached; under ot_ctl_mutex */
static struct ot_config ot_cfg;

/**
 * ot_ctl_lock - take the control mutex
 */
void ot_ctl_lock(void)
{
	mutex_lock(&ot_ctl_mutex);
}

/**
 * ot_ctl_unlock - release the control mutex
 */
void ot_ctl_unlock(void)
{
	mutex_unlock(&ot_ctl_mutex);
}

/**
 * ot_config - the parameters oomtrace was loaded with
 *
 * Return: them (mode and sample_bytes as at load).
 */
const struct ot_config *ot_config(void)
{
	return &ot_cfg;
}

/* Probes on, frees before allocations; ot_ctl_mutex held. */
static int ot_probes_start(void)
{
	int ret;

	/* Optional: what cannot be attached is said in status. */
	ot_kprobes_start(ot_cfg.maxactive);
	ret = ot_track_start();
	if (ret)
		ot_kprobes_stop();
	return ret;
}

/* Probes off, allocations before frees; ot_ctl_mutex held. */
static void ot_probes_stop(void)
{
	ot_track_stop();
	ot_kprobes_stop();
}

/*
 * A new epoch in the given mode; ot_ctl_mutex held, ot_running. The probes
 * are detached meanwhile, so the tables can be cleared and the mode changed
 * without racing the hot path.
 */
static void ot_reset_locked(bool sampled, u32 sample_bytes)
{
	ot_probes_stop();
	/* Tables, counters, peaks and events at once, as the OOM path sees them. */
	ot_oom_reset(sampled, sample_bytes);
	ot_thresholds_rearm();
	if (ot_track_start()) {
		pr_err("reset: tracepoints could not be attached again\n");
		return;
	}
	ot_kprobes_start(ot_cfg.maxactive);
}

/* A reset; -EBUSY while the module loads or unloads. */
static int ot_reset(bool sampled, u32 sample_bytes)
{
	int ret = -EBUSY;

	mutex_lock(&ot_ctl_mutex);
	if (ot_running) {
		ot_reset_locked(sampled, sample_bytes);
		ret = 0;
	}
	mutex_unlock(&ot_ctl_mutex);
	return ret;
}

/**
 * ot_control_start - attach the probes: tracking starts
 * @cfg: the parameters (copied)
 *
 * Return: 0 or a negative errno; on error nothing stays attached.
 */
int ot_control_start(const struct ot_config *cfg)
{
	int ret;

	mutex_lock(&ot_ctl_mutex);
	ot_cfg = *cfg;
	ret = ot_probes_start();
	ot_running = !ret;
	mutex_unlock(&ot_ctl_mutex);
	return ret;
}

/**
 * ot_control_stop - detach the probes; returns once none runs
 */
void ot_control_stop(void)
{
	mutex_lock(&ot_ctl_mutex);
	ot_running = false;
	ot_probes_stop();
	mutex_unlock(&ot_ctl_mutex);
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
	if (!strcmp(name, OT_MODE_EXACT))
		*sampled = false;
	else if (!strcmp(name, OT_MODE_SAMPLED))
		*sampled = true;
	else
		return -EINVAL;
	return 0;
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
	bytes = ot_track_sample_bytes();
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

/* Whether @cmd is the word @word, alone or followed by blanks and more. */
static bool ot_cmd_is(const char *cmd, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(cmd, word, n) && (!cmd[n] || isspace(cmd[n]));
}

/* "dump": the files into the kernel log, now (docs/format.md). */
static int ot_dump_cmd(void)
{
	struct ot_agg *a = ot_agg_alloc();

	if (!a)
		return -ENOMEM;
	mutex_lock(&ot_ctl_mutex);
	ot_agg_collect(a);
	ot_peaks_update(a);
	ot_dump("control", a);
	mutex_unlock(&ot_ctl_mutex);
	ot_agg_free(a);
	return 0;
}

/* Run one clean command. Return: 0 or a negative errno. */
static int ot_cmd_run(char *cmd)
{
	int ret;

	if (ot_cmd_is(cmd, "threshold")) {
		mutex_lock(&ot_ctl_mutex);
		ret = ot_threshold_cmd(cmd + 9);
		mutex_unlock(&ot_ctl_mutex);
		return ret;
	}
	if (ot_cmd_is(cmd, "mode"))
		return ot_mode_cmd(cmd + 4);
	if (!strcmp(cmd, "dump"))
		return ot_dump_cmd();
	if (strcmp(cmd, "reset"))
		return -EINVAL;
	return ot_reset(ot_track_sampled(), ot_track_sample_bytes());
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
	ret = ot_cmd_run(cmd);
	return ret ? ret : len;
}

static int ot_control_show(struct seq_file *m, void *unused)
{
	seq_puts(m, "# commands: reset | mode exact | mode sampled [BYTES] | dump | threshold ...\n");
	mutex_lock(&ot_ctl_mutex);
	ot_thresholds_show(m);
	mutex_unlock(&ot_ctl_mutex);
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
 * ot_control_file - create /proc/oomtrace/control
 * @dir: /proc/oomtrace
 *
 * Return: 0 or -ENOMEM.
 */
int ot_control_file(struct proc_dir_entry *dir)
{
	return proc_create(OT_FILE_CONTROL, 0600, dir, &ot_control_ops) ? 0 : -ENOMEM;
}
