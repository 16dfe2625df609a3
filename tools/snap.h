/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snap.h - where the files come from (the live /proc, a snapshot
 * directory or a kernel log's dump) and loading them into one struct snap.
 */
#ifndef OOMTRACE_SNAP_H
#define OOMTRACE_SNAP_H

#include <stdio.h>

#include "dump.h"
#include "events.h"
#include "fileio.h"
#include "lex.h"
#include "meminfo.h"
#include "slabinfo.h"
#include "status.h"
#include "table.h"
#include "vmalloc.h"

struct source {
	char oomdir[OT_PATH];	/* directory with status, slabs, ... */
	char sysdir[OT_PATH];	/* directory with meminfo, slabinfo, vmallocinfo */
	char label[OT_PATH];	/* for messages: "/proc" or the snapshot dir */
	char slabdir[OT_PATH];	/* live: /sys/kernel/slab; "": slab_reclaim in oomdir */
	int live;
	int dump;		/* a kernel log's dump (report --dmesg): see snap.dump */
};

/*
 * Live: $OOMTRACE_PROC (default /proc) and its oomtrace/ directory, and
 * $OOMTRACE_SYS (default /sys) for the slab caches' reclaimability.
 */
void source_live(struct source *src);
/* A snapshot directory (every file side by side). */
void source_dir(struct source *src, const char *dir);

/* What to load (status is always loaded). */
enum {
	LOAD_SLABS = 1 << 0,
	LOAD_MODULES = 1 << 1,
	LOAD_CALLSITES = 1 << 2,
	LOAD_MODSLABS = 1 << 3,
	LOAD_EVENTS = 1 << 4,
	LOAD_MEMINFO = 1 << 5,
	LOAD_VMALLOC = 1 << 6,
	/* /proc/slabinfo and slab_reclaim, joined with slabs when it is loaded too */
	LOAD_SLABINFO = 1 << 7,
	LOAD_ALL = 0xff,
	/* slabs when it loads, else nothing, silently (status: the coverage) */
	LOAD_SLABS_QUIET = 1 << 8,
};

struct snap {
	struct source src;
	struct status st;
	struct table slabs, modules, callsites, modslabs;
	struct events ev;
	struct meminfo mi;
	struct vmfold vm;
	/*
	 * /proc/slabinfo: every cache's objects since boot, with oomtrace's
	 * live bytes in each (tracked_bytes, untracked_bytes) when slabs is
	 * loaded, and reclaimable (yes, no, -) from rc.
	 */
	struct table slabinfo;
	struct reclaim rc;	/* which caches are reclaimable */
	char timestamp[128];	/* snapshot time (ISO), or "" when live */
	char events_err[OT_ERRLEN];	/* why events are not available */
	struct dump_info dump;	/* src.dump: the dump used, and the log's others */
};

/*
 * Load the files. Returns 0, or -1 with a one-line message in err (module
 * not loaded, not a snapshot, unknown format, a malformed header...).
 * Optional files (module_slabs, events, meminfo, vmallocinfo) that are
 * missing leave their struct with present == 0.
 */
int snap_load(struct snap *s, const struct source *src, unsigned what, char *err,
	      size_t errlen);
void snap_free(struct snap *s);

/*
 * Save every file of src in dir (created if needed) and a timestamp file.
 * Returns how many files were saved (not counting the timestamp), or -1
 * with the message printed.
 */
int snap_save(const struct source *src, const char *dir);

/*
 * report --dmesg: the last complete dump of a kernel log (path; "-" is the
 * standard input), read as a stream. Returns 0, or -1 with a one-line
 * message naming the log in err (no dump, only truncated ones, an unknown
 * format, not a log at all...).
 */
int snap_load_dump(struct snap *s, const char *path, char *err, size_t errlen);
/*
 * The snapshot in a scanned log d (label: the log's name for messages;
 * warn: where warnings about malformed parts go, NULL for none). Returns 0,
 * or -1 with a message in err.
 */
int snap_from_dump(struct snap *s, const struct dump *d, const char *label, FILE *warn,
		   char *err, size_t errlen);

/*
 * slab_reclaim's text (see snap_reclaim.c) for the caches of slabs with
 * live bytes, from a sysfs slab directory (/sys/kernel/slab). 0, or
 * -errno (-ENOENT: no such directory, or no slabs).
 */
int snap_reclaim_text(const char *slabdir, const struct table *slabs, char **buf, size_t *len);

/* Warnings about skipped malformed rows, on stderr. */
void snap_warn(const struct snap *s);

#endif
