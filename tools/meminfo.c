// SPDX-License-Identifier: GPL-2.0
/*
 * meminfo.c - the parser of /proc/meminfo ("Key: N kB" lines), and the
 * per-CPU page lists of /proc/zoneinfo.
 */
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "meminfo.h"

int meminfo_parse(struct meminfo *m, const char *data, size_t len)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->buf = own_copy(data, len);
	m->kv = calloc(OT_MAX_KV, sizeof(*m->kv));
	if (!m->buf || !m->kv) {
		meminfo_free(m);
		return -1;
	}
	parse_kv_lines(m->buf, len, m->kv, &m->n);
	for (i = 0; i < m->n; i++) {
		/* "16318412 kB" -> "16318412" */
		char *v = (char *)m->kv[i].val, *sp = v;

		while (*sp && !is_ws(*sp))
			sp++;
		*sp = 0;
	}
	m->present = 1;
	return 0;
}

uint64_t meminfo_kb(const struct meminfo *m, const char *key, int *found)
{
	size_t i;
	uint64_t u;

	if (found)
		*found = 0;
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->kv[i].key, key))
			continue;
		if (parse_u64(m->kv[i].val, &u))
			return 0;
		if (found)
			*found = 1;
		return u;
	}
	return 0;
}

void meminfo_free(struct meminfo *m)
{
	free(m->buf);
	free(m->kv);
	memset(m, 0, sizeof(*m));
}

int zoneinfo_pcp_pages(const char *data, size_t len, uint64_t *pages)
{
	const char *p = data, *end = data + len;
	int found = 0;

	*pages = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q = p;
		size_t n = (nl ? nl : end) - p;
		uint64_t v = 0;
		int digits = 0;

		while (q < p + n && is_ws(*q))
			q++;
		/* "              count: 12" under "    cpu: N" of "  pagesets" */
		if ((size_t)(p + n - q) > 6 && !memcmp(q, "count:", 6)) {
			for (q += 6; q < p + n && is_ws(*q); q++)
				;
			for (; q < p + n && *q >= '0' && *q <= '9' && v < UINT64_MAX / 16; q++, digits++)
				v = v * 10 + (uint64_t)(*q - '0');
			if (digits && q == p + n) {
				*pages = *pages + v < *pages ? UINT64_MAX : *pages + v;
				found = 1;
			}
		}
		p += n + 1;
	}
	return found ? 0 : -1;
}
