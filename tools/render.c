// SPDX-License-Identifier: GPL-2.0
/*
 * render.c - select and sort table rows, and print them as an aligned text
 * table, JSON or Prometheus metrics. Shared by every command.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "grid.h"
#include "jsonfmt.h"
#include "promfmt.h"
#include "units.h"
#include "sort.h"

int load_snap(const struct opts *o, struct snap *s, unsigned what)
{
	struct source src;
	char err[OT_ERRLEN + OT_PATH];

	if (o->from)
		source_dir(&src, o->from);
	else
		source_live(&src);
	if (snap_load(s, &src, what, err, sizeof(err))) {
		fprintf(stderr, "oomtrace: %s\n", err);
		return EX_ERR;
	}
	snap_warn(s);
	return EX_OK;
}

