// SPDX-License-Identifier: GPL-2.0
/*
 * text_table.c - a table's rows and the status as aligned text.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "grid.h"
#include "text.h"
#include "units.h"

static void upper(char *d, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n && s[i]; i++)
		d[i] = (char)toupper((unsigned char)s[i]);
	d[i] = 0;
}

void text_rows(FILE *out, const struct rowset *rs, int raw, const char *indent)
{
	const struct tabdef *def = rs->t->def;
	char heads[OT_MAX_COLS][32];
	const char *hp[OT_MAX_COLS], *cells[OT_MAX_COLS];
	char num[OT_MAX_COLS][FMT_NUMLEN];
	unsigned char right[OT_MAX_COLS];
	struct grid g;
	size_t r;
	int i;

	for (i = 0; i < def->ncols; i++) {
		upper(heads[i], def->cols[i].name, sizeof(heads[i]));
		hp[i] = heads[i];
		right[i] = def->cols[i].type != COL_STR;
	}
	grid_init(&g, def->ncols, hp, right);
	for (r = 0; r < rs->n; r++) {
		const struct row *rw = rs->r[r];

		for (i = 0; i < def->ncols; i++) {
			if (def->cols[i].type == COL_STR)
				cells[i] = rw->s[i];
			else if (rs->t->absent & (1u << i))
				cells[i] = "-";
			else if (def->cols[i].type == COL_BYTES)
				cells[i] = fmt_bytes(num[i], sizeof(num[i]), rw->v[i], raw);
			else
				cells[i] = fmt_u64(num[i], sizeof(num[i]), rw->v[i]);
		}
		grid_add(&g, cells);
	}
	grid_print(&g, out, indent);
	grid_free(&g);
}

int text_table_rows(FILE *out, const struct table *t, const char *sort, long limit, int raw)
{
	struct rowset rs;

	if (rowset_make(&rs, t, 0, NULL, sort, limit))
		return -1;
	if (!rs.n)
		fputs("  (none)\n", out);
	else
		text_rows(out, &rs, raw, "  ");
	rowset_free(&rs);
	return 0;
}

/* The status file's "key: value" lines, aligned, then the snapshot's time. */
void text_status(FILE *out, const struct snap *s, int raw)
{
	static const char *const heads[] = { "KEY", "VALUE" };
	struct grid g;
	size_t i, j, w = 0;

	grid_init(&g, 2, heads, NULL);
	for (i = 0; i < s->st.n; i++) {
		char key[OT_MAX_LINE + 2], num[FMT_NUMLEN];
		const char *cells[2];
		uint64_t u;

		snprintf(key, sizeof(key), "%s:", s->st.kv[i].key);
		cells[0] = key;
		cells[1] = s->st.kv[i].val;
		if (!strcmp(s->st.kv[i].key, "module_bytes") && !parse_u64(s->st.kv[i].val, &u))
			cells[1] = fmt_bytes(num, sizeof(num), u, raw);
		grid_add(&g, cells);
	}
	if (s->timestamp[0]) {
		const char *cells[2] = { "snapshot_time:", s->timestamp };

		grid_add(&g, cells);
	}
	/* print without the header line: status is key: value */
	for (j = 0; j < g.nrows; j++)
		if (strlen(g.cells[j * 2]) > w)
			w = strlen(g.cells[j * 2]);
	for (i = 0; i < g.nrows; i++) {
		fmt_safe(out, g.cells[i * 2]);
		fprintf(out, "%*s", (int)(w + 1 - strlen(g.cells[i * 2])), "");
		fmt_safe(out, g.cells[i * 2 + 1]);
		fputc('\n', out);
	}
	grid_free(&g);
}
