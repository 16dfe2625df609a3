/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmalloc.h - /proc/vmallocinfo folded into bytes per module.
 */
#ifndef OOMTRACE_VMALLOC_H
#define OOMTRACE_VMALLOC_H

#include <stddef.h>
#include <stdint.h>

struct vmfold_ent {
	char name[64];
	uint64_t bytes;
	uint64_t areas;
};

struct vmfold {
	struct vmfold_ent *e;
	size_t n, cap;
	int present;
	uint64_t total;
	size_t bad;
	int unstable;	/* live reads never agreed (see snap.c) */
};

int vmalloc_fold(struct vmfold *vf, const char *data, size_t len);
uint64_t vmfold_bytes(const struct vmfold *vf, const char *module);
/* 1 when a and b hold the same areas and bytes for every module ([kernel] aside). */
int vmfold_same_modules(const struct vmfold *a, const struct vmfold *b);
void vmfold_free(struct vmfold *vf);

#endif
