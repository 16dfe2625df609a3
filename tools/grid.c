// SPDX-License-Identifier: GPL-2.0
/*
 * grid.c - aligned text tables, and names made safe for a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "grid.h"
#include "utf8.h"

void grid_init(struct grid *g, int ncols, const char *const *heads,
	       const unsigned char *right)
{
	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
	g->heads = heads;
	g->right = right;
}

static char *dupstr(const char *s)
{
	size_t n = strlen(s ? s : "");
	char *d = malloc(n + 1);

	if (d)
		memcpy(d, s ? s : "", n + 1);
	return d;
}

int grid_add(struct grid *g, const char *const *cells)
{
	int i;

	if (array_grow(&g->cells, &g->cap, g->nrows, (size_t)g->ncols * sizeof(*g->cells), 32, 0))
		return -1;
	for (i = 0; i < g->ncols; i++) {
		char *d = dupstr(cells[i]);

		if (!d) {
			while (i--)
				free(g->cells[g->nrows * (size_t)g->ncols + (size_t)i]);
			return -1;
		}
		g->cells[g->nrows * (size_t)g->ncols + (size_t)i] = d;
	}
	g->nrows++;
	return 0;
}

/* Display width of s as fmt_safe prints it (one column per character). */
static size_t safe_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0;

	while (*s) {
		int n = *s >= 0x80 ? utf8_len(s) : 1;

		s += n ? n : 1;
		w++;
	}
	return w;
}

void fmt_safe(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		int n;

		if (*s < 0x20 || *s == 0x7f) {
			fputc('?', out);
			s++;
		} else if (*s < 0x80) {
			fputc(*s++, out);
		} else if ((n = utf8_len(s))) {
			fwrite(s, 1, (size_t)n, out);
			s += n;
		} else {
			fputc('?', out);	/* invalid UTF-8 */
			s++;
		}
	}
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

static void cell(FILE *out, const char *s, size_t w, int right, int last)
{
	size_t l = safe_width(s);

	if (right)
		pad(out, w - l);
	fmt_safe(out, s);
	if (!right && !last)
		pad(out, w - l);
}

void grid_print(const struct grid *g, FILE *out, const char *indent)
{
	size_t w[64] = { 0 };
	size_t r;
	int i, nc = g->ncols > 64 ? 64 : g->ncols;

	for (i = 0; i < nc; i++)
		w[i] = safe_width(g->heads[i]);
	for (r = 0; r < g->nrows; r++)
		for (i = 0; i < nc; i++) {
			size_t l = safe_width(g->cells[r * (size_t)g->ncols + (size_t)i]);

			if (l > w[i])
				w[i] = l;
		}
	fputs(indent ? indent : "", out);
	for (i = 0; i < nc; i++) {
		if (i)
			fputs("  ", out);
		cell(out, g->heads[i], w[i], g->right && g->right[i], i == nc - 1);
	}
	fputc('\n', out);
	for (r = 0; r < g->nrows; r++) {
		fputs(indent ? indent : "", out);
		for (i = 0; i < nc; i++) {
			if (i)
				fputs("  ", out);
			cell(out, g->cells[r * (size_t)g->ncols + (size_t)i], w[i],
			     g->right && g->right[i], i == nc - 1);
		}
		fputc('\n', out);
	}
}

void grid_free(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->nrows * (size_t)g->ncols; i++)
		free(g->cells[i]);
	free(g->cells);
	memset(g, 0, sizeof(*g));
}
