/* SPDX-License-Identifier: GPL-2.0 */
/*
 * grid.h - aligned text tables, and names made safe for a terminal.
 */
#ifndef OOMTRACE_GRID_H
#define OOMTRACE_GRID_H

#include <stddef.h>
#include <stdio.h>

/* Aligned text table. Cells are copied; non-printable bytes print as '?'. */
struct grid {
	int ncols;
	const char *const *heads;
	const unsigned char *right;	/* per column: right-aligned */
	char **cells;			/* nrows * ncols */
	size_t nrows, cap;
};

void grid_init(struct grid *g, int ncols, const char *const *heads,
	       const unsigned char *right);
int grid_add(struct grid *g, const char *const *cells);
void grid_print(const struct grid *g, FILE *out, const char *indent);
void grid_free(struct grid *g);

/* Terminal-safe copy of a name (control bytes -> '?'). */
void fmt_safe(FILE *out, const char *s);

#endif
