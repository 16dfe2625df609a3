// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_list.c - the listing commands: slabs, modules, callsites, events,
 * status.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "entries.h"
#include "grower.h"
#include "grid.h"
#include "jsonfmt.h"
#include "units.h"

static void emit(const struct opts *o, FILE *out, const struct snap *s,
		 const struct rowset *rs)
{
	if (o->json)
		render_json_doc(out, s, rs);
	else if (o->prom)
		render_prom(out, rs);
	else
		render_text(out, rs, o->bytes, NULL);
}

static void unknown_sort(const struct table *t, const char *sort)
{
	int i;

	fprintf(stderr, "oomtrace: unknown sort column '%s'; %s has:", sort, t->def->name);
	for (i = 0; i < t->def->ncols; i++)
		fprintf(stderr, " %s", t->def->cols[i].name);
	fputc('\n', stderr);
}

/* List one table, optionally filtered on column fcol == --module. */
static int list(const struct opts *o, FILE *out, const struct snap *s,
		const struct table *t, int fcol)
{
	struct rowset rs;
	int r;

	r = rowset_make(&rs, t, fcol, o->module, o->sort, o->limit);
	if (r == -2) {
		unknown_sort(t, o->sort);
		return EX_USAGE;
	}
	if (r < 0) {
		fprintf(stderr, "oomtrace: out of memory\n");
		return EX_ERR;
	}
	if (o->module && !rs.n)
		fprintf(stderr, "oomtrace: no %s rows for module '%s'\n", t->def->name, o->module);
	emit(o, out, s, &rs);
	rowset_free(&rs);
	return EX_OK;
}

int cmd_slabs(const struct opts *o, FILE *out)
{
	struct snap s;
	int r;

	r = load_snap(o, &s, LOAD_SLABS | (o->module ? LOAD_MODSLABS : 0));
	if (r)
		return r;
	if (o->module && s.modslabs.present) {
		/* the module's share of each cache, like crash's kmem -S */
		r = list(o, out, &s, &s.modslabs, MS_MODULE);
	} else if (o->module) {
		fprintf(stderr,
			"oomtrace: module_slabs not available: showing the caches whose top_module is '%s'\n",
			o->module);
		r = list(o, out, &s, &s.slabs, SL_TOP_MODULE);
	} else {
		r = list(o, out, &s, &s.slabs, 0);
	}
	snap_free(&s);
	return r;
}

int cmd_modules(const struct opts *o, FILE *out)
{
	struct snap s;
	int r;

	r = load_snap(o, &s, LOAD_MODULES | LOAD_VMALLOC);
	if (r)
		return r;
	r = list(o, out, &s, &s.modules, MO_MODULE);
	snap_free(&s);
	return r;
}

int cmd_callsites(const struct opts *o, FILE *out)
{
	struct snap s;
	int r;

	r = load_snap(o, &s, LOAD_CALLSITES);
	if (r)
		return r;
	r = list(o, out, &s, &s.callsites, CS_MODULE);
	snap_free(&s);
	return r;
}

/* ---- status ---- */

int cmd_status(const struct opts *o, FILE *out)
{
	struct snap s;
	struct grid g;
	static const char *const heads[] = { "KEY", "VALUE" };
	size_t i;
	int r;

	r = load_snap(o, &s, 0);
	if (r)
		return r;
	if (o->json) {
		fputs("{\"source\":", out);
		json_str(out, s.src.label);
		fprintf(out, ",\"live\":%s,\"timestamp\":", s.src.live ? "true" : "false");
		json_str(out, s.timestamp);
		fprintf(out, ",\"table\":\"status\",\"format\":%d,\"status\":", OT_FORMAT);
		render_status_json(out, &s);
		fputs("}\n", out);
	} else if (o->prom) {
		render_status_prom(out, &s);
	} else {
		grid_init(&g, 2, heads, NULL);
		for (i = 0; i < s.st.n; i++) {
			char key[OT_MAX_LINE + 2], num[FMT_NUMLEN];
			const char *cells[2];
			uint64_t u;

			snprintf(key, sizeof(key), "%s:", s.st.kv[i].key);
			cells[0] = key;
			cells[1] = s.st.kv[i].val;
			if (!strcmp(s.st.kv[i].key, "module_bytes") &&
			    !parse_u64(s.st.kv[i].val, &u))
				cells[1] = fmt_bytes(num, sizeof(num), u, o->bytes);
			grid_add(&g, cells);
		}
		if (s.timestamp[0]) {
			const char *cells[2] = { "snapshot_time:", s.timestamp };

			grid_add(&g, cells);
		}
		/* print without the header line: status is key: value */
		for (i = 0; i < g.nrows; i++) {
			size_t w = 0, j;

			for (j = 0; j < g.nrows; j++)
				if (strlen(g.cells[j * 2]) > w)
					w = strlen(g.cells[j * 2]);
			fmt_safe(out, g.cells[i * 2]);
			fprintf(out, "%*s", (int)(w + 1 - strlen(g.cells[i * 2])), "");
			fmt_safe(out, g.cells[i * 2 + 1]);
			fputc('\n', out);
		}
		grid_free(&g);
	}
	snap_free(&s);
	return EX_OK;
}

/* ---- events ---- */

