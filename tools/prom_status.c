// SPDX-License-Identifier: GPL-2.0
/*
 * prom_status.c - the status and the OOM event counts as Prometheus
 * metrics, and the report (status, the top tables, events) as one
 * exposition.
 */
#include <stdio.h>
#include <string.h>

#include "prom.h"
#include "promfmt.h"

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

void prom_status(FILE *out, const struct snap *s)
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

void prom_events(FILE *out, const struct snap *s)
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

void prom_report(FILE *out, const struct snap *s, long limit)
{
	const struct table *t[] = { &s->modules, &s->slabs, &s->callsites };
	size_t i;

	prom_status(out, s);
	for (i = 0; i < 3; i++) {
		struct rowset rs;

		if (!t[i]->present || rowset_make(&rs, t[i], 0, NULL, NULL, limit))
			continue;
		prom_rows(out, &rs);
		rowset_free(&rs);
	}
	prom_events(out, s);
}
