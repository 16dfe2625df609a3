/* SPDX-License-Identifier: GPL-2.0 */
/*
 * banner.h - the file format this tool knows, and the first line of the
 * table and events files: "# oomtrace NAME format=N [mode=M] ...".
 */
#ifndef OOMTRACE_BANNER_H
#define OOMTRACE_BANNER_H

#include <stddef.h>

/* OT_FORMAT, the only file format this tool knows, and the file names. */
#include "../module/format.h"

#define OT_EFORMAT (-2)	/* parsers: a format this tool does not know */

/*
 * line: the banner (from its '#'), split in place. Sets *format, and mode
 * (when not NULL) from mode=. Returns 0, -1 (not the banner of the file
 * `want`) or OT_EFORMAT (a format other than OT_FORMAT), with a message.
 */
int parse_banner(char *line, const char *want, int *format, char *mode,
		 size_t modelen, char *err, size_t errlen);

#endif