static void print_entries(FILE *out, const char *type, const struct ev_entry *src, size_t n,
			  const struct opts *o, int entry_sort, struct grid *g)
{
	struct ev_entry *e;
	size_t i, shown = 0;

	e = entries_sorted(src, n, entry_sort);
	if (!e)
		return;
	for (i = 0; i < n; i++) {
		char a[FMT_NUMLEN], b[FMT_NUMLEN];
		const char *cells[4];

		if (o->module && strcmp(e[i].name, o->module))
			continue;
		if (o->limit > 0 && shown++ >= (size_t)o->limit)
			break;
		cells[0] = type;
		cells[1] = e[i].name;
		cells[2] = fmt_bytes(a, sizeof(a), e[i].live_bytes, o->bytes);
		cells[3] = fmt_sbytes(b, sizeof(b), e[i].delta_bytes, o->bytes);
		grid_add(g, cells);
	}
	free(e);
	(void)out;
}

int cmd_events(const struct opts *o, FILE *out)
{
	static const char *const heads[] = { "SEQ", "TIME", "KIND", "PID", "COMM", "RSS",
		"FREE", "SLAB_UNRECL", "PAGETABLES", "TRACKED", "TOP_GROWER" };
	static const unsigned char right[] = { 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0 };
	static const char *const eheads[] = { "TYPE", "NAME", "LIVE_BYTES", "GROWTH" };
	static const unsigned char eright[] = { 0, 0, 1, 1 };
	struct snap s;
	struct grid g;
	size_t i;
	int r, entry_sort = entry_sort_key(o->sort);

	if (entry_sort < 0) {
		fprintf(stderr,
			"oomtrace: unknown sort column '%s'; events sort by delta_bytes, live_bytes or name\n",
			o->sort);
		return EX_USAGE;
	}
	r = load_snap(o, &s, LOAD_EVENTS);
	if (r)
		return r;
	if (!s.ev.present) {
		fprintf(stderr, "oomtrace: %s\n", s.events_err);
		snap_free(&s);
		return EX_ERR;
	}
	if (o->json) {
		fputs("{\"source\":", out);
		json_str(out, s.src.label);
		fprintf(out, ",\"live\":%s,\"timestamp\":", s.src.live ? "true" : "false");
		json_str(out, s.timestamp);
		fprintf(out, ",\"table\":\"events\",\"format\":%d,\"events\":", OT_FORMAT);
		render_events_json(out, &s.ev, o->module);
		fputs("}\n", out);
		snap_free(&s);
		return EX_OK;
	}
	if (o->prom) {
		render_events_prom(out, &s);
		snap_free(&s);
		return EX_OK;
	}
	if (!s.ev.n) {
		fprintf(out, "no OOM events recorded\n");
		snap_free(&s);
		return EX_OK;
	}
	grid_init(&g, 11, heads, right);
	for (i = 0; i < s.ev.n; i++) {
		const struct event *e = &s.ev.ev[i];
		const struct ev_entry *tg = ev_top_grower(e->mods, e->nmods, 1);
		char c[11][FMT_NUMLEN + 80];
		const char *cells[11];

		fmt_u64(c[0], sizeof(c[0]), e->seq);
		snprintf(c[1], sizeof(c[1]), "%.40s", e->time);
		if (e->known & EV_PID)
			snprintf(c[3], sizeof(c[3]), "%lld", (long long)e->pid);
		else
			snprintf(c[3], sizeof(c[3]), "-");
		cells[5] = ev_bytes(c[5], sizeof(c[5]), e, EV_RSS, e->rss_kb * 1024, o->bytes);
		cells[6] = ev_bytes(c[6], sizeof(c[6]), e, EV_FREE, e->free_kb * 1024, o->bytes);
		cells[7] = ev_bytes(c[7], sizeof(c[7]), e, EV_SLABU,
				    e->slab_unreclaimable_kb * 1024, o->bytes);
		cells[8] = ev_bytes(c[8], sizeof(c[8]), e, EV_PT, e->pagetables_kb * 1024, o->bytes);
		cells[9] = ev_bytes(c[9], sizeof(c[9]), e, EV_TRACKED, e->tracked_bytes, o->bytes);
		if (tg) {
			char d[FMT_NUMLEN];

			snprintf(c[10], sizeof(c[10]), "%.60s %s", tg->name,
				 fmt_sbytes(d, sizeof(d), tg->delta_bytes, o->bytes));
		} else {
			snprintf(c[10], sizeof(c[10]), "-");
		}
		cells[0] = c[0];
		cells[1] = c[1];
		cells[2] = e->kind;
		cells[3] = c[3];
		cells[4] = e->comm;
		cells[10] = c[10];
		grid_add(&g, cells);
	}
	grid_print(&g, out, NULL);
	grid_free(&g);
	for (i = 0; i < s.ev.n; i++) {
		const struct event *e = &s.ev.ev[i];

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
			continue;
		}
		grid_init(&g, 4, eheads, eright);
		print_entries(out, "module", e->mods, e->nmods, o, entry_sort, &g);
		if (!o->module)
			print_entries(out, "cache", e->caches, e->ncaches, o, entry_sort, &g);
		grid_print(&g, out, "  ");
		grid_free(&g);
	}
	snap_free(&s);
	return EX_OK;
}
