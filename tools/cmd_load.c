// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_load.c - what every command does first: load the source the options
 * name (--from DIR, else the live system; report --dmesg: a kernel log),
 * saying why when it cannot.
 */
#include <stdio.h>

#include "cmd.h"

void opts_source(const struct opts *o, struct source *src)
{
	if (o->from)
		source_dir(src, o->from);
	else
		source_live(src);
}

int load_snap(const struct opts *o, struct snap *s, unsigned what)
{
	struct source src;
	char err[OT_ERRLEN + OT_PATH];

	opts_source(o, &src);
	if (snap_load(s, &src, what, err, sizeof(err))) {
		fprintf(stderr, "oomtrace: %s\n", err);
		return EX_ERR;
	}
	snap_warn(s);
	return EX_OK;
}


int load_dump(const struct opts *o, struct snap *s)
{
	char err[OT_ERRLEN + OT_PATH];

	if (snap_load_dump(s, o->dmesg, err, sizeof(err))) {
		fprintf(stderr, "oomtrace: %s\n", err);
		return EX_ERR;
	}
	snap_warn(s);
	return EX_OK;
}
