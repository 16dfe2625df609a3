/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: the /proc/oomtrace format, the contract between the module and
 * the reader (tools/oomtrace includes this file too). docs/format.md says
 * what every name means. Plain preprocessor definitions only: it compiles
 * in the kernel and in C11 userland alike.
 *
 * A change that breaks a parser bumps OT_FORMAT; adding a column at the end
 * of a table does not.
 */
#ifndef OOMTRACE_FORMAT_H
#define OOMTRACE_FORMAT_H

#define OT_FORMAT		1

/* /proc/oomtrace/ and its files. */
#define OT_PROC_DIR		"oomtrace"
#define OT_FILE_STATUS		"status"
#define OT_FILE_CONTROL		"control"
#define OT_FILE_SLABS		"slabs"
#define OT_FILE_MODULES		"modules"
#define OT_FILE_CALLSITES	"callsites"
#define OT_FILE_MODULE_SLABS	"module_slabs"
#define OT_FILE_EVENTS		"events"

/* The column line of each table, in this order; more may follow. */
#define OT_COLS_SLABS		"cache objsize allocs frees live live_bytes peak_bytes top_module"
#define OT_COLS_MODULES		\
	"module state allocs frees live live_bytes slab_bytes page_bytes peak_bytes"
#define OT_COLS_CALLSITES	"callsite module allocs frees live live_bytes"
#define OT_COLS_MODULE_SLABS	"module cache live live_bytes"

/* Names the tables use. */
#define OT_NAME_KERNEL		"[kernel]"	/* the core kernel as a module */
#define OT_NAME_NONE		"-"		/* top_module of a cache nobody holds */
#define OT_STATE_LIVE		"live"
#define OT_STATE_GONE		"gone"
#define OT_CACHE_LARGE		"kmalloc-large"	/* kmalloc straight from the page allocator */
#define OT_CACHE_PAGES		"pages"		/* alloc_pages() and friends */

/* Tracking modes, as status, the banners and control spell them. */
#define OT_MODE_EXACT		"exact"
#define OT_MODE_SAMPLED		"sampled"
#define OT_SAMPLE_MIN		4096U		/* sample_bytes range */
#define OT_SAMPLE_MAX		(4U << 20)

#endif /* OOMTRACE_FORMAT_H */
