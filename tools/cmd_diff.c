// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_diff.c - oomtrace diff: growth per module, cache and call site
 * between a baseline snapshot and a later snapshot (or the live system),
 * with a verdict line, in text, JSON or Prometheus.
 */
#include <stdio.h>

#include "cmd.h"
#include "diff.h"
#include "json.h"
#include "prom.h"
#include "text.h"

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
	r = load_snap(&bo, &base, LOAD_MODULES | LOAD_SLABS | LOAD_CALLSITES | LOAD_MODSLABS |
			      LOAD_SLABINFO);
	if (r)
		return r;
	bo.from = o->nargs > 1 ? o->args[1] : o->from;
	r = load_snap(&bo, &cur, LOAD_MODULES | LOAD_SLABS | LOAD_CALLSITES | LOAD_MODSLABS |
			      LOAD_SLABINFO);
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
		prom_diff(out, &d, o->limit);
	} else {
		text_diff(out, &d, o->limit, o->bytes);
	}
	snapdiff_free(&d);
	snap_free(&base);
	snap_free(&cur);
	return EX_OK;
}
