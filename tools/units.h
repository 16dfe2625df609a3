/* SPDX-License-Identifier: GPL-2.0 */
/*
 * units.h - numbers for people: human byte units, signed growth, percentages.
 */
#ifndef OOMTRACE_UNITS_H
#define OOMTRACE_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define FMT_NUMLEN 32

/* "512 B", "1.5 KiB", "95.4 MiB"; raw: "100000000". Returns buf. */
char *fmt_bytes(char *buf, size_t len, uint64_t v, int raw);
/* Signed growth: "+95.4 MiB", "-1000 B", "0"; raw: "+100000000". */
char *fmt_sbytes(char *buf, size_t len, int64_t v, int raw);
char *fmt_u64(char *buf, size_t len, uint64_t v);
char *fmt_s64(char *buf, size_t len, int64_t v);	/* with a sign unless 0 */
/* A count in powers of 1000: "999", "1.2k", "35.0M", "123G". */
char *fmt_count(char *buf, size_t len, uint64_t v);
/* Percentage "12.3%" of part in total ("-" if total is 0). */
char *fmt_pct(char *buf, size_t len, uint64_t part, uint64_t total);

#endif
