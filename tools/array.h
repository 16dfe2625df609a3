/* SPDX-License-Identifier: GPL-2.0 */
/*
 * array.h - growing a malloc'd array by doubling, with a bound: the one
 * place the tool's arrays grow.
 */
#ifndef OOMTRACE_ARRAY_H
#define OOMTRACE_ARRAY_H

#include <stddef.h>

/*
 * Make room for element n of the array at *arrp (a pointer to the array
 * pointer), which has room for *cap elements of size bytes. When it is full,
 * its room doubles (first: the room of an empty array).
 * Returns 0 when there is room, 1 when the array is full and already holds
 * max elements or more (max 0: no bound), -1 when out of memory; the array
 * is unchanged unless 0 is returned.
 */
int array_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first, size_t max);

#endif
