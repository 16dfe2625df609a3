// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - the parser of the table files (slabs, modules, callsites,
 * module_slabs): the banner, the column header mapped onto the schema,
 * then one row per line; malformed rows are skipped and counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "banner.h"
#include "lex.h"
#include "table.h"

void table_free(struct table *t)
{
	free(t->buf);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static int map_columns(struct table *t, char *colline, int *colidx, int *need,
		       char *err, size_t errlen)
{
	char *f[OT_MAX_FIELDS];
	int n, i, j;

	n = split(colline + 1, f, OT_MAX_FIELDS);
	if (n < 1) {
		seterr(err, errlen, "%s: empty column header line", t->def->name);
		return -1;
	}
	*need = 1;
	t->missing_cols = 0;
	for (i = 0; i < t->def->ncols; i++) {
		colidx[i] = -1;
		if (t->def->cols[i].computed) {
			t->absent |= 1u << i;
			continue;
		}
		if (i == 0) {
			colidx[0] = 0;	/* the first field is always the name */
			continue;
		}
		for (j = 1; j < n; j++) {
			if (!strcmp(f[j], t->def->cols[i].name)) {
				colidx[i] = j;
				break;
			}
		}
		if (colidx[i] < 0) {
			t->missing_cols++;
			t->absent |= 1u << i;
		}
		else if (colidx[i] + 1 > *need)
			*need = colidx[i] + 1;
	}
	return 0;
}

/* While a table file is read. */
struct reader {
	struct table *t;
	char *colline;		/* the column header line (the last '#' line before the data) */
	int nhash;		/* '#' lines seen before the data */
	int mapped;		/* colidx is set: the data has started */
	int need;		/* fields a row needs */
	int colidx[OT_MAX_COLS];	/* field of each schema column, -1 absent */
	char *err;
	size_t errlen;
};

/* One row from its fields; a malformed one is counted. 0, or -1 out of memory. */
static int add_row(struct reader *rd, char **f)
{
	struct table *t = rd->t;
	const struct tabdef *def = t->def;
	struct row *r;
	int i, bad = 0;
	int g = array_grow(&t->rows, &t->cap, t->nrows, sizeof(*t->rows), 64, OT_MAX_ROWS);

	if (g > 0) {
		t->bad++;
		return 0;
	}
	if (g < 0) {
		seterr(rd->err, rd->errlen, "%s: out of memory", def->name);
		return -1;
	}
	r = &t->rows[t->nrows];
	for (i = 0; i < def->ncols; i++) {
		r->v[i] = 0;
		r->s[i] = rd->colidx[i] >= 0 ? f[rd->colidx[i]] : "-";
		if (rd->colidx[i] < 0 || def->cols[i].type == COL_STR)
			continue;
		if (parse_value(r->s[i], &r->v[i]))
			bad = 1;
	}
	if (bad)
		t->bad++;
	else
		t->nrows++;
	return 0;
}

/*
 * A '#' line before the data: the banner, then the column header (the last
 * one); the partial line and lines this tool does not know in between.
 */
static int header_line(struct reader *rd, char *line)
{
	struct table *t = rd->t;

	if (rd->nhash++) {
		if (!parse_partial(line, &t->partial))
			rd->colline = line;
		return 0;
	}
	return parse_banner(line, t->def->name, &t->format, t->mode, sizeof(t->mode), rd->err,
			    rd->errlen);
}

/* A line that is not a '#' line: 0, or -1 with a message. */
static int data_line(struct reader *rd, char *line, size_t llen, int term)
{
	const char *name = rd->t->def->name;
	char *f[OT_MAX_FIELDS];
	int n;

	if (!rd->nhash) {
		seterr(rd->err, rd->errlen,
		       "not an oomtrace %s file (no '# oomtrace %s format=%d' line)", name, name,
		       OT_FORMAT);
		return -1;
	}
	if (llen > OT_MAX_LINE || !term) {
		rd->t->bad++;	/* overlong, or cut off by a truncation */
		return 0;
	}
	n = split(line, f, OT_MAX_FIELDS);
	if (!n)
		return 0;
	if (!rd->mapped) {
		if (!rd->colline) {
			seterr(rd->err, rd->errlen, "%s: no column header line before the data",
			       name);
			return -1;
		}
		if (map_columns(rd->t, rd->colline, rd->colidx, &rd->need, rd->err, rd->errlen))
			return -1;
		rd->mapped = 1;
	}
	if (n < rd->need) {
		rd->t->bad++;
		return 0;
	}
	return add_row(rd, f);
}

int table_parse(struct table *t, const struct tabdef *def, const char *data,
		size_t len, char *err, size_t errlen)
{
	struct reader rd = { .t = t, .need = 1, .err = err, .errlen = errlen };
	struct lines L;
	char *line;
	size_t llen;
	int term, rc = 0;

	memset(t, 0, sizeof(*t));
	t->def = def;
	snprintf(t->mode, sizeof(t->mode), "-");
	t->buf = own_copy(data, len);
	if (!t->buf) {
		seterr(err, errlen, "%s: out of memory", def->name);
		return -1;
	}
	L.p = t->buf;
	L.end = t->buf + len;
	while (!rc && (line = next_line(&L, &llen, &term))) {
		if (line[0] != '#')
			rc = data_line(&rd, line, llen, term);
		else if (!rd.mapped)	/* '#' lines after the data are comments */
			rc = header_line(&rd, line);
	}
	if (!rc && !rd.nhash) {
		seterr(err, errlen, "empty file (no '# oomtrace %s format=%d' line)", def->name,
		       OT_FORMAT);
		rc = -1;
	}
	if (rc) {
		table_free(t);
		t->def = def;
		return rc;
	}
	if (!rd.mapped) {	/* no rows: computed columns are still absent */
		for (int i = 0; i < def->ncols; i++)
			if (def->cols[i].computed)
				t->absent |= 1u << i;
	}
	t->present = 1;
	return 0;
}
