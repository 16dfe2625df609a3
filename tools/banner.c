// SPDX-License-Identifier: GPL-2.0
/*
 * banner.c - the first line of the table and events files,
 * "# oomtrace NAME format=N [mode=M]", the one format this tool knows, and
 * the "# partial ..." line.
 */
#include <stdio.h>
#include <string.h>

#include "banner.h"
#include "lex.h"

/*
 * "# oomtrace NAME format=N [mode=M] ..." -> 0, or -1 with a message.
 * Refuses formats other than OT_FORMAT.
 */
int parse_banner(char *line, const char *want, int *format, char *mode,
			size_t modelen, char *err, size_t errlen)
{
	char *f[OT_MAX_FIELDS];
	int n, i, have_format = 0;

	n = split(line + 1, f, OT_MAX_FIELDS);
	if (n < 2 || strcmp(f[0], "oomtrace")) {
		seterr(err, errlen, "not an oomtrace %s file (first line is not '# oomtrace %s format=%d')",
		       want, want, OT_FORMAT);
		return -1;
	}
	if (strcmp(f[1], want)) {
		seterr(err, errlen, "expected the oomtrace '%s' file, found '%.64s'", want, f[1]);
		return -1;
	}
	for (i = 2; i < n; i++) {
		const char *v;
		uint64_t u;

		if ((v = kv_value(f[i], "format"))) {
			if (parse_u64(v, &u) || u != OT_FORMAT) {
				seterr(err, errlen,
				       "unsupported %s format '%.32s': this oomtrace understands format=%d only (upgrade the tool)",
				       want, v, OT_FORMAT);
				return OT_EFORMAT;
			}
			*format = (int)u;
			have_format = 1;
		} else if ((v = kv_value(f[i], "mode")) && mode) {
			snprintf(mode, modelen, "%s", v);
		}
	}
	if (!have_format) {
		seterr(err, errlen, "no format= in the %s header line", want);
		return -1;
	}
	return 0;
}

int parse_partial(char *line, struct partial *p)
{
	static const char *const keys[] = { "allocs", "dropped", "estimated", "lost_frees",
		"missed" };
	static const unsigned bits[] = { PARTIAL_ALLOCS, PARTIAL_DROPPED, PARTIAL_ESTIMATED,
		PARTIAL_LOST_FREES, PARTIAL_MISSED };
	uint64_t *val[] = { &p->allocs, &p->dropped, &p->estimated, &p->lost_frees,
		&p->missed };
	char *s = line + 1, *f[OT_MAX_FIELDS];
	int n, i, k;

	while (is_ws(*s))
		s++;
	if (line[0] != '#' || strncmp(s, "partial", 7) || (s[7] && !is_ws(s[7])))
		return 0;
	memset(p, 0, sizeof(*p));
	n = split(s + 7, f, OT_MAX_FIELDS);
	for (i = 0; i < n; i++) {
		const char *v;

		for (k = 0; k < 5; k++)
			if ((v = kv_value(f[i], keys[k])) && !parse_u64(v, val[k]))
				p->known |= bits[k];
		if ((v = kv_value(f[i], "kernel")) && (!strcmp(v, "sampled") || !strcmp(v, "exact"))) {
			p->kernel_sampled = !strcmp(v, "sampled");
			p->known |= PARTIAL_KERNEL;
		}
	}
	return 1;
}
