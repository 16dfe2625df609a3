/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memsum.h - the lines of the report's memory summary, like crash's
 * 'kmem -i': which /proc/meminfo keys, in which order, under which label.
 */
#ifndef OOMTRACE_MEMSUM_H
#define OOMTRACE_MEMSUM_H

#include <stddef.h>

struct mem_line {
	const char *label;	/* in the text report */
	const char *key;	/* in /proc/meminfo (and, with "_kb", in JSON) */
};

extern const struct mem_line mem_lines[];
extern const size_t n_mem_lines;

#endif
