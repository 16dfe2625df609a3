/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fmt.h - output helpers: human units, aligned text tables, JSON strings,
 * Prometheus text exposition.
 */
#ifndef OOMTRACE_FMT_H
#define OOMTRACE_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FMT_NUMLEN 32

/* "512 B", "1.5 KiB", "95.4 MiB"; raw: "100000000". Returns buf. */
char *fmt_bytes(char *buf, size_t len, uint64_t v, int raw);
/* Signed growth: "+95.4 MiB", "-1000 B", "0"; raw: "+100000000". */
char *fmt_sbytes(char *buf, size_t len, int64_t v, int raw);
char *fmt_u64(char *buf, size_t len, uint64_t v);
char *fmt_s64(char *buf, size_t len, int64_t v);	/* with a sign unless 0 */
/* Percentage "12.3%" of part in total ("-" if total is 0). */
char *fmt_pct(char *buf, size_t len, uint64_t part, uint64_t total);

/* Aligned text table. Cells are copied; non-printable bytes print as '?'. */
struct grid {
	int ncols;
	const char *const *heads;
	const unsigned char *right;	/* per column: right-aligned */
	char **cells;			/* nrows * ncols */
	size_t nrows, cap;
};

void grid_init(struct grid *g, int ncols, const char *const *heads,
	       const unsigned char *right);
int grid_add(struct grid *g, const char *const *cells);
void grid_print(const struct grid *g, FILE *out, const char *indent);
void grid_free(struct grid *g);

/* Terminal-safe copy of a name (control bytes -> '?'). */
void fmt_safe(FILE *out, const char *s);

/* JSON string with quotes; control chars escaped, invalid UTF-8 as \u00XX. */
void json_str(FILE *out, const char *s);
/* "key": prefix, with a comma first unless *first. */
void json_key(FILE *out, int *first, const char *key);

/* Prometheus: family header and a sample with up to 3 labels. */
void prom_family(FILE *out, const char *name, const char *type, const char *help);
void prom_label_value(FILE *out, const char *s);
void prom_sample(FILE *out, const char *name, const char *const *lkeys,
		 const char *const *lvals, int nlabels, uint64_t v);
void prom_sample_s(FILE *out, const char *name, const char *const *lkeys,
		   const char *const *lvals, int nlabels, int64_t v);

#endif
