// SPDX-License-Identifier: GPL-2.0
/*
 * entries.c - the order of an OOM event's module and cache entries:
 * by growth (the default), live bytes or name.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entries.h"
#include "sort.h"

int entry_sort_key(const char *s)
{
	if (!s || !strcasecmp(s, "delta_bytes") || !strcasecmp(s, "growth"))
		return ENTRY_BY_GROWTH;
	if (!strcasecmp(s, "live_bytes"))
		return ENTRY_BY_LIVE_BYTES;
	if (!strcasecmp(s, "name"))
		return ENTRY_BY_NAME;
	return -1;
}

/* ctx: the ENTRY_BY_* key */
static int cmp_entry(const void *a, const void *b, void *ctx)
{
	const struct ev_entry *x = a, *y = b;
	int key = *(const int *)ctx;

	if (key == ENTRY_BY_GROWTH && x->delta_bytes != y->delta_bytes)
		return x->delta_bytes > y->delta_bytes ? -1 : 1;
	if (key == ENTRY_BY_LIVE_BYTES && x->live_bytes != y->live_bytes)
		return x->live_bytes > y->live_bytes ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct ev_entry *entries_sorted(const struct ev_entry *src, size_t n, int key)
{
	struct ev_entry *e;

	if (!n || !(e = malloc(n * sizeof(*e))))
		return NULL;
	memcpy(e, src, n * sizeof(*e));
	sort_stable(e, n, sizeof(*e), cmp_entry, &key);
	return e;
}
