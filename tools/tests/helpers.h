/* SPDX-License-Identifier: GPL-2.0 */
/*
 * helpers.h - shared by the cmocka unit tests: run the CLI in-process and
 * capture its stdout and stderr, read fixtures, validate JSON (with python3's
 * json module) and Prometheus text (a strict checker, plus promtool when it
 * is installed).
 */
#ifndef OOMTRACE_TEST_HELPERS_H
#define OOMTRACE_TEST_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli.h"
#include "fileio.h"

#define FIX "fixtures/"

struct run {
	int rc;
	char *out;	/* stdout */
	size_t outlen;
	char *err;	/* stderr */
};

static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* Run "oomtrace ARGS..." (NULL-terminated) in-process. */
static inline struct run run_cli(const char *first, ...)
{
	char *argv[64];
	int argc = 0, saved, fd;
	va_list ap;
	const char *a;
	struct run r;
	FILE *out;
	char tmpl[] = "/tmp/oomtrace-test-err-XXXXXX";

	memset(&r, 0, sizeof(r));
	argv[argc++] = (char *)"oomtrace";
	va_start(ap, first);
	for (a = first; a && argc < 63; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;

	out = open_memstream(&r.out, &r.outlen);
	assert_non_null(out);
	fflush(stderr);
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	r.rc = oomtrace_run(argc, argv, out);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fclose(out);
	{
		size_t len;

		assert_int_equal(read_file(tmpl, &r.err, &len, 1 << 20), 0);
	}
	close(fd);
	unlink(tmpl);
	return r;
}

/* Whole fixture file into a malloc'd buffer. */
static inline char *fixture(const char *path, size_t *len)
{
	char *buf;
	char p[512];

	snprintf(p, sizeof(p), FIX "%s", path);
	if (read_file(p, &buf, len, 1 << 24))
		fail_msg("cannot read fixture %s", p);
	return buf;
}

static inline int have_cmd(const char *cmd)
{
	char c[256];

	snprintf(c, sizeof(c), "command -v %s >/dev/null 2>&1", cmd);
	return system(c) == 0;
}

static inline void write_tmp(char *path, size_t plen, const char *data, size_t len)
{
	char tmpl[] = "/tmp/oomtrace-test-XXXXXX";
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	snprintf(path, plen, "%s", tmpl);
}

/* Valid JSON according to python3's json module (skipped without python3). */
static inline int json_valid(const char *data, size_t len)
{
	static int have = -1;
	char path[64], cmd[256];
	int rc;

	if (have < 0)
		have = have_cmd("python3");
	if (!have)
		return 1;
	write_tmp(path, sizeof(path), data, len);
	snprintf(cmd, sizeof(cmd), "python3 -m json.tool %s >/dev/null 2>&1", path);
	rc = system(cmd);
	unlink(path);
	return rc == 0;
}

/* ---- strict Prometheus text format checker (exposition format 0.0.4) ---- */

static inline int prom_name_ok(const char *s, size_t n, int label)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			 (!label && c == ':') || (i && c >= '0' && c <= '9');

		if (!ok)
			return 0;
	}
	return 1;
}

static inline int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t k, len;

		if (c < 0x80) {
			i++;
			continue;
		}
		len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
		if (!len || i + len > n)
			return 0;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

/*
 * Returns NULL if the text is valid, else a static message. Checks: line
 * syntax, names, label escaping (only \\ \" \n), UTF-8, numeric values, one
 * TYPE per family before its samples, families not interleaved, no duplicate
 * series.
 */
