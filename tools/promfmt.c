// SPDX-License-Identifier: GPL-2.0
/*
 * promfmt.c - Prometheus text exposition syntax: metric families and
 * samples, with escaped label values.
 */
#include <stdio.h>

#include "promfmt.h"
#include "utf8.h"

void prom_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s ", name);
	for (; *help; help++) {
		if (*help == '\\')
			fputs("\\\\", out);
		else if (*help == '\n')
			fputs("\\n", out);
		else
			fputc(*help, out);
	}
	fprintf(out, "\n# TYPE %s %s\n", name, type);
}

void prom_label_value(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	while (*s) {
		int n;

		if (*s == '\\') {
			fputs("\\\\", out);
			s++;
		} else if (*s == '"') {
			fputs("\\\"", out);
			s++;
		} else if (*s == '\n') {
			fputs("\\n", out);
			s++;
		} else if (!(n = utf8_len(s))) {
			fputs("\xef\xbf\xbd", out);	/* U+FFFD */
			s++;
		} else {
			fwrite(s, 1, (size_t)n, out);
			s += n;
		}
	}
}

static void prom_head(FILE *out, const char *name, const char *const *lkeys,
		      const char *const *lvals, int nlabels)
{
	int i;

	fputs(name, out);
	if (nlabels > 0) {
		fputc('{', out);
		for (i = 0; i < nlabels; i++) {
			fprintf(out, "%s%s=\"", i ? "," : "", lkeys[i]);
			prom_label_value(out, lvals[i]);
			fputc('"', out);
		}
		fputc('}', out);
	}
}

void prom_sample(FILE *out, const char *name, const char *const *lkeys,
		 const char *const *lvals, int nlabels, uint64_t v)
{
	prom_head(out, name, lkeys, lvals, nlabels);
	fprintf(out, " %llu\n", (unsigned long long)v);
}

void prom_sample_s(FILE *out, const char *name, const char *const *lkeys,
		   const char *const *lvals, int nlabels, int64_t v)
{
	prom_head(out, name, lkeys, lvals, nlabels);
	fprintf(out, " %lld\n", (long long)v);
}
