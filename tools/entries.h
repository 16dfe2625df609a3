/* SPDX-License-Identifier: GPL-2.0 */
/*
 * entries.h - the order of an OOM event's module and cache entries.
 */
#ifndef OOMTRACE_ENTRIES_H
#define OOMTRACE_ENTRIES_H

#include <stddef.h>

#include "events.h"

enum { ENTRY_BY_GROWTH, ENTRY_BY_LIVE_BYTES, ENTRY_BY_NAME };

/* --sort for events: NULL or delta_bytes/growth, live_bytes, name; -1 unknown. */
int entry_sort_key(const char *s);
/* A sorted copy of n entries (largest first, then by name); NULL if n is 0 or no memory. */
struct ev_entry *entries_sorted(const struct ev_entry *e, size_t n, int key);

#endif
