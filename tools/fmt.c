// SPDX-License-Identifier: GPL-2.0
/*
 * fmt.c - units, aligned tables, JSON and Prometheus escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "fmt.h"

char *fmt_u64(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

char *fmt_s64(char *buf, size_t len, int64_t v)
{
	snprintf(buf, len, v > 0 ? "+%lld" : "%lld", (long long)v);
	return buf;
}

static void human(char *buf, size_t len, const char *sign, uint64_t v)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, len, "%s%llu B", sign, (unsigned long long)v);
		return;
	}
	while (d >= 1024.0 && u < 5) {
		d /= 1024.0;
		u++;
	}
	if (d >= 1023.95 && u < 5) {
		d /= 1024.0;
		u++;
	}
	snprintf(buf, len, "%s%.1f %s", sign, d, units[u]);
}

char *fmt_bytes(char *buf, size_t len, uint64_t v, int raw)
{
	if (raw)
		return fmt_u64(buf, len, v);
	human(buf, len, "", v);
	return buf;
}

char *fmt_sbytes(char *buf, size_t len, int64_t v, int raw)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (raw)
		return fmt_s64(buf, len, v);
	if (!v) {
		snprintf(buf, len, "0");
		return buf;
	}
	human(buf, len, v < 0 ? "-" : "+", mag);
	return buf;
}

char *fmt_pct(char *buf, size_t len, uint64_t part, uint64_t total)
{
	if (!total)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", 100.0 * (double)part / (double)total);
	return buf;
}

static int utf8_len(const unsigned char *s);

/* ---- text tables ---- */

void grid_init(struct grid *g, int ncols, const char *const *heads,
	       const unsigned char *right)
{
	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
	g->heads = heads;
	g->right = right;
}

static char *dupstr(const char *s)
{
	size_t n = strlen(s ? s : "");
	char *d = malloc(n + 1);

	if (d)
		memcpy(d, s ? s : "", n + 1);
	return d;
}

int grid_add(struct grid *g, const char *const *cells)
{
	int i;

	if (array_grow(&g->cells, &g->cap, g->nrows, (size_t)g->ncols * sizeof(*g->cells), 32, 0))
		return -1;
	for (i = 0; i < g->ncols; i++) {
		char *d = dupstr(cells[i]);

		if (!d) {
			while (i--)
				free(g->cells[g->nrows * (size_t)g->ncols + (size_t)i]);
			return -1;
		}
		g->cells[g->nrows * (size_t)g->ncols + (size_t)i] = d;
	}
	g->nrows++;
	return 0;
}

/* Display width of s as fmt_safe prints it (one column per character). */
static size_t safe_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0;

	while (*s) {
		int n = *s >= 0x80 ? utf8_len(s) : 1;

		s += n ? n : 1;
		w++;
	}
	return w;
}

void fmt_safe(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		int n;

		if (*s < 0x20 || *s == 0x7f) {
			fputc('?', out);
			s++;
		} else if (*s < 0x80) {
			fputc(*s++, out);
		} else if ((n = utf8_len(s))) {
			fwrite(s, 1, (size_t)n, out);
			s += n;
		} else {
			fputc('?', out);	/* invalid UTF-8 */
			s++;
		}
	}
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

static void cell(FILE *out, const char *s, size_t w, int right, int last)
{
	size_t l = safe_width(s);

	if (right)
		pad(out, w - l);
	fmt_safe(out, s);
	if (!right && !last)
		pad(out, w - l);
}

void grid_print(const struct grid *g, FILE *out, const char *indent)
{
	size_t w[64] = { 0 };
	size_t r;
	int i, nc = g->ncols > 64 ? 64 : g->ncols;

	for (i = 0; i < nc; i++)
		w[i] = safe_width(g->heads[i]);
	for (r = 0; r < g->nrows; r++)
		for (i = 0; i < nc; i++) {
			size_t l = safe_width(g->cells[r * (size_t)g->ncols + (size_t)i]);

			if (l > w[i])
				w[i] = l;
		}
	fputs(indent ? indent : "", out);
	for (i = 0; i < nc; i++) {
		if (i)
			fputs("  ", out);
		cell(out, g->heads[i], w[i], g->right && g->right[i], i == nc - 1);
	}
	fputc('\n', out);
	for (r = 0; r < g->nrows; r++) {
		fputs(indent ? indent : "", out);
		for (i = 0; i < nc; i++) {
			if (i)
				fputs("  ", out);
			cell(out, g->cells[r * (size_t)g->ncols + (size_t)i], w[i],
			     g->right && g->right[i], i == nc - 1);
		}
		fputc('\n', out);
	}
}

void grid_free(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->nrows * (size_t)g->ncols; i++)
		free(g->cells[i]);
	free(g->cells);
	memset(g, 0, sizeof(*g));
}

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s, or 0 if invalid. */
static int utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	int n, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* ---- JSON ---- */

void json_str(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	fputc('"', out);
	while (*s) {
		int n;

		switch (*s) {
		case '"':
			fputs("\\\"", out);
			s++;
			continue;
		case '\\':
			fputs("\\\\", out);
			s++;
			continue;
		case '\n':
			fputs("\\n", out);
			s++;
			continue;
		case '\t':
			fputs("\\t", out);
			s++;
			continue;
		case '\r':
			fputs("\\r", out);
			s++;
			continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			fprintf(out, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (!n) {
			/* invalid UTF-8: keep the byte as its Latin-1 code point */
			fprintf(out, "\\u%04x", *s);
			s++;
			continue;
		}
		fwrite(s, 1, (size_t)n, out);
		s += n;
	}
	fputc('"', out);
}

void json_key(FILE *out, int *first, const char *key)
{
	if (!*first)
		fputc(',', out);
	*first = 0;
	json_str(out, key);
	fputc(':', out);
}

/* ---- Prometheus ---- */

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
