// SPDX-License-Identifier: GPL-2.0
/*
 * render.c - select and sort table rows, and print them as an aligned text
 * table, JSON or Prometheus metrics. Shared by every command.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "grid.h"
#include "jsonfmt.h"
#include "promfmt.h"
#include "units.h"
#include "sort.h"

int load_snap(const struct opts *o, struct snap *s, unsigned what)
{
	struct source src;
	char err[OT_ERRLEN + OT_PATH];

	if (o->from)
		source_dir(&src, o->from);
	else
		source_live(&src);
	if (snap_load(s, &src, what, err, sizeof(err))) {
		fprintf(stderr, "oomtrace: %s\n", err);
		return EX_ERR;
	}
	snap_warn(s);
	return EX_OK;
}

void render_json_rows(FILE *out, const struct rowset *rs)
{
	const struct tabdef *def = rs->t->def;
	size_t r;
	int i;

	fputc('[', out);
	for (r = 0; r < rs->n; r++) {
		int first = 1;

		fputs(r ? ",{" : "{", out);
		for (i = 0; i < def->ncols; i++) {
			json_key(out, &first, def->cols[i].name);
			if (def->cols[i].type == COL_STR)
				json_str(out, rs->r[r]->s[i]);
			else if (rs->t->absent & (1u << i))
				fputs("null", out);
			else
				fprintf(out, "%llu", (unsigned long long)rs->r[r]->v[i]);
		}
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_head(FILE *out, const struct snap *s, const char *table)
{
	fputs("{\"source\":", out);
	json_str(out, s->src.label);
	fputs(",\"live\":", out);
	fputs(s->src.live ? "true" : "false", out);
	fputs(",\"timestamp\":", out);
	json_str(out, s->timestamp);
	fputs(",\"table\":", out);
	json_str(out, table);
	fprintf(out, ",\"format\":%d", OT_FORMAT);
}

void render_json_doc(FILE *out, const struct snap *s, const struct rowset *rs)
{
	json_head(out, s, rs->t->def->name);
	fputs(",\"mode\":", out);
	json_str(out, rs->t->mode);
	fputs(",\"rows\":", out);
	render_json_rows(out, rs);
	fputs("}\n", out);
}

/* Order by the label columns, so that duplicate series end up adjacent. */
static int cmp_labels(const void *a, const void *b, void *ctx)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	const struct tabdef *label_def = ctx;
	int i, c;

	for (i = 0; i < label_def->ncols; i++) {
		if (!label_def->cols[i].label)
			continue;
		c = strcmp(x->s[i], y->s[i]);
		if (c)
			return c;
	}
	return 0;
}

void render_prom(FILE *out, const struct rowset *rs)
{
	const struct tabdef *def = rs->t->def;
	const char *lk[OT_MAX_COLS], *lv[OT_MAX_COLS];
	const struct row **r = NULL;
	size_t i, n = 0;
	int c, j, nl = 0;

	for (j = 0; j < def->ncols; j++)
		if (def->cols[j].label)
			lk[nl++] = j ? def->cols[j].name : def->label;
	/* a series may appear only once: drop rows repeating a label set */
	if (rs->n) {
		r = malloc(rs->n * sizeof(*r));
		if (!r)
			return;
		memcpy(r, rs->r, rs->n * sizeof(*r));
		sort_stable(r, rs->n, sizeof(*r), cmp_labels, (void *)def);
		for (i = 0; i < rs->n; i++)
			if (!n || cmp_labels(&r[n - 1], &r[i], (void *)def))
				r[n++] = r[i];
	}
	for (c = 0; c < def->ncols; c++) {
		if (!def->cols[c].prom || (rs->t->absent & (1u << c)))
			continue;
		prom_family(out, def->cols[c].prom, def->cols[c].prom_type, def->cols[c].help);
		for (i = 0; i < n; i++) {
			int k = 0;

			for (j = 0; j < def->ncols; j++)
				if (def->cols[j].label)
					lv[k++] = r[i]->s[j];
			prom_sample(out, def->cols[c].prom, lk, lv, nl, r[i]->v[c]);
		}
	}
	if (def == &tab_modules) {
		prom_family(out, "oomtrace_module_loaded", "gauge",
			    "1 while the module is loaded, 0 once it was unloaded.");
		for (i = 0; i < n; i++) {
			lv[0] = r[i]->s[MO_MODULE];
			prom_sample(out, "oomtrace_module_loaded", lk, lv, 1,
				    !strcmp(r[i]->s[MO_STATE], "live"));
		}
	}
	free(r);
}

