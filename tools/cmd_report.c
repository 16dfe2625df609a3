// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_report.c - one page for a bug report: memory summary, top modules,
 * caches and call sites, the OOM timeline, leaks left behind, and the likely
 * culprit with the evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "memsum.h"
#include "text.h"
#include "grower.h"
#include "grid.h"
#include "jsonfmt.h"
#include "units.h"
#include "culprit.h"

static void report_prom(FILE *out, const struct snap *s, long limit)
{
	const struct table *t[] = { &s->modules, &s->slabs, &s->callsites };
	size_t i;

	render_status_prom(out, s);
	for (i = 0; i < 3; i++) {
		struct rowset rs;

		if (!t[i]->present || rowset_make(&rs, t[i], 0, NULL, NULL, limit))
			continue;
		render_prom(out, &rs);
		rowset_free(&rs);
	}
	render_events_prom(out, s);
}

int cmd_report(const struct opts *o, FILE *out)
{
	struct snap s;
	int r;

	r = load_snap(o, &s, LOAD_ALL);
	if (r)
		return r;
	if (o->json)
		json_report(out, &s, o->limit ? o->limit : 10);
	else if (o->prom)
		report_prom(out, &s, o->limit);
	else
		text_report(out, &s, o->limit ? o->limit : 10, o->bytes);
	snap_free(&s);
	return EX_OK;
}
