// SPDX-License-Identifier: GPL-2.0
/*
 * lex.c - the lexing every parser shares: an owned copy of the input,
 * lines, white-space fields, key=value tokens, "key: value" lines, strict
 * numbers. Nothing here prints: errors go to the caller's buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_value(const char *s, uint64_t *out)
{
	if (s && s[0] == '-') {
		uint64_t v;

		if (parse_u64(s + 1, &v))
			return -1;
		*out = 0;
		return 0;
	}
	return parse_u64(s, out);
}

int parse_s64(const char *s, int64_t *out)
{
	uint64_t v;
	int neg = 0;

	if (!s)
		return -1;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (parse_u64(s, &v))
		return -1;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

/* Owned, NUL-terminated copy; embedded NUL bytes become spaces. */
char *own_copy(const char *data, size_t len)
{
	char *b;
	size_t i;

	if (len > SIZE_MAX - 1)
		return NULL;
	b = malloc(len + 1);
	if (!b)
		return NULL;
	if (len)
		memcpy(b, data, len);
	b[len] = 0;
	for (i = 0; i < len; i++)
		if (!b[i])
			b[i] = ' ';
	return b;
}

/* Next line, NUL-terminated in place, without '\r'; *term: ended by '\n'. */
char *next_line(struct lines *L, size_t *len, int *term)
{
	char *p = L->p, *nl, *e;

	if (p >= L->end)
		return NULL;
	nl = memchr(p, '\n', (size_t)(L->end - p));
	e = nl ? nl : L->end;
	*e = 0;
	L->p = nl ? nl + 1 : L->end;
	*term = nl != NULL;
	if (e > p && e[-1] == '\r')
		*--e = 0;
	*len = (size_t)(e - p);
	return p;
}

int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Split in place on white space; at most max fields (the rest is ignored). */
int split(char *s, char **f, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (is_ws(*s))
			s++;
		if (!*s)
			break;
		f[n++] = s;
		while (*s && !is_ws(*s))
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

const char *kv_value(const char *tok, const char *key)
{
	size_t n = strlen(key);

	if (!strncmp(tok, key, n) && tok[n] == '=')
		return tok + n + 1;
	return NULL;
}

double parse_time(const char *s)
{
	double v = 0, scale = 0.1;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			v += (*s - '0') * scale;
	return v;
}

/* "key: value" lines into kv (max OT_MAX_KV). Returns malformed line count. */
size_t parse_kv_lines(char *buf, size_t len, struct kv *kv, size_t *n)
{
	struct lines L = { buf, buf + len };
	char *line;
	size_t llen, bad = 0;
	int term;

	*n = 0;
	while ((line = next_line(&L, &llen, &term))) {
		char *c, *k, *v, *e;

		k = line;
		while (is_ws(*k))
			k++;
		if (!*k)
			continue;
		if (!term || llen > OT_MAX_LINE || !(c = strchr(k, ':'))) {
			bad++;
			continue;
		}
		for (e = k; e < c; e++)
			if (is_ws(*e))
				break;
		if (e == k || (e != c && strspn(e, " \t") != (size_t)(c - e))) {
			bad++;
			continue;
		}
		*e = 0;
		*c = 0;
		v = c + 1;
		while (is_ws(*v))
			v++;
		e = v + strlen(v);
		while (e > v && is_ws(e[-1]))
			*--e = 0;
		if (*n >= OT_MAX_KV) {
			bad++;
			continue;
		}
		kv[*n].key = k;
		kv[*n].val = v;
		(*n)++;
	}
	return bad;
}