static const struct {
	const char *key, *metric, *type, *help;
} status_metrics[] = {
	{ "tracked", "oomtrace_tracked_objects", "gauge",
	  "Objects currently in the pointer table." },
	{ "capacity", "oomtrace_capacity_objects", "gauge",
	  "Size of the pointer table (objects)." },
	{ "dropped", "oomtrace_dropped_total", "counter",
	  "Allocations not tracked because the table was full." },
	{ "callsites", "oomtrace_callsites", "gauge", "Call sites known." },
	{ "callsites_capacity", "oomtrace_callsites_capacity", "gauge",
	  "Limit of known call sites." },
	{ "caches", "oomtrace_caches", "gauge", "Slab caches seen." },
	{ "modules", "oomtrace_modules", "gauge", "Modules seen." },
	{ "tracking_seconds", "oomtrace_tracking_seconds", "gauge",
	  "Seconds since load or the last reset." },
	{ "epoch", "oomtrace_resets_total", "counter", "Resets since load." },
	{ "module_bytes", "oomtrace_self_bytes", "gauge",
	  "Memory oomtrace itself holds for its tables." },
	{ "lost_frees", "oomtrace_lost_frees_total", "counter",
	  "Frees of tracked objects that oomtrace could not account." },
};

void render_status_prom(FILE *out, const struct snap *s)
{
	static const char *const lk[] = { "version", "kernel", "mode", "slab_merge" };
	const char *lv[4];
	size_t i;

	for (i = 0; i < 4; i++) {
		lv[i] = status_get(&s->st, lk[i]);
		if (!lv[i])
			lv[i] = "";
	}
	prom_family(out, "oomtrace_info", "gauge", "oomtrace version, kernel and mode.");
	prom_sample(out, "oomtrace_info", lk, lv, 4, 1);
	for (i = 0; i < sizeof(status_metrics) / sizeof(status_metrics[0]); i++) {
		uint64_t u;
		const char *v = status_get(&s->st, status_metrics[i].key);

		if (!v || parse_u64(v, &u))
			continue;
		prom_family(out, status_metrics[i].metric, status_metrics[i].type,
			    status_metrics[i].help);
		prom_sample(out, status_metrics[i].metric, NULL, NULL, 0, u);
	}
}

/* Status values printed as JSON numbers when they are integers (others: strings). */
static int numeric_status_key(const char *k)
{
	static const char *const text_keys[] = { "version", "kernel", "mode", "slab_merge",
		"bulk_probes" };
	size_t i;

	for (i = 0; i < sizeof(text_keys) / sizeof(text_keys[0]); i++)
		if (!strcmp(k, text_keys[i]))
			return 0;
	return 1;
}

void render_status_json(FILE *out, const struct snap *s)
{
	size_t i;
	int first = 1;

	fputc('{', out);
	for (i = 0; i < s->st.n; i++) {
		uint64_t u;
		size_t j;

		for (j = 0; j < i; j++)	/* duplicate keys: keep the first */
			if (!strcmp(s->st.kv[j].key, s->st.kv[i].key))
				break;
		if (j < i)
			continue;
		json_key(out, &first, s->st.kv[i].key);
		if (numeric_status_key(s->st.kv[i].key) && !parse_u64(s->st.kv[i].val, &u))
			fprintf(out, "%llu", (unsigned long long)u);
		else
			json_str(out, s->st.kv[i].val);
	}
	fputc('}', out);
}

