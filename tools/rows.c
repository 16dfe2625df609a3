// SPDX-License-Identifier: GPL-2.0
/*
 * rows.c - rows of a table chosen, sorted and summed: the selection every
 * listing and the report show, without printing anything.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rows.h"
#include "sort.h"

int sort_column(const struct tabdef *def, const char *name)
{
	int i;

	if (!name || !strcasecmp(name, "name"))
		return 0;
	for (i = 0; i < def->ncols; i++)
		if (!strcasecmp(def->cols[i].name, name))
			return i;
	return -1;
}

struct row_order {
	int col;
	enum coltype type;
};

static int cmp_rows(const void *a, const void *b, void *ctx)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	const struct row_order *o = ctx;
	int c;

	if (o->type == COL_STR) {
		c = strcmp(x->s[o->col], y->s[o->col]);
		if (c)
			return c;
	} else if (x->v[o->col] != y->v[o->col]) {
		return x->v[o->col] > y->v[o->col] ? -1 : 1;	/* largest first */
	}
	c = strcmp(x->s[0], y->s[0]);
	if (c)
		return c;
	return x < y ? -1 : x > y;	/* stable */
}

int rowset_make(struct rowset *rs, const struct table *t, int col, const char *match,
		const char *sort, long limit)
{
	struct row_order ord;
	size_t i;
	int sc;

	memset(rs, 0, sizeof(*rs));
	rs->t = t;
	sc = sort ? sort_column(t->def, sort) : table_col(t->def, "live_bytes");
	if (sc < 0)
		return -2;
	if (!t->nrows)
		return 0;
	rs->r = malloc(t->nrows * sizeof(*rs->r));
	if (!rs->r)
		return -1;
	for (i = 0; i < t->nrows; i++)
		if (!match || !strcmp(t->rows[i].s[col], match))
			rs->r[rs->n++] = &t->rows[i];
	ord.col = sc;
	ord.type = t->def->cols[sc].type;
	sort_stable(rs->r, rs->n, sizeof(*rs->r), cmp_rows, &ord);
	if (limit > 0 && (size_t)limit < rs->n)
		rs->n = (size_t)limit;
	return 0;
}

void rowset_free(struct rowset *rs)
{
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

const struct row *table_find(const struct table *t, int col, const char *name)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].s[col], name))
			return &t->rows[i];
	return NULL;
}

uint64_t tracked_bytes(const struct snap *s)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->modules.nrows; i++)
		sum += s->modules.rows[i].v[MO_LIVE_BYTES];
	return sum;
}

size_t module_leaks(const struct snap *s, const struct row **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < s->modules.nrows && n < max; i++)
		if (!strcmp(s->modules.rows[i].s[MO_STATE], "gone") &&
		    s->modules.rows[i].v[MO_LIVE_BYTES])
			out[n++] = &s->modules.rows[i];
	return n;
}
