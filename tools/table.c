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

int table_parse(struct table *t, const struct tabdef *def, const char *data,
		size_t len, char *err, size_t errlen)
{
	struct lines L;
	char *line, *colline = NULL;
	int nhash = 0, mapped = 0, need = 1, term;
	int colidx[OT_MAX_COLS], rc = -1;
	size_t llen;

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
	while ((line = next_line(&L, &llen, &term))) {
		char *f[OT_MAX_FIELDS];
		struct row *r;
		int n, i, g, bad = 0;

		if (line[0] == '#') {
			if (mapped)
				continue;	/* comments after the data */
			if (!nhash++) {
				rc = parse_banner(line, def->name, &t->format, t->mode,
						  sizeof(t->mode), err, errlen);
				if (rc)
					goto fail;
			} else {
				colline = line;
			}
			continue;
		}
		if (!nhash) {
			seterr(err, errlen, "not an oomtrace %s file (no '# oomtrace %s format=%d' line)",
			       def->name, def->name, OT_FORMAT);
			goto fail;
		}
		if (llen > OT_MAX_LINE || !term) {
			t->bad++;	/* overlong, or cut off by a truncation */
			continue;
		}
		n = split(line, f, OT_MAX_FIELDS);
		if (!n)
			continue;
		if (!mapped) {
			if (!colline) {
				seterr(err, errlen, "%s: no column header line before the data",
				       def->name);
				goto fail;
			}
			if (map_columns(t, colline, colidx, &need, err, errlen))
				goto fail;
			mapped = 1;
		}
		if (n < need) {
			t->bad++;
			continue;
		}
		g = array_grow(&t->rows, &t->cap, t->nrows, sizeof(*t->rows), 64, OT_MAX_ROWS);
		if (g > 0) {
			t->bad++;
			continue;
		}
		if (g < 0) {
			seterr(err, errlen, "%s: out of memory", def->name);
			goto fail;
		}
		r = &t->rows[t->nrows];
		for (i = 0; i < def->ncols; i++) {
			r->v[i] = 0;
			r->s[i] = colidx[i] >= 0 ? f[colidx[i]] : "-";
			if (colidx[i] < 0 || def->cols[i].type == COL_STR)
				continue;
			if (parse_value(r->s[i], &r->v[i]))
				bad = 1;
		}
		if (bad) {
			t->bad++;
			continue;
		}
		t->nrows++;
	}
	if (!nhash) {
		seterr(err, errlen, "empty file (no '# oomtrace %s format=%d' line)", def->name,
		       OT_FORMAT);
		goto fail;
	}
	if (!mapped) {	/* no rows: computed columns are still absent */
		for (int i = 0; i < def->ncols; i++)
			if (def->cols[i].computed)
				t->absent |= 1u << i;
	}
	t->present = 1;
	return 0;
fail:
	table_free(t);
	t->def = def;
	return rc ? rc : -1;
}
