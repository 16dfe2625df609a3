// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: thresholds. "threshold [growth] module|cache NAME BYTES" in
 * control: one kernel log line when a module's or cache's live bytes (or
 * their growth since the threshold was set) reach BYTES, and nothing more
 * until the value has fallen back below it. Checked by the sampler every
 * peak_ms with its own workspace, never on the hot path.
 *
 * Everything here runs with the control layer's mutex held (control
 * writes, the sampler, reset): that mutex is the thresholds' lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "oom.h"

#define OT_THR_MAX		16
#define OT_THR_LOG_BURST	8	/* threshold warnings per interval */
#define OT_THR_LOG_INTERVAL	(5 * HZ)

struct ot_thr {
	bool used;
	bool cache;
	bool growth;
	bool fired;
	bool need_base;
	u64 bytes;
	s64 base;
	char name[MODULE_NAME_LEN];
};

static struct ot_thr ot_thrs[OT_THR_MAX];
static unsigned int ot_nr_thr;
static struct ot_rl ot_thr_rl = OT_RL_INIT(ot_thr_rl, OT_THR_LOG_INTERVAL, OT_THR_LOG_BURST,
					   "threshold warnings");

static s64 ot_thr_live(const struct ot_agg *a, const struct ot_thr *th)
{
	s64 sum = 0;
	u32 i;

	if (th->cache) {
		for (i = 0; i < a->nr_cache; i++)
			if (a->cache_canon[i] == i && !strcmp(ot_cache_name(i), th->name))
				sum += max_t(s64, a->cache[i].bytes, 0);
	} else {
		for (i = 0; i < a->nr_mod; i++)
			if (!strcmp(ot_mod_name(i), th->name))
				sum += max_t(s64, a->mod[i].bytes, 0);
	}
	return sum;
}

/**
 * ot_thresholds_check - warn once per crossing of a threshold
 * @a: a collected workspace (the sampler's)
 *
 * A threshold fires when its value reaches the limit and is re-armed when
 * the value falls back below it.
 */
void ot_thresholds_check(const struct ot_agg *a)
{
	char v[24], lim[24];
	struct ot_thr *th;
	s64 live, val;

	for (th = ot_thrs; th < ot_thrs + OT_THR_MAX; th++) {
		if (!th->used)
			continue;
		live = ot_thr_live(a, th);
		if (th->need_base) {
			th->base = live;
			th->need_base = false;
		}
		val = th->growth ? live - th->base : live;
		if (val < 0 || (u64)val < th->bytes) {
			th->fired = false;
			continue;
		}
		if (th->fired)
			continue;
		th->fired = true;
		if (!ot_rl_ok(&ot_thr_rl))
			continue;
		ot_fmt_size(v, sizeof(v), val, false);
		ot_fmt_size(lim, sizeof(lim), th->bytes, false);
		pr_warn("warning: %s %s %s %s crossed %sthreshold %s\n",
			th->cache ? "cache" : "module", th->name,
			th->growth ? "grew" : "live", v, th->growth ? "growth " : "", lim);
	}
}

/* A parsed "threshold [growth] module|cache NAME BYTES". */
struct ot_thr_spec {
	bool clear;		/* "threshold clear" instead */
	bool cache;
	bool growth;
	u64 bytes;
	const char *name;
};

/* The words of @args into @sp. Return: 0 or -EINVAL. */
static int ot_thr_parse(char *args, struct ot_thr_spec *sp)
{
	char *argv[5], *tok;
	unsigned int argc = 0, i = 0;

	while ((tok = strsep(&args, " \t")) != NULL) {
		if (!*tok)
			continue;
		if (argc == ARRAY_SIZE(argv))
			return -EINVAL;
		argv[argc++] = tok;
	}
	sp->clear = argc == 1 && !strcmp(argv[0], "clear");
	if (sp->clear)
		return 0;
	sp->growth = argc == 4 && !strcmp(argv[0], "growth");
	i = sp->growth;
	if (argc != i + 3)
		return -EINVAL;
	if (!strcmp(argv[i], "cache"))
		sp->cache = true;
	else if (!strcmp(argv[i], "module"))
		sp->cache = false;
	else
		return -EINVAL;
	sp->name = argv[i + 1];
	if (strlen(sp->name) >= (sp->cache ? OT_CACHE_NAME_LEN : MODULE_NAME_LEN))
		return -EINVAL;
	return ot_parse_bytes(argv[i + 2], &sp->bytes);
}

/* Set (or re-arm) a threshold. Return: 0 or -ENOSPC. */
static int ot_thr_set(const struct ot_thr_spec *sp)
{
	struct ot_thr *th, *free = NULL;

	for (th = ot_thrs; th < ot_thrs + OT_THR_MAX; th++) {
		if (!th->used) {
			free = free ?: th;
			continue;
		}
		if (th->cache == sp->cache && th->growth == sp->growth && th->bytes == sp->bytes &&
		    !strcmp(th->name, sp->name))
			break;
	}
	if (th == ot_thrs + OT_THR_MAX) {
		if (!free)
			return -ENOSPC;
		th = free;
		WRITE_ONCE(ot_nr_thr, ot_nr_thr + 1);
	}
	th->used = true;
	th->cache = sp->cache;
	th->growth = sp->growth;
	th->fired = false;
	th->need_base = sp->growth;
	th->base = 0;
	th->bytes = sp->bytes;
	strscpy(th->name, sp->name, sizeof(th->name));
	return 0;
}

/**
 * ot_threshold_cmd - run a "threshold ..." control command
 * @args: what follows "threshold" (modified)
 *
 * Commands: "clear", "[growth] module|cache NAME BYTES" (BYTES > 0, K/M/G
 * suffixes allowed). A name may have several thresholds (levels); setting
 * an existing one again re-arms it.
 *
 * Return: 0, -EINVAL on bad input (nothing changed) or -ENOSPC when all
 * OT_THR_MAX thresholds are in use.
 */
int ot_threshold_cmd(char *args)
{
	struct ot_thr_spec sp;
	int ret = ot_thr_parse(args, &sp);

	if (ret)
		return ret;
	if (sp.clear) {
		memset(ot_thrs, 0, sizeof(ot_thrs));
		WRITE_ONCE(ot_nr_thr, 0);
		return 0;
	}
	return ot_thr_set(&sp);
}

/**
 * ot_thresholds_show - the threshold part of the control file
 * @m: the control file
 */
void ot_thresholds_show(struct seq_file *m)
{
	const struct ot_thr *th;

	seq_puts(m, "# commands: threshold [growth] module|cache NAME BYTES, threshold clear\n");
	for (th = ot_thrs; th < ot_thrs + OT_THR_MAX; th++)
		if (th->used)
			seq_printf(m, "threshold %s%s %s %llu %s\n", th->growth ? "growth " : "",
				   th->cache ? "cache" : "module", th->name, th->bytes,
				   th->fired ? "crossed" : "armed");
}

/**
 * ot_thresholds_nr - thresholds set
 *
 * Return: the count.
 */
unsigned int ot_thresholds_nr(void)
{
	return READ_ONCE(ot_nr_thr);
}

/**
 * ot_thresholds_rearm - a reset: every threshold armed again, growth from now
 */
void ot_thresholds_rearm(void)
{
	struct ot_thr *th;

	for (th = ot_thrs; th < ot_thrs + OT_THR_MAX; th++) {
		th->fired = false;
		th->need_base = th->growth;
	}
}

