// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_snapshot.c - oomtrace snapshot: check the source reads, then save it
 * in one directory (snap_save).
 */
#include <stdio.h>

#include "cmd.h"

int cmd_snapshot(const struct opts *o, FILE *out)
{
	struct source src;
	struct snap s;
	char err[OT_ERRLEN + OT_PATH];
	int count;

	opts_source(o, &src);
	/* status first: says clearly when the module is not loaded */
	if (snap_load(&s, &src, 0, err, sizeof(err))) {
		fprintf(stderr, "oomtrace: %s\n", err);
		return EX_ERR;
	}
	snap_free(&s);
	count = snap_save(&src, o->outdir);
	if (count < 0)
		return EX_ERR;
	fprintf(out, "snapshot of %s saved in %s (%d files and a timestamp)\n", src.label,
		o->outdir, count);
	return EX_OK;
}
