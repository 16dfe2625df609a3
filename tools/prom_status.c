// SPDX-License-Identifier: GPL-2.0
/*
 * prom_status.c - the status and the OOM event counts as Prometheus
 * metrics, and the report (status, the top tables, events) as one
 * exposition.
 */
#include <stdio.h>
#include <string.h>

#include "coverage.h"
#include "prom.h"
#include "promfmt.h"

static const struct {
	const char *key, *metric, *type, *help;
} status_metrics[] = {
	{ "tracked", "oomtrace_tracked_objects", "gauge",
	  "Objects currently in the pointer table." },
	{ "capacity", "oomtrace_capacity_objects", "gauge",
	  "Size of the pointer table (objects)." },
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
};

/* What is not exact: one family per count (docs/format.md, "partial"). */
static const struct {
	unsigned bit;
	const char *metric, *type, *help;
} partial_metrics[] = {
	{ PARTIAL_ALLOCS, "oomtrace_allocs_seen_total", "counter",
	  "Allocations seen since load or the last reset, counted or not." },
	{ PARTIAL_DROPPED, "oomtrace_dropped_total", "counter",
	  "Allocations not tracked because the table was full." },
	{ PARTIAL_ESTIMATED, "oomtrace_allocs_estimated_total", "counter",
	  "Allocations left to sampling since load or the last reset: counted by estimate." },
	{ PARTIAL_LOST_FREES, "oomtrace_lost_frees_total", "counter",
	  "Frees of tracked objects that oomtrace could not account." },
	{ PARTIAL_MISSED, "oomtrace_probe_missed_total", "counter",
	  "Calls of kprobed functions (bulk alloc/free, page splits) whose probe did not run: not counted." },
	{ PARTIAL_KERNEL, "oomtrace_kernel_sampled", "gauge",
	  "1 when the core kernel's numbers are estimates (sampled mode, or its half of the table filled up)." },
};

static uint64_t partial_value(const struct partial *p, unsigned bit)
{
	switch (bit) {
	case PARTIAL_ALLOCS:
		return p->allocs;
	case PARTIAL_DROPPED:
		return p->dropped;
	case PARTIAL_ESTIMATED:
		return p->estimated;
	case PARTIAL_LOST_FREES:
		return p->lost_frees;
	case PARTIAL_MISSED:
		return p->missed;
	default:
		return (uint64_t)p->kernel_sampled;
	}
}

void prom_partial(FILE *out, const struct partial *const *p, const char *lkey,
		  const char *const *lval, int n)
{
	const char *lk[1] = { lkey };
	int nl = lkey ? 1 : 0, i;
	size_t m;

	prom_family(out, "oomtrace_partial", "gauge",
		    "1 when some numbers are not exact: allocations dropped, counted by estimate, frees lost, or probe calls missed.");
	for (i = 0; i < n; i++)
		prom_sample(out, "oomtrace_partial", lk, nl ? &lval[i] : NULL, nl,
			    (uint64_t)partial_any(p[i]));
	for (m = 0; m < sizeof(partial_metrics) / sizeof(partial_metrics[0]); m++) {
		unsigned bit = partial_metrics[m].bit;
		int family = 0;

		for (i = 0; i < n; i++) {
			if (!(p[i]->known & bit))
				continue;
			if (!family++)
				prom_family(out, partial_metrics[m].metric, partial_metrics[m].type,
					    partial_metrics[m].help);
			prom_sample(out, partial_metrics[m].metric, lk, nl ? &lval[i] : NULL, nl,
				    partial_value(p[i], bit));
		}
	}
}

/*
 * What oomtrace explains of the box's kernel memory: the box's bytes
 * (/proc/meminfo) and oomtrace's, per kind, for the kinds known.
 */
static void prom_coverage(FILE *out, const struct snap *s)
{
	static const char *const lk[] = { "kind" };
	static const char *const fam[2][2] = {
		{ "oomtrace_coverage_box_bytes",
		  "The box's kernel memory of a kind, from /proc/meminfo (SUnreclaim, Slab, kernel pages)." },
		{ "oomtrace_coverage_tracked_bytes",
		  "Live bytes oomtrace tracks of that kind (since load or the last reset)." },
	};
	struct coverage c;
	size_t i, f;

	if (!s->mi.present || !s->slabs.present)
		return;
	coverage_of(s, &c);
	for (f = 0; f < 2; f++) {
		int head = 0;

		for (i = 0; i < n_cover_kinds; i++) {
			const struct cover *k = cover_kind_of(&c, i);
			const char *lv[1] = { cover_kinds[i].key };

			if (!k->known || !k->tracked_known)
				continue;
			if (!head++)
				prom_family(out, fam[f][0], "gauge", fam[f][1]);
			prom_sample(out, fam[f][0], lk, lv, 1, f ? k->tracked : k->box);
		}
	}
}

void prom_status(FILE *out, const struct snap *s)
{
	static const char *const lk[] = { "version", "kernel", "mode", "slab_merge" };
	const char *lv[4];
	struct partial p;
	const struct partial *pp = &p;
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
	snap_partial(s, &p);
	prom_partial(out, &pp, NULL, NULL, 1);
	prom_coverage(out, s);
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

void prom_events_doc(FILE *out, const struct snap *s)
{
	static const char *const name[] = { "events" };
	struct partial p;
	const struct partial *pp = &p;

	prom_events(out, s);
	snap_partial(s, &p);
	if (partial_any(&p))
		prom_partial(out, &pp, "table", name, 1);
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
