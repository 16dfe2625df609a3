// SPDX-License-Identifier: GPL-2.0
/*
 * array.c - growing a malloc'd array by doubling, with a bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

int array_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first, size_t max)
{
	void *a, *na;
	size_t nc;

	if (n < *cap)
		return 0;
	/* the bound is checked only when full: the room is a power of two times first */
	if (max && n >= max)
		return 1;
	nc = *cap ? *cap * 2 : first;
	if (nc < *cap || !size || nc > SIZE_MAX / size)
		return -1;
	memcpy(&a, arrp, sizeof(a));
	na = realloc(a, nc * size);
	if (!na)
		return -1;
	memcpy(arrp, &na, sizeof(na));
	*cap = nc;
	return 0;
}
