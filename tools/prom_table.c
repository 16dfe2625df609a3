// SPDX-License-Identifier: GPL-2.0
/*
 * prom_table.c - a table's rows as Prometheus metrics: one family per
 * numeric column of the schema, each series once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "promfmt.h"
#include "sort.h"

/* Order by the label columns, so that duplicate series end up adjacent. */
static int cmp_labels(const void *a, const void *b, void *ctx)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	const struct tabdef *label_def = ctx;
	int i, c;

	for (i = 0; i < label_def->ncols; i++) {
		if (!label_def->cols[i].label)
			continue;
		c = strcmp(x->s[i], y->s[i]);
		if (c)
			return c;
	}
	return 0;
}

void prom_listing(FILE *out, const struct snap *s, const struct rowset *rs)
{
	const char *name[1] = { rs->t->def->name };
	struct partial p;
	const struct partial *pp = &p;

	prom_rows(out, rs);
	snap_partial(s, &p);
	if (partial_any(&p))
		prom_partial(out, &pp, "table", name, 1);
}

void prom_rows(FILE *out, const struct rowset *rs)
{
	const struct tabdef *def = rs->t->def;
	const char *lk[OT_MAX_COLS], *lv[OT_MAX_COLS];
	const struct row **r = NULL;
	size_t i, n = 0;
	int c, j, nl = 0;

	for (j = 0; j < def->ncols; j++)
		if (def->cols[j].label)
			lk[nl++] = j ? def->cols[j].name : def->label;
	/* a series may appear only once: drop rows repeating a label set */
	if (rs->n) {
		r = malloc(rs->n * sizeof(*r));
		if (!r)
			return;
		memcpy(r, rs->r, rs->n * sizeof(*r));
		sort_stable(r, rs->n, sizeof(*r), cmp_labels, (void *)def);
		for (i = 0; i < rs->n; i++)
			if (!n || cmp_labels(&r[n - 1], &r[i], (void *)def))
				r[n++] = r[i];
	}
	for (c = 0; c < def->ncols; c++) {
		if (!def->cols[c].prom || (rs->t->absent & (1u << c)))
			continue;
		prom_family(out, def->cols[c].prom, def->cols[c].prom_type, def->cols[c].help);
		for (i = 0; i < n; i++) {
			int k = 0;

			for (j = 0; j < def->ncols; j++)
				if (def->cols[j].label)
					lv[k++] = r[i]->s[j];
			prom_sample(out, def->cols[c].prom, lk, lv, nl, r[i]->v[c]);
		}
	}
	if (def == &tab_modules) {
		prom_family(out, "oomtrace_module_loaded", "gauge",
			    "1 while the module is loaded, 0 once it was unloaded.");
		for (i = 0; i < n; i++) {
			lv[0] = r[i]->s[MO_MODULE];
			prom_sample(out, "oomtrace_module_loaded", lk, lv, 1,
				    !strcmp(r[i]->s[MO_STATE], "live"));
		}
	}
	free(r);
}
