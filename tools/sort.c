// SPDX-License-Identifier: GPL-2.0
/*
 * sort.c - a stable merge sort with a context for the comparison.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sort.h"

struct sorter {
	size_t size;
	sort_cmp cmp;
	void *ctx;
	unsigned char *tmp;	/* room for n elements */
};

static void merge_sort(const struct sorter *s, unsigned char *b, size_t n)
{
	size_t n1 = n / 2, i = 0, j = n1, k = 0;

	if (n < 2)
		return;
	merge_sort(s, b, n1);
	merge_sort(s, b + n1 * s->size, n - n1);
	while (i < n1 || j < n) {
		/* the left one first when equal: stable */
		size_t from = j >= n || (i < n1 && s->cmp(b + i * s->size, b + j * s->size, s->ctx) <= 0)
				      ? i++ : j++;

		memcpy(s->tmp + k++ * s->size, b + from * s->size, s->size);
	}
	memcpy(b, s->tmp, n * s->size);
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t n)
{
	while (n--) {
		unsigned char c = *a;

		*a++ = *b;
		*b++ = c;
	}
}

void sort_stable(void *base, size_t n, size_t size, sort_cmp cmp, void *ctx)
{
	struct sorter s = { size, cmp, ctx, NULL };
	unsigned char *b = base;
	size_t i, j;

	if (n < 2 || !size)
		return;
	if (n <= SIZE_MAX / size)
		s.tmp = malloc(n * size);
	if (s.tmp) {
		merge_sort(&s, b, n);
		free(s.tmp);
		return;
	}
	for (i = 1; i < n; i++)	/* out of memory: insertion, slow but stable */
		for (j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size, ctx) > 0; j--)
			swap_bytes(b + (j - 1) * size, b + j * size, size);
}
