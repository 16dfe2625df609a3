// SPDX-License-Identifier: GPL-2.0
/*
 * text_events.c - the OOM events as text: one line per event with its top
 * grower, then each event's module and cache entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entries.h"
#include "grid.h"
#include "grower.h"
#include "text.h"
#include "units.h"

const char *ev_bytes(char *buf, size_t len, const struct event *e, unsigned bit, uint64_t v,
		     int raw)
{
	if (!(e->known & bit))
		return "-";
	return fmt_bytes(buf, len, v, raw);
}

#define NCOLS 11

/* One event's line of the events table; c: room for the cells' text. */
static void event_row(struct grid *g, const struct event *e, int raw,
		      char c[NCOLS][FMT_NUMLEN + 80])
{
	const struct ev_entry *tg = ev_top_grower(e->mods, e->nmods, 1);
	const char *cells[NCOLS];

	fmt_u64(c[0], sizeof(c[0]), e->seq);
	snprintf(c[1], sizeof(c[1]), "%.40s", e->time);
	if (e->known & EV_PID)
		snprintf(c[3], sizeof(c[3]), "%lld", (long long)e->pid);
	else
		snprintf(c[3], sizeof(c[3]), "-");
	cells[5] = ev_bytes(c[5], sizeof(c[5]), e, EV_RSS, e->rss_kb * 1024, raw);
	cells[6] = ev_bytes(c[6], sizeof(c[6]), e, EV_FREE, e->free_kb * 1024, raw);
	cells[7] = ev_bytes(c[7], sizeof(c[7]), e, EV_SLABU, e->slab_unreclaimable_kb * 1024, raw);
	cells[8] = ev_bytes(c[8], sizeof(c[8]), e, EV_PT, e->pagetables_kb * 1024, raw);
	cells[9] = ev_bytes(c[9], sizeof(c[9]), e, EV_TRACKED, e->tracked_bytes, raw);
	if (tg) {
		char d[FMT_NUMLEN];

		snprintf(c[10], sizeof(c[10]), "%.60s %s", tg->name,
			 fmt_sbytes(d, sizeof(d), tg->delta_bytes, raw));
	} else {
		snprintf(c[10], sizeof(c[10]), "-");
	}
	cells[0] = c[0];
	cells[1] = c[1];
	cells[2] = e->kind;
	cells[3] = c[3];
	cells[4] = e->comm;
	cells[10] = c[10];
	grid_add(g, cells);
}

static void events_table(FILE *out, const struct events *ev, int raw)
{
	static const char *const heads[NCOLS] = { "SEQ", "TIME", "KIND", "PID", "COMM", "RSS",
		"FREE", "SLAB_UNRECL", "PAGETABLES", "TRACKED", "TOP_GROWER" };
	static const unsigned char right[NCOLS] = { 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0 };
	char c[NCOLS][FMT_NUMLEN + 80];
	struct grid g;
	size_t i;

	grid_init(&g, NCOLS, heads, right);
	for (i = 0; i < ev->n; i++)
		event_row(&g, &ev->ev[i], raw, c);
	grid_print(&g, out, NULL);
	grid_free(&g);
}

/* The entries of one type, sorted, only the module's when module is set, at most limit. */
static void add_entries(struct grid *g, const char *type, const struct ev_entry *src, size_t n,
			const struct entry_view *v)
{
	struct ev_entry *e = entries_sorted(src, n, v->sort);
	size_t i, shown = 0;

	if (!e)
		return;
	for (i = 0; i < n; i++) {
		char a[FMT_NUMLEN], b[FMT_NUMLEN];
		const char *cells[4];

		if (v->module && strcmp(e[i].name, v->module))
			continue;
		if (v->limit > 0 && shown++ >= (size_t)v->limit)
			break;
		cells[0] = type;
		cells[1] = e[i].name;
		cells[2] = fmt_bytes(a, sizeof(a), e[i].live_bytes, v->raw);
		cells[3] = fmt_sbytes(b, sizeof(b), e[i].delta_bytes, v->raw);
		grid_add(g, cells);
	}
	free(e);
}

/* "event N at T (kind, comm pid P):" and its entries. */
static void event_entries(FILE *out, const struct event *e, const struct entry_view *v)
{
	static const char *const heads[] = { "TYPE", "NAME", "LIVE_BYTES", "GROWTH" };
	static const unsigned char right[] = { 0, 0, 1, 1 };
	struct grid g;

	fprintf(out, "\nevent %llu at ", (unsigned long long)e->seq);
	fmt_safe(out, e->time);
	fputs(" (", out);
	fmt_safe(out, e->kind);
	if (strcmp(e->comm, "-")) {
		fputs(", ", out);
		fmt_safe(out, e->comm);
		if (e->known & EV_PID)
			fprintf(out, " pid %lld", (long long)e->pid);
	}
	fputs("):\n", out);
	if (!e->nmods && !e->ncaches) {
		fputs("  (no per-module figures for this event)\n", out);
		return;
	}
	grid_init(&g, 4, heads, right);
	add_entries(&g, "module", e->mods, e->nmods, v);
	if (!v->module)
		add_entries(&g, "cache", e->caches, e->ncaches, v);
	grid_print(&g, out, "  ");
	grid_free(&g);
}

void text_events(FILE *out, const struct events *ev, const struct entry_view *v)
{
	size_t i;

	if (!ev->n) {
		fprintf(out, "no OOM events recorded\n");
		return;
	}
	events_table(out, ev, v->raw);
	for (i = 0; i < ev->n; i++)
		event_entries(out, &ev->ev[i], v);
}
