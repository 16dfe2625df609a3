/* SPDX-License-Identifier: GPL-2.0 */
/*
 * table.h - the parser of the table files: slabs, modules, callsites,
 * module_slabs.
 */
#ifndef OOMTRACE_TABLE_H
#define OOMTRACE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "banner.h"
#include "schema.h"

#define OT_MAX_ROWS 1000000

struct row {
	const char *s[OT_MAX_COLS];	/* text of each schema column ("-" if absent) */
	uint64_t v[OT_MAX_COLS];	/* value of numeric columns (0 if absent) */
};

struct table {
	const struct tabdef *def;
	char *buf;		/* owned copy of the file; s[] points into it */
	struct row *rows;
	size_t nrows, cap;
	int format;
	char mode[16];
	int present;		/* the file was found and parsed */
	size_t bad;		/* malformed rows skipped */
	int missing_cols;	/* schema columns absent from the header */
	unsigned absent;	/* bit i: schema column i has no data */
	struct partial partial;	/* its "# partial" line (known == 0: none) */
};

/*
 * Return 0 on success, -1 (malformed) or OT_EFORMAT (unknown format) with a
 * message in err (which may be NULL).
 */
int table_parse(struct table *t, const struct tabdef *def, const char *data,
		size_t len, char *err, size_t errlen);
void table_free(struct table *t);

#endif
