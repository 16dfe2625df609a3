/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lex.h - the lexing every parser shares: lines, white-space fields,
 * key=value tokens, "key: value" lines and strict numbers.
 *
 * Every parser works on a (data, len) buffer it copies (own_copy), is
 * bounded (line length, rows, fields) and never reads past the buffer.
 */
#ifndef OOMTRACE_LEX_H
#define OOMTRACE_LEX_H

#include <stddef.h>
#include <stdint.h>

#define OT_MAX_LINE 4096	/* longer lines are malformed */
#define OT_MAX_FIELDS 64	/* fields looked at per line */
#define OT_MAX_KV 1024		/* status / meminfo keys */
#define OT_ERRLEN 512		/* room for a parser's message */

/* A message into err (which may be NULL) for the caller to print. */
void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Strict decimal parsers: the whole string must be a number. 0 on success. */
int parse_u64(const char *s, uint64_t *out);
/* A table or event value: like parse_u64, but "-N" (a transient negative) is 0. */
int parse_value(const char *s, uint64_t *out);
int parse_s64(const char *s, int64_t *out);
/* Seconds since boot as printed ("1201.004512"); what does not parse counts 0. */
double parse_time(const char *s);

/* Owned, NUL-terminated copy; embedded NUL bytes become spaces. NULL: no memory. */
char *own_copy(const char *data, size_t len);

struct lines {
	char *p, *end;
};

/* Next line, NUL-terminated in place, without '\r'; *term: ended by '\n'. */
char *next_line(struct lines *L, size_t *len, int *term);
int is_ws(char c);
/* Split in place on white space; at most max fields (the rest is ignored). */
int split(char *s, char **f, int max);
/* The value of "key=value" when tok has that key, else NULL. */
const char *kv_value(const char *tok, const char *key);

struct kv {
	const char *key, *val;
};

/* "key: value" lines into kv (max OT_MAX_KV). Returns malformed line count. */
size_t parse_kv_lines(char *buf, size_t len, struct kv *kv, size_t *n);

#endif
