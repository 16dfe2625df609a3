/* SPDX-License-Identifier: GPL-2.0 */
/*
 * meminfo.h - the parser of /proc/meminfo.
 */
#ifndef OOMTRACE_MEMINFO_H
#define OOMTRACE_MEMINFO_H

#include <stddef.h>
#include <stdint.h>

#include "lex.h"

struct meminfo {
	char *buf;
	struct kv *kv;		/* value: the number (kB) as text */
	size_t n;
	int present;
};

int meminfo_parse(struct meminfo *m, const char *data, size_t len);
/* kB value of a key; 0 if absent. *found set when non-NULL. */
uint64_t meminfo_kb(const struct meminfo *m, const char *key, int *found);
void meminfo_free(struct meminfo *m);

#endif
