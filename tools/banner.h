/* SPDX-License-Identifier: GPL-2.0 */
/*
 * banner.h - the file format this tool knows, the first line of the table
 * and events files ("# oomtrace NAME format=N [mode=M] ...") and the line
 * that says which of their numbers are not exact ("# partial ...").
 */
#ifndef OOMTRACE_BANNER_H
#define OOMTRACE_BANNER_H

#include <stddef.h>
#include <stdint.h>

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

/*
 * What a file's (or the status') numbers miss: allocations not counted
 * (dropped), counted by estimate, frees not seen. docs/format.md: "# partial
 * allocs=A dropped=D estimated=E lost_frees=L kernel=exact|sampled".
 */
struct partial {
	unsigned known;		/* PARTIAL_* bits: the counts given */
	uint64_t allocs;	/* allocations seen since load or reset */
	uint64_t dropped, estimated, lost_frees;
	int kernel_sampled;	/* [kernel]'s numbers are estimates */
	int sampled;		/* sampled mode: every number is an estimate */
	uint64_t missed;	/* probe calls whose handler did not run */
};

enum {
	PARTIAL_ALLOCS = 1 << 0,
	PARTIAL_DROPPED = 1 << 1,
	PARTIAL_ESTIMATED = 1 << 2,
	PARTIAL_LOST_FREES = 1 << 3,
	PARTIAL_KERNEL = 1 << 4,
	PARTIAL_MISSED = 1 << 5,
};

/*
 * A '#' line of a file's header: 1 when it is the "# partial" line (then
 * split in place and read into *p: unknown keys and values that do not
 * parse are left out), 0 when it is another line (left untouched).
 */
int parse_partial(char *line, struct partial *p);

#endif
