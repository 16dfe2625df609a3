// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_diff.c - growth per module and per cache between a baseline snapshot
 * and a later snapshot (or the live system), with a verdict line.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "json.h"
#include "text.h"
#include "diff.h"
#include "grid.h"
#include "jsonfmt.h"
#include "promfmt.h"
#include "units.h"

static void prom_rows(FILE *out, const struct dtab *d, const char *label, const char *mb,
		      const char *mo, long limit)
{
	const char *lk[1] = { label }, *lv[1];
	char help[128];
	size_t i;

	snprintf(help, sizeof(help), "Growth of live bytes per %s since the baseline snapshot.",
		 label);
	prom_family(out, mb, "gauge", help);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		lv[0] = d->rows[i].name;
		prom_sample_s(out, mb, lk, lv, 1, d->rows[i].delta);
	}
	snprintf(help, sizeof(help), "Growth of live objects per %s since the baseline snapshot.",
		 label);
	prom_family(out, mo, "gauge", help);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		lv[0] = d->rows[i].name;
		prom_sample_s(out, mo, lk, lv, 1, d->rows[i].dlive);
	}
}

int cmd_diff(const struct opts *o, FILE *out)
{
	struct opts bo = *o;
	struct snap base, cur;
	struct snapdiff d;
	int sk = diff_sort_key(o->sort), r;

	if (sk < 0) {
		fprintf(stderr,
			"oomtrace: unknown sort column '%s'; diff sorts by growth, live_bytes, objects or name\n",
			o->sort);
		return EX_USAGE;
	}
	bo.from = o->args[0];
	r = load_snap(&bo, &base, LOAD_MODULES | LOAD_SLABS | LOAD_CALLSITES);
	if (r)
		return r;
	bo.from = o->nargs > 1 ? o->args[1] : o->from;
	r = load_snap(&bo, &cur, LOAD_MODULES | LOAD_SLABS | LOAD_CALLSITES);
	if (r) {
		snap_free(&base);
		return r;
	}
	if (diff_snaps(&d, &base, &cur, sk, o->bytes)) {
		fprintf(stderr, "oomtrace: out of memory\n");
		snap_free(&base);
		snap_free(&cur);
		return EX_ERR;
	}
	if (o->json) {
		json_diff(out, &d, o->limit);
	} else if (o->prom) {
		prom_rows(out, &d.mods, "module", "oomtrace_diff_module_growth_bytes",
			  "oomtrace_diff_module_growth_objects", o->limit);
		prom_rows(out, &d.caches, "cache", "oomtrace_diff_cache_growth_bytes",
			  "oomtrace_diff_cache_growth_objects", o->limit);
		prom_rows(out, &d.sites, "callsite", "oomtrace_diff_callsite_growth_bytes",
			  "oomtrace_diff_callsite_growth_objects", o->limit);
	} else {
		text_diff(out, &d, o->limit, o->bytes);
	}
	snapdiff_free(&d);
	snap_free(&base);
	snap_free(&cur);
	return EX_OK;
}
