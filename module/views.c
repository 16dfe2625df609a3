// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the files' text. A table's banner, column line and rows, and
 * the status lines, formatted line by line for whoever prints them: the
 * /proc files (a seq_file) and the kernel log dump (printk) alike, so that
 * the dump is the files (docs/format.md).
 *
 * A view is built from a collected workspace (agg.c). Building the slabs
 * view reuses the workspace's slot rows: build it last.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/utsname.h>

#include "format.h"
#include "oom.h"

static const char * const ot_table_names[] = {
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

/**
 * ot_table_name - a table file's name
 * @t: the table
 *
 * Return: the name.
 */
const char *ot_table_name(enum ot_table t)
{
	return ot_table_names[t];
}

static s64 ot_pos(s64 v)
{
	return v > 0 ? v : 0;
}

static bool ot_row_active(const struct ot_row *r)
{
	return r->allocs || r->frees;
}

/* Rows of a->mod (modules) or a->cache (caches) that saw something. */
static u32 ot_view_active(struct ot_agg *a, struct ot_row *to, const struct ot_row *from,
			  u32 n, const u32 *canon)
{
	u32 i, k = 0;

	for (i = 0; i < n; i++) {
		if ((canon && canon[i] != i) || !ot_row_active(&from[i]))
			continue;
		to[k] = from[i];
		to[k++].id = i;
	}
	ot_agg_sort(a, to, k);
	return k;
}

/**
 * ot_view_build - the rows of a table, from a collected workspace
 * @v: the view: its workspace and table set, the rest filled in
 */
void ot_view_build(struct ot_view *v)
{
	struct ot_agg *a = v->a;

	switch (v->t) {
	case OT_MODULES:
		v->n = ot_view_active(a, a->site, a->mod, a->nr_mod, NULL);
		v->rows = a->site;
		break;
	case OT_SLABS:
		v->n_mc = ot_agg_mod_cache(a);
		/* Slot rows are consumed: reuse them for the cache rows. */
		v->n = ot_view_active(a, a->slot, a->cache, a->nr_cache, a->cache_canon);
		v->rows = a->slot;
		break;
	case OT_CALLSITES:
		v->n = ot_agg_sites(a);
		v->rows = a->site;
		break;
	case OT_MODULE_SLABS:
		v->n = ot_agg_mod_cache(a);
		v->rows = a->site;
		break;
	default:
		v->n = 0;
	}
}

/* allocs frees live live_bytes: the columns every table but module_slabs has. */
static void ot_line_counts(struct ot_line *l, const struct ot_row *r, s64 bytes)
{
	ot_line_unum(l, r->allocs);
	ot_line_unum(l, r->frees);
	ot_line_unum(l, ot_live(r));
	ot_line_num(l, bytes);
}

/* One row as its file prints it; false when the row is not printed. */
static bool ot_view_row(struct ot_line *l, const struct ot_view *v, const struct ot_row *r)
{
	s64 bytes = ot_pos(r->bytes);
	const char *sym;
	size_t len;
	u32 top;

	switch (v->t) {
	case OT_SLABS:
		top = ot_cache_top_module(v->a, v->n_mc, r->id);
		ot_line_word(l, ot_cache_name(r->id));
		ot_line_unum(l, ot_cache_objsize(r->id));
		ot_line_counts(l, r, bytes);
		ot_line_num(l, max_t(s64, bytes, ot_peak_cache(r->id)));
		ot_line_word(l, top == OT_NONE ? OT_NAME_NONE : ot_mod_name(top));
		return true;
	case OT_MODULES:
		ot_line_word(l, ot_mod_name(r->id));
		ot_line_word(l, ot_mod_gone(r->id) ? OT_STATE_GONE : OT_STATE_LIVE);
		ot_line_counts(l, r, bytes);
		ot_line_num(l, ot_pos(r->slab_bytes));
		ot_line_num(l, ot_pos(r->page_bytes));
		ot_line_num(l, max_t(s64, bytes, ot_peak_mod(r->id)));
		return true;
	case OT_CALLSITES:
		sym = ot_site_sym(r->id, &len);
		ot_line_wordn(l, sym, len);
		ot_line_word(l, ot_mod_name(ot_site_module(r->id)));
		ot_line_counts(l, r, bytes);
		return true;
	case OT_MODULE_SLABS:
		if (!ot_live(r) && !bytes)
			return false;
		ot_line_word(l, ot_mod_name(r->id));
		ot_line_word(l, ot_cache_name(r->id2));
		ot_line_unum(l, ot_live(r));
		ot_line_num(l, bytes);
		return true;
	default:
		return false;
	}
}

/**
 * ot_banner_print - the first line(s) of a table or the events file
 * @name: the file's name
 * @ts: the mode its numbers were made in
 * @emit: called for each line
 * @ctx: passed to @emit
 */
void ot_banner_print(const char *name, const struct ot_track_sum *ts, ot_emit_fn emit,
		     void *ctx)
{
	struct ot_line l;

	ot_line_init(&l);
	ot_line_add(&l, "# oomtrace %s format=%d mode=%s", name, OT_FORMAT,
		    ts->sampled ? OT_MODE_SAMPLED : OT_MODE_EXACT);
	emit(ctx, l.buf, l.len);
	if (ts->sampled) {
		ot_line_init(&l);
		ot_line_add(&l, "# sample_bytes=%u", ts->sample_bytes);
		emit(ctx, l.buf, l.len);
	}
}

/**
 * ot_partial_print - the "# partial" line of a table or the events file
 * @ts: what was not exact
 * @emit: called for the line
 * @ctx: passed to @emit
 *
 * Whenever an allocation was dropped, left to sampling or its free lost,
 * or a kprobe missed a call, the line says how many of how many: no number
 * is silently partial.
 * Nothing when everything was exact.
 */
void ot_partial_print(const struct ot_track_sum *ts, ot_emit_fn emit, void *ctx)
{
	struct ot_line l;

	if (!ts->dropped && !ts->estimated && !ts->lost_frees && !ts->missed)
		return;
	ot_line_init(&l);
	ot_line_add(&l, "# partial allocs=%llu dropped=%llu estimated=%llu",
		    ts->allocs, ts->dropped, ts->estimated);
	ot_line_add(&l, " lost_frees=%llu kernel=%s missed=%llu",
		    ts->lost_frees,
		    ts->sampled || ts->kernel_sampled ? OT_MODE_SAMPLED : OT_MODE_EXACT,
		    ts->missed);
	emit(ctx, l.buf, l.len);
}

/**
 * ot_view_print - a table as its file prints it
 * @v: a built view
 * @max_rows: print at most this many rows; fewer say so ("# rows=N of=M")
 * @emit: called for each line
 * @ctx: passed to @emit
 */
void ot_view_print(const struct ot_view *v, u32 max_rows, ot_emit_fn emit, void *ctx)
{
	struct ot_line l;
	u32 i, shown = 0;

	ot_banner_print(ot_table_names[v->t], &v->ts, emit, ctx);
	ot_partial_print(&v->ts, emit, ctx);
	if (max_rows < v->n) {
		ot_line_init(&l);
		ot_line_add(&l, "# rows=%u of=%u", max_rows, v->n);
		emit(ctx, l.buf, l.len);
	}
	ot_line_init(&l);
	ot_line_add(&l, "# %s", ot_table_cols[v->t]);
	emit(ctx, l.buf, l.len);
	for (i = 0; i < v->n && shown < max_rows; i++) {
		ot_line_init(&l);
		if (!ot_view_row(&l, v, &v->rows[i]))
			continue;
		emit(ctx, l.buf, l.len);
		shown++;
	}
}

/**
 * ot_status_fill - what status says, taken now from a collected workspace
 * @st: filled in
 * @a: the workspace (kept for the counts)
 * @cfg: the parameters
 */
void ot_status_fill(struct ot_status_info *st, const struct ot_agg *a,
		    const struct ot_config *cfg)
{
	u32 i;

	st->a = a;
	st->cfg = cfg;
	ot_track_sum(&st->ts);
	ot_kprobes_state(st->kprobes, sizeof(st->kprobes));
	st->tracked_bytes = 0;
	for (i = 0; i < a->nr_mod; i++)
		st->tracked_bytes += ot_pos(a->mod[i].bytes);
}

/* "key: value" as status prints it. */
__printf(3, 4) static void ot_kv(ot_emit_fn emit, void *ctx, const char *fmt, ...)
{
	struct ot_line l;
	va_list ap;

	va_start(ap, fmt);
	l.len = vscnprintf(l.buf, sizeof(l.buf), fmt, ap);
	va_end(ap);
	emit(ctx, l.buf, l.len);
}

/**
 * ot_status_print - the status file's lines
 * @st: what ot_status_fill() took
 * @emit: called for each line
 * @ctx: passed to @emit
 */
void ot_status_print(const struct ot_status_info *st, ot_emit_fn emit, void *ctx)
{
	const struct ot_config *cfg = st->cfg;
	const struct ot_agg *a = st->a;
	u64 nr = ot_events_nr();

	ot_kv(emit, ctx, "version: %s", OOMTRACE_VERSION);
	ot_kv(emit, ctx, "format: %d", OT_FORMAT);
	ot_kv(emit, ctx, "kernel: %s", utsname()->release);
	ot_kv(emit, ctx, "mode: %s", st->ts.sampled ? OT_MODE_SAMPLED : OT_MODE_EXACT);
	ot_kv(emit, ctx, "sample_bytes: %u", st->ts.sample_bytes);
	ot_kv(emit, ctx, "allocs_seen: %llu", st->ts.allocs);
	ot_kv(emit, ctx, "frees_seen: %llu", st->ts.frees);
	ot_kv(emit, ctx, "tracking_seconds: %llu",
	      div_u64(ktime_get_boottime_ns() - ot_track_epoch_ns(), NSEC_PER_SEC));
	ot_kv(emit, ctx, "epoch: %u", ot_track_epoch());
	ot_kv(emit, ctx, "tracked: %llu", st->ts.entries);
	ot_kv(emit, ctx, "capacity: %lu", cfg->max_objects);
	ot_kv(emit, ctx, "dropped: %llu", st->ts.dropped);
	ot_kv(emit, ctx, "lost_frees: %llu", st->ts.lost_frees);
	ot_kv(emit, ctx, "callsites: %u", ot_sites_nr());
	ot_kv(emit, ctx, "callsites_capacity: %u", cfg->max_sites);
	ot_kv(emit, ctx, "slots: %u", a->nr_slot);
	ot_kv(emit, ctx, "caches: %u", a->nr_cache);
	ot_kv(emit, ctx, "modules: %u", a->nr_mod);
	ot_kv(emit, ctx, "slab_merge: %s", ot_slab_merge() ? "on" : "off");
	ot_kv(emit, ctx, "walk_depth: %u", ot_walk_depth());
	ot_kv(emit, ctx, "walk_all: %d", ot_walk_all());
	ot_kv(emit, ctx, "bulk_probes: %s", st->kprobes);
	ot_kv(emit, ctx, "peak_ms: %u", cfg->peak_ms);
	ot_kv(emit, ctx, "module_bytes: %zu", cfg->module_bytes);
	ot_kv(emit, ctx, "events: %llu", nr);
	ot_kv(emit, ctx, "events_dropped: %llu", nr > ot_events_max() ? nr - ot_events_max() : 0);
	ot_kv(emit, ctx, "thresholds: %u", ot_thresholds_nr());
	ot_kv(emit, ctx, "tracked_bytes: %llu", st->tracked_bytes);
	ot_kv(emit, ctx, "estimated: %llu", st->ts.estimated);
	ot_kv(emit, ctx, "kernel_sampled: %s", st->ts.kernel_sampled ? "yes" : "no");
	ot_kv(emit, ctx, "modules_capacity: %u", OT_MAX_MODULES);
	ot_kv(emit, ctx, "probe_missed: %llu", st->ts.missed);
}
