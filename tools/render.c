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

