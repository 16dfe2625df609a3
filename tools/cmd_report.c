// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_report.c - oomtrace report: one page for a bug report (see
 * text_report.c), or the same as JSON or Prometheus metrics; of the live
 * system, a snapshot, or (--dmesg) the dump a kernel log holds.
 */
#include <stdio.h>

#include "cmd.h"
#include "json.h"
#include "prom.h"
#include "text.h"

int cmd_report(const struct opts *o, FILE *out)
{
	struct snap s;
	int r;

	r = o->dmesg ? load_dump(o, &s) : load_snap(o, &s, LOAD_ALL);
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
