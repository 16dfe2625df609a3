// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_report.c - one page for a bug report: memory summary, top modules,
 * caches and call sites, the OOM timeline, leaks left behind, and the likely
 * culprit with the evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "prom.h"
#include "json.h"
#include "memsum.h"
#include "text.h"
#include "grower.h"
#include "grid.h"
#include "jsonfmt.h"
#include "units.h"
#include "culprit.h"

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
		prom_report(out, &s, o->limit);
	else
		text_report(out, &s, o->limit ? o->limit : 10, o->bytes);
	snap_free(&s);
	return EX_OK;
}