static inline const char *prom_check(const char *text, size_t len)
{
	static char msg[512];
	char **series = NULL, **families = NULL;
	size_t nseries = 0, nfam = 0, i;
	char cur[256] = "";
	const char *p = text, *end = text + len;
	const char *res = NULL;
	int lineno = 0;

	if (len && text[len - 1] != '\n')
		return "does not end with a newline";
	if (!utf8_ok((const unsigned char *)text, len))
		return "not UTF-8";
	while (p < end && !res) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);
		char line[8192];

		lineno++;
		if (n >= sizeof(line)) {
			res = "line too long";
			break;
		}
		memcpy(line, p, n);
		line[n] = 0;
		p = nl + 1;
		if (!n)
			continue;
		if (line[0] == '#') {
			char kw[8], name[256], rest[256];

			if (sscanf(line, "# %7s %255s %255s", kw, name, rest) < 2)
				continue;	/* a plain comment */
			if (!strcmp(kw, "TYPE")) {
				if (!prom_name_ok(name, strlen(name), 0) ||
				    (strcmp(rest, "counter") && strcmp(rest, "gauge") &&
				     strcmp(rest, "untyped") && strcmp(rest, "summary") &&
				     strcmp(rest, "histogram"))) {
					snprintf(msg, sizeof(msg), "line %d: bad TYPE: %.400s", lineno, line);
					res = msg;
					break;
				}
				for (i = 0; i < nfam; i++)
					if (!strcmp(families[i], name)) {
						snprintf(msg, sizeof(msg), "line %d: second TYPE for %.400s",
							 lineno, name);
						res = msg;
					}
				families = realloc(families, (nfam + 1) * sizeof(*families));
				families[nfam++] = strdup(name);
				snprintf(cur, sizeof(cur), "%s", name);
			} else if (!strcmp(kw, "HELP")) {
				if (!prom_name_ok(name, strlen(name), 0)) {
					snprintf(msg, sizeof(msg), "line %d: bad HELP", lineno);
					res = msg;
				}
			}
			continue;
		}
		{
			/* sample: name[{labels}] value */
			char *q = line, *v, *e;
			size_t nl2 = strcspn(q, "{ ");
			char series_key[8192];

			if (!prom_name_ok(q, nl2, 0)) {
				snprintf(msg, sizeof(msg), "line %d: bad metric name: %.400s", lineno, line);
				res = msg;
				break;
			}
			if (strncmp(q, cur, nl2) || cur[nl2]) {
				snprintf(msg, sizeof(msg), "line %d: sample outside its family (%.400s)",
					 lineno, cur);
				res = msg;
				break;
			}
			q += nl2;
			if (*q == '{') {
				q++;
				while (*q != '}') {
					size_t ln = strcspn(q, "=");

					if (!prom_name_ok(q, ln, 1) || q[ln] != '=' || q[ln + 1] != '"') {
						snprintf(msg, sizeof(msg), "line %d: bad label: %.400s",
							 lineno, line);
						res = msg;
						break;
					}
					q += ln + 2;
					while (*q && *q != '"') {
						if (*q == '\\') {
							if (q[1] != '\\' && q[1] != '"' && q[1] != 'n') {
								res = "bad escape in label value";
								break;
							}
							q++;
						}
						q++;
					}
					if (res)
						break;
					if (*q != '"') {
						res = "unterminated label value";
						break;
					}
					q++;
					if (*q == ',')
						q++;
					else if (*q != '}') {
						snprintf(msg, sizeof(msg), "line %d: bad label list: %.400s",
							 lineno, line);
						res = msg;
						break;
					}
				}
				if (res)
					break;
				q++;
			}
			if (*q != ' ') {
				snprintf(msg, sizeof(msg), "line %d: no value: %.400s", lineno, line);
				res = msg;
				break;
			}
			memcpy(series_key, line, (size_t)(q - line));
			series_key[q - line] = 0;
			v = q + 1;
			errno = 0;
			strtod(v, &e);
			if (e == v || (*e && *e != ' ')) {
				snprintf(msg, sizeof(msg), "line %d: bad value: %.400s", lineno, line);
				res = msg;
				break;
			}
			for (i = 0; i < nseries; i++)
				if (!strcmp(series[i], series_key)) {
					snprintf(msg, sizeof(msg), "line %d: duplicate series %.400s", lineno,
						 series_key);
					res = msg;
				}
			series = realloc(series, (nseries + 1) * sizeof(*series));
			series[nseries++] = strdup(series_key);
		}
	}
	for (i = 0; i < nseries; i++)
		free(series[i]);
	for (i = 0; i < nfam; i++)
		free(families[i]);
	free(series);
	free(families);
	return res;
}

/* The strict checker, and promtool too when it is installed. */
static inline void assert_prom_valid(const char *data, size_t len)
{
	static int have = -1;
	const char *m = prom_check(data, len);

	if (m)
		fail_msg("invalid Prometheus text: %s\n%.2000s", m, data);
	if (have < 0)
		have = have_cmd("promtool");
	if (have && len) {
		char path[64], cmd[256];
		int rc;

		write_tmp(path, sizeof(path), data, len);
		snprintf(cmd, sizeof(cmd), "promtool check metrics < %s >/dev/null 2>&1", path);
		rc = system(cmd);
		unlink(path);
		if (rc)
			fail_msg("promtool check metrics failed on:\n%.2000s", data);
	}
}

/*
 * Many documents checked by one python3 / one shell running promtool: much
 * faster than a process per document under valgrind.
 */
struct batch {
	char dir[64];
	int n;
};

static inline void batch_init(struct batch *b)
{
	snprintf(b->dir, sizeof(b->dir), "/tmp/oomtrace-batch-XXXXXX");
	assert_non_null(mkdtemp(b->dir));
	b->n = 0;
}

static inline void batch_add(struct batch *b, const char *data, size_t len)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%04d.txt", b->dir, b->n++);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* json: python3's json module; else promtool check metrics (when installed). */
static inline void batch_check(struct batch *b, int json)
{
	char cmd[1024];
	int rc = 0;

	if (json && have_cmd("python3"))
		snprintf(cmd, sizeof(cmd),
			 "python3 -c 'import json,sys\nfor f in sys.argv[1:]:\n"
			 "  try: json.load(open(f, encoding=\"utf-8\"))\n"
			 "  except Exception as e: sys.exit(f + \": \" + str(e))' %s/*.txt",
			 b->dir);
	else if (!json && have_cmd("promtool"))
		snprintf(cmd, sizeof(cmd),
			 "for f in %s/*.txt; do promtool check metrics < $f >/dev/null 2>&1 || "
			 "{ echo \"promtool check metrics failed: $f\" >&2; exit 1; }; done", b->dir);
	else
		cmd[0] = 0;
	if (cmd[0] && b->n)
		rc = system(cmd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", b->dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", b->dir);
	if (rc)
		fail_msg("%s check failed (the file is named above)", json ? "JSON" : "promtool");
}

static inline void assert_json_valid(const char *data, size_t len)
{
	if (!json_valid(data, len))
		fail_msg("invalid JSON:\n%.2000s", data);
}

#endif
