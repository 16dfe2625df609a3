// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_list.c - the listing commands: slabs, modules, callsites, events,
 * status.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "prom.h"
#include "json.h"
#include "text.h"
#include "entries.h"
#include "grower.h"
#include "grid.h"
#include "jsonfmt.h"
#include "units.h"

static void emit(const struct opts *o, FILE *out, const struct snap *s,
		 const struct rowset *rs)
{
	if (o->json)
		json_listing(out, s, rs);
	else if (o->prom)
		prom_rows(out, rs);
	else
		text_rows(out, rs, o->bytes, NULL);
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
	int r;

	r = load_snap(o, &s, 0);
	if (r)
		return r;
	if (o->json) {
		json_status_doc(out, &s);
	} else if (o->prom) {
		prom_status(out, &s);
	} else {
		text_status(out, &s, o->bytes);
	}
	snap_free(&s);
	return EX_OK;
}

/* ---- events ---- */

int cmd_events(const struct opts *o, FILE *out)
{
	struct snap s;
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
		json_events_doc(out, &s, o->module);
		snap_free(&s);
		return EX_OK;
	}
	if (o->prom) {
		prom_events(out, &s);
		snap_free(&s);
		return EX_OK;
	}
	{
		struct entry_view v = { o->module, o->limit, entry_sort, o->bytes };

		text_events(out, &s.ev, &v);
	}
	snap_free(&s);
	return EX_OK;
}
