// SPDX-License-Identifier: GPL-2.0
/*
 * slabinfo.c - the parsers of /proc/slabinfo and of slab_reclaim. Both are
 * kept sorted by cache name, so that the report joins them with oomtrace's
 * slabs in n log n whatever their size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "lex.h"
#include "slabinfo.h"
#include "sort.h"

/* a * b, UINT64_MAX when it does not fit */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	return a && b > UINT64_MAX / a ? UINT64_MAX : a * b;
}

/*
 * "NAME ACTIVE NUM OBJSIZE PERSLAB PAGES : tunables L B S : slabdata
 * ACTIVE_SLABS NUM_SLABS SHARED": 0, or 1 when it does not parse.
 */
static int slabinfo_row(struct row *r, char **f, int n)
{
	/* the fields of objsize, active_objs, num_objs, num_slabs */
	static const int field[] = { 3, 1, 2, 14 };
	uint64_t pages;
	size_t i;

	if (n < 16 || strcmp(f[6], ":") || strcmp(f[11], ":") || strcmp(f[12], "slabdata") ||
	    parse_u64(f[5], &pages))
		return 1;
	for (i = 0; i < OT_MAX_COLS; i++) {
		r->s[i] = "-";
		r->v[i] = 0;
	}
	r->s[SI_CACHE] = f[0];
	for (i = 0; i < sizeof(field) / sizeof(field[0]); i++) {
		r->s[SI_OBJSIZE + i] = f[field[i]];
		if (parse_u64(f[field[i]], &r->v[SI_OBJSIZE + i]))
			return 1;
	}
	r->v[SI_INUSE_BYTES] = mul_sat(r->v[SI_ACTIVE_OBJS], r->v[SI_OBJSIZE]);
	r->v[SI_SLAB_BYTES] = mul_sat(mul_sat(r->v[SI_NUM_SLABS], pages), OT_PAGE_BYTES);
	r->s[SI_INUSE_BYTES] = r->s[SI_SLAB_BYTES] = "";
	return 0;
}

static int cmp_row_name(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	return strcmp(((const struct row *)a)->s[0], ((const struct row *)b)->s[0]);
}

int slabinfo_parse(struct table *t, const char *data, size_t len)
{
	struct lines L;
	char *line, *f[OT_MAX_FIELDS];
	size_t llen;
	int term, n, g, first = 1;

	memset(t, 0, sizeof(*t));
	t->def = &tab_slabinfo;
	t->buf = own_copy(data, len);
	if (!t->buf)
		return -1;
	L.p = t->buf;
	L.end = t->buf + len;
	while ((line = next_line(&L, &llen, &term))) {
		if (first) {
			first = 0;
			if (strncmp(line, "slabinfo - version: 2.", 22))
				goto fail;	/* not /proc/slabinfo, or a layout not known */
			continue;
		}
		if (line[0] == '#' || !(n = split(line, f, OT_MAX_FIELDS)))
			continue;
		g = array_grow(&t->rows, &t->cap, t->nrows, sizeof(*t->rows), 64, OT_MAX_ROWS);
		if (g < 0)
			goto fail;
		if (g || llen > OT_MAX_LINE || !term) {
			t->bad++;	/* beyond the bound, overlong, or cut off */
			continue;
		}
		if (slabinfo_row(&t->rows[t->nrows], f, n))
			t->bad++;
		else
			t->nrows++;
	}
	if (first)
		goto fail;
	sort_stable(t->rows, t->nrows, sizeof(*t->rows), cmp_row_name, NULL);
	/* oomtrace's share and reclaimability are the caller's to fill in */
	t->absent = 1u << SI_TRACKED_BYTES | 1u << SI_UNTRACKED_BYTES | 1u << SI_RECLAIMABLE;
	snprintf(t->mode, sizeof(t->mode), "-");
	t->present = 1;
	return 0;
fail:
	table_free(t);
	t->def = &tab_slabinfo;
	return -1;
}

struct row *slabinfo_find(const struct table *t, const char *cache)
{
	size_t lo = 0, hi = t->nrows;

	while (lo < hi) {	/* the first row not below cache */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->rows[mid].s[0], cache) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nrows && !strcmp(t->rows[lo].s[0], cache) ? &t->rows[lo] : NULL;
}

static int cmp_reclaim(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	return strcmp(((const struct reclaim_ent *)a)->name, ((const struct reclaim_ent *)b)->name);
}

int reclaim_parse(struct reclaim *r, const char *data, size_t len)
{
	struct lines L;
	char *line, *f[3];
	size_t llen;
	int term, n, g;
	uint64_t u;

	memset(r, 0, sizeof(*r));
	r->buf = own_copy(data, len);
	if (!r->buf)
		return -1;
	L.p = r->buf;
	L.end = r->buf + len;
	while ((line = next_line(&L, &llen, &term))) {
		if (line[0] == '#' || !(n = split(line, f, 3)))
			continue;
		g = array_grow(&r->e, &r->cap, r->n, sizeof(*r->e), 64, OT_MAX_ROWS);
		if (g < 0) {
			reclaim_free(r);
			return -1;
		}
		if (g || n != 2 || !term || parse_u64(f[1], &u) || u > 1) {
			r->bad++;
			continue;
		}
		r->e[r->n].name = f[0];
		r->e[r->n++].reclaim = (int)u;
	}
	sort_stable(r->e, r->n, sizeof(*r->e), cmp_reclaim, NULL);
	r->present = 1;
	return 0;
}

int reclaim_of(const struct reclaim *r, const char *cache)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->e[mid].name, cache) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && !strcmp(r->e[lo].name, cache) ? r->e[lo].reclaim : -1;
}

void reclaim_free(struct reclaim *r)
{
	free(r->buf);
	free(r->e);
	memset(r, 0, sizeof(*r));
}
