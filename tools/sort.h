/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sort.h - a stable sort whose comparison takes a context, so that no
 * comparator needs global state.
 */
#ifndef OOMTRACE_SORT_H
#define OOMTRACE_SORT_H

#include <stddef.h>

typedef int (*sort_cmp)(const void *a, const void *b, void *ctx);

/*
 * Sort n elements of size bytes at base; equal elements keep their order
 * (as glibc's qsort happened to keep them, and musl's does not). Never
 * fails: without memory for the merge it sorts by insertion.
 */
void sort_stable(void *base, size_t n, size_t size, sort_cmp cmp, void *ctx);

#endif