void render_events_prom(FILE *out, const struct snap *s)
{
	const struct events *ev = &s->ev;
	static const char *const lk[] = { "kind" };
	const char *lv[1];
	uint64_t global = 0, victim = 0, total, dropped;
	size_t i;

	if (ev->present && ev->have_total) {
		total = ev->total;
		dropped = ev->dropped;
	} else if (status_get(&s->st, "events")) {
		total = status_u64(&s->st, "events");
		dropped = status_u64(&s->st, "events_dropped");
	} else if (ev->present) {
		total = ev->n;
		dropped = 0;
	} else {
		return;	/* this module version does not record OOM events */
	}
	prom_family(out, "oomtrace_oom_events_total", "counter",
		    "OOM events seen by oomtrace since load or the last reset.");
	prom_sample(out, "oomtrace_oom_events_total", NULL, NULL, 0, total);
	prom_family(out, "oomtrace_oom_events_dropped_total", "counter",
		    "OOM events not kept because the event buffer was full.");
	prom_sample(out, "oomtrace_oom_events_dropped_total", NULL, NULL, 0, dropped);
	if (!ev->present)
		return;
	for (i = 0; i < ev->n; i++) {
		if (!strcmp(ev->ev[i].kind, "global"))
			global++;
		else
			victim++;
	}
	prom_family(out, "oomtrace_oom_events_recorded", "gauge",
		    "OOM events in /proc/oomtrace/events, by kind (global OOM, victim chosen).");
	lv[0] = "global";
	prom_sample(out, "oomtrace_oom_events_recorded", lk, lv, 1, global);
	lv[0] = "victim";
	prom_sample(out, "oomtrace_oom_events_recorded", lk, lv, 1, victim);
	for (i = ev->n; i > 0; i--) {
		const struct event *last = &ev->ev[i - 1];

		if (!(last->known & EV_TRACKED))
			continue;
		prom_family(out, "oomtrace_oom_last_event_tracked_bytes", "gauge",
			    "Bytes tracked by oomtrace at the last OOM event.");
		prom_sample(out, "oomtrace_oom_last_event_tracked_bytes", NULL, NULL, 0,
			    last->tracked_bytes);
		break;
	}
}

static void json_entries(FILE *out, const struct ev_entry *e, size_t n)
{
	size_t i;

	fputc('[', out);
	for (i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		json_str(out, e[i].name);
		fprintf(out, ",\"live_bytes\":%llu,\"delta_bytes\":%lld}",
			(unsigned long long)e[i].live_bytes, (long long)e[i].delta_bytes);
	}
	fputc(']', out);
}

static void json_s64(FILE *out, int known, int64_t v)
{
	if (known)
		fprintf(out, "%lld", (long long)v);
	else
		fputs("null", out);
}

static void json_u64(FILE *out, const char *key, int known, uint64_t v)
{
	fprintf(out, ",\"%s\":", key);
	if (known)
		fprintf(out, "%llu", (unsigned long long)v);
	else
		fputs("null", out);
}

void render_events_json(FILE *out, const struct events *ev, const char *module)
{
	size_t i, j;

	fputc('[', out);
	for (i = 0; i < ev->n; i++) {
		const struct event *e = &ev->ev[i];

		fprintf(out, "%s{\"seq\":%llu,\"time\":%.6f,\"kind\":", i ? "," : "",
			(unsigned long long)e->seq, e->t);
		json_str(out, e->kind);
		fputs(",\"pid\":", out);
		json_s64(out, e->known & EV_PID, e->pid);
		fputs(",\"comm\":", out);
		json_str(out, e->comm);
		fputs(",\"oom_score_adj\":", out);
		json_s64(out, e->known & EV_ADJ, e->oom_score_adj);
		json_u64(out, "rss_kb", e->known & EV_RSS, e->rss_kb);
		json_u64(out, "free_kb", e->known & EV_FREE, e->free_kb);
		json_u64(out, "slab_reclaimable_kb", e->known & EV_SLABR, e->slab_reclaimable_kb);
		json_u64(out, "slab_unreclaimable_kb", e->known & EV_SLABU,
			 e->slab_unreclaimable_kb);
		json_u64(out, "pagetables_kb", e->known & EV_PT, e->pagetables_kb);
		json_u64(out, "tracked_bytes", e->known & EV_TRACKED, e->tracked_bytes);
		json_u64(out, "dropped_events", 1, e->dropped_events);
		fputs(",\"modules\":", out);
		if (module) {
			for (j = 0; j < e->nmods; j++)
				if (!strcmp(e->mods[j].name, module))
					break;
			if (j < e->nmods)
				json_entries(out, &e->mods[j], 1);
			else
				fputs("[]", out);
			fputs(",\"caches\":[]}", out);
			continue;
		}
		json_entries(out, e->mods, e->nmods);
		fputs(",\"caches\":", out);
		json_entries(out, e->caches, e->ncaches);
		fputc('}', out);
	}
	fputc(']', out);
}
