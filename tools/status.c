// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - the parser of /proc/oomtrace/status ("key: value" lines,
 * with a format: line this tool must know).
 */
#include <stdlib.h>
#include <string.h>

#include "banner.h"
#include "status.h"

void status_free(struct status *st)
{
	free(st->buf);
	free(st->kv);
	memset(st, 0, sizeof(*st));
}

const char *status_get(const struct status *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->kv[i].key, key))
			return st->kv[i].val;
	return NULL;
}

uint64_t status_u64(const struct status *st, const char *key)
{
	const char *v = status_get(st, key);
	uint64_t u;

	if (!v || parse_u64(v, &u))
		return 0;
	return u;
}

void status_partial(const struct status *st, struct partial *p)
{
	static const char *const keys[] = { "allocs_seen", "dropped", "estimated", "lost_frees",
		"probe_missed" };
	static const unsigned bits[] = { PARTIAL_ALLOCS, PARTIAL_DROPPED, PARTIAL_ESTIMATED,
		PARTIAL_LOST_FREES, PARTIAL_MISSED };
	uint64_t *val[] = { &p->allocs, &p->dropped, &p->estimated, &p->lost_frees,
		&p->missed };
	const char *v, *mode = status_get(st, "mode");
	int k;

	memset(p, 0, sizeof(*p));
	for (k = 0; k < 5; k++)
		if ((v = status_get(st, keys[k])) && !parse_u64(v, val[k]))
			p->known |= bits[k];
	p->sampled = mode && !strcmp(mode, "sampled");
	v = status_get(st, "kernel_sampled");
	if (p->sampled || (v && (!strcmp(v, "yes") || !strcmp(v, "no")))) {
		p->kernel_sampled = p->sampled || !strcmp(v, "yes");
		p->known |= PARTIAL_KERNEL;
	}
}

int status_parse(struct status *st, const char *data, size_t len, char *err,
		 size_t errlen)
{
	const char *f;
	uint64_t u;

	memset(st, 0, sizeof(*st));
	st->buf = own_copy(data, len);
	st->kv = calloc(OT_MAX_KV, sizeof(*st->kv));
	if (!st->buf || !st->kv) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	st->bad = parse_kv_lines(st->buf, len, st->kv, &st->n);
	f = status_get(st, "format");
	if (!f) {
		seterr(err, errlen, st->n ? "no 'format:' line (truncated file?)"
			      : "empty or not an oomtrace status file");
		goto fail;
	}
	if (parse_u64(f, &u) || u != OT_FORMAT) {
		seterr(err, errlen,
		       "unsupported format '%.32s': this oomtrace understands format %d only (upgrade the tool)",
		       f, OT_FORMAT);
		status_free(st);
		return OT_EFORMAT;
	}
	st->format = (int)u;
	st->present = 1;
	return 0;
fail:
	status_free(st);
	return -1;
}
