/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h - the parser of /proc/oomtrace/events: the OOM events and each
 * event's module and cache entries.
 */
#ifndef OOMTRACE_EVENTS_H
#define OOMTRACE_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "banner.h"

#define OT_MAX_EVENTS 100000
#define OT_MAX_ENTRIES 65536	/* module/cache lines per event */

struct ev_entry {
	const char *name;
	uint64_t live_bytes;
	int64_t delta_bytes;
};

struct event {
	uint64_t seq;
	const char *time;	/* as printed (seconds since boot) */
	double t;
	const char *kind;	/* "global", "victim", ... */
	int64_t pid;
	const char *comm;
	int64_t oom_score_adj;
	uint64_t rss_kb, free_kb, slab_reclaimable_kb, slab_unreclaimable_kb;
	uint64_t pagetables_kb, tracked_bytes, dropped_events;
	unsigned known;		/* EV_* bits: fields with a value (not "-" or absent) */
	struct ev_entry *mods, *caches;
	size_t nmods, ncaches, capmods, capcaches;
};

enum {
	EV_PID = 1 << 0,
	EV_ADJ = 1 << 1,
	EV_RSS = 1 << 2,
	EV_FREE = 1 << 3,
	EV_SLABR = 1 << 4,
	EV_SLABU = 1 << 5,
	EV_PT = 1 << 6,
	EV_TRACKED = 1 << 7,
};

struct events {
	char *buf;
	struct event *ev;
	size_t n, cap;
	uint64_t total, dropped;	/* "# ... events=N dropped_events=M" header */
	int have_total;
	struct partial partial;	/* its "# partial" line (known == 0: none) */
	int format;
	int present;
	size_t bad;
};

/* 0, -1 (malformed) or OT_EFORMAT, with a message in err (may be NULL). */
int events_parse(struct events *ev, const char *data, size_t len, char *err,
		 size_t errlen);
void events_free(struct events *ev);

#endif
