/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rows.h - rows of a table chosen, sorted and summed.
 */
#ifndef OOMTRACE_ROWS_H
#define OOMTRACE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "snap.h"

/* A selection of rows of one table, in display order. */
struct rowset {
	const struct table *t;
	const struct row **r;
	size_t n;
};

/*
 * Rows of t whose column `col` equals `match` (all rows when match is NULL),
 * sorted by `sort` (NULL: live_bytes), at most `limit` (0: all).
 * Returns 0, -1 (out of memory) or -2 (no such sort column: the caller says so).
 */
int rowset_make(struct rowset *rs, const struct table *t, int col, const char *match,
		const char *sort, long limit);
void rowset_free(struct rowset *rs);
/* Index of the sort column for def ("name" is the first column), -1 unknown. */
int sort_column(const struct tabdef *def, const char *name);
const struct row *table_find(const struct table *t, int col, const char *name);

/* Sum of live_bytes over the modules table (= bytes tracked). */
uint64_t tracked_bytes(const struct snap *s);
/* Modules unloaded with memory still allocated (at most max), in file order. */
size_t module_leaks(const struct snap *s, const struct row **out, size_t max);

#endif
