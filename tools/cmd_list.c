// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_list.c - the table listings: slabs, modules, callsites (--module,
 * --sort, -n), in text, JSON or Prometheus; the text's first line says
 * when the numbers are partial.
 */
#include <stdio.h>

#include "cmd.h"
#include "rows.h"
#include "json.h"
#include "prom.h"
#include "text.h"

static void emit(const struct opts *o, FILE *out, const struct snap *s,
		 const struct rowset *rs)
{
	struct partial p;

	if (o->json) {
		json_listing(out, s, rs);
	} else if (o->prom) {
		prom_listing(out, s, rs);
	} else {
		snap_partial(s, &p);
		text_partial(out, "partial: ", &p);
		text_rows(out, rs, o->bytes, NULL);
	}
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
