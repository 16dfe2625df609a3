// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_status.c - oomtrace status: the module's status file.
 */
#include <stdio.h>

#include "cmd.h"
#include "json.h"
#include "prom.h"
#include "text.h"

int cmd_status(const struct opts *o, FILE *out)
{
	struct snap s;
	int r;

	/* the coverage lines need slabs, meminfo and slab_reclaim: status prints without them */
	r = load_snap(o, &s, LOAD_SLABS_QUIET | LOAD_MEMINFO | LOAD_SLABINFO);
	if (r)
		return r;
	if (o->json) {
		json_status_doc(out, &s);
	} else if (o->prom) {
		prom_status(out, &s);
	} else {
		text_status(out, &s, o->bytes);
		text_coverage_status(out, &s, o->bytes);
	}
	snap_free(&s);
	return EX_OK;
}
