// SPDX-License-Identifier: GPL-2.0
/*
 * jsonfmt.c - JSON syntax: escaped strings and object keys.
 */
#include <stdio.h>

#include "jsonfmt.h"
#include "utf8.h"

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
