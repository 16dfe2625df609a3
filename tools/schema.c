// SPDX-License-Identifier: GPL-2.0
/*
 * schema.c - the columns of the /proc/oomtrace tables (docs/format.md):
 * their names in the file header, types, and how each is exported as a
 * Prometheus metric. The one description of every column.
 */
#include <string.h>

#include "../module/format.h"
#include "schema.h"

#define G(n) "gauge", n
#define C(n) "counter", n

static const struct coldef slabs_cols[] = {
	{ "cache", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "objsize", COL_NUM, 0, 0, "oomtrace_cache_object_size_bytes",
	  G("Object size of the slab cache (0 for kmalloc-large).") },
	{ "allocs", COL_NUM, 0, 0, "oomtrace_cache_allocs_total",
	  C("Allocations seen in the cache since load or the last reset.") },
	{ "frees", COL_NUM, 0, 0, "oomtrace_cache_frees_total",
	  C("Frees seen in the cache since load or the last reset.") },
	{ "live", COL_NUM, 0, 0, "oomtrace_cache_live_objects",
	  G("Objects allocated from the cache and not yet freed.") },
	{ "live_bytes", COL_BYTES, 0, 0, "oomtrace_cache_live_bytes",
	  G("Bytes allocated from the cache and not yet freed.") },
	{ "peak_bytes", COL_BYTES, 0, 0, "oomtrace_cache_peak_bytes",
	  G("Highest live bytes seen at a sample point.") },
	{ "top_module", COL_STR, 0, 0, NULL, NULL, NULL },
};

static const struct coldef modules_cols[] = {
	{ "module", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "state", COL_STR, 0, 0, NULL, NULL, NULL },
	{ "allocs", COL_NUM, 0, 0, "oomtrace_module_allocs_total",
	  C("Allocations owned by the module since load or the last reset.") },
	{ "frees", COL_NUM, 0, 0, "oomtrace_module_frees_total",
	  C("Frees of the module's allocations since load or the last reset.") },
	{ "live", COL_NUM, 0, 0, "oomtrace_module_live_objects",
	  G("Objects owned by the module and not yet freed.") },
	{ "live_bytes", COL_BYTES, 0, 0, "oomtrace_module_live_bytes",
	  G("Bytes owned by the module and not yet freed.") },
	{ "slab_bytes", COL_BYTES, 0, 0, "oomtrace_module_slab_bytes",
	  G("Live bytes of the module in slab caches.") },
	{ "page_bytes", COL_BYTES, 0, 0, "oomtrace_module_page_bytes",
	  G("Live bytes of the module from the page allocator.") },
	{ "peak_bytes", COL_BYTES, 0, 0, "oomtrace_module_peak_bytes",
	  G("Highest live bytes of the module seen at a sample point.") },
	{ "vmalloc_bytes", COL_BYTES, 1, 0, "oomtrace_module_vmalloc_bytes",
	  G("Bytes of vmalloc memory allocated by the module (/proc/vmallocinfo pages=).") },
};

static const struct coldef callsites_cols[] = {
	{ "callsite", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "module", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "allocs", COL_NUM, 0, 0, "oomtrace_callsite_allocs_total",
	  C("Allocations made at the call site since load or the last reset.") },
	{ "frees", COL_NUM, 0, 0, "oomtrace_callsite_frees_total",
	  C("Frees of allocations made at the call site.") },
	{ "live", COL_NUM, 0, 0, "oomtrace_callsite_live_objects",
	  G("Objects allocated at the call site and not yet freed.") },
	{ "live_bytes", COL_BYTES, 0, 0, "oomtrace_callsite_live_bytes",
	  G("Bytes allocated at the call site and not yet freed.") },
};

static const struct coldef modslabs_cols[] = {
	{ "module", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "cache", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "live", COL_NUM, 0, 0, "oomtrace_module_cache_live_objects",
	  G("Objects owned by the module in the slab cache.") },
	{ "live_bytes", COL_BYTES, 0, 0, "oomtrace_module_cache_live_bytes",
	  G("Bytes owned by the module in the slab cache.") },
};

/*
 * /proc/slabinfo (version 2.1), every cache's objects since boot: the
 * columns it has, then what the reader computes (bytes in use, bytes of
 * slab pages, oomtrace's share, reclaimable or not).
 */
static const struct coldef slabinfo_cols[] = {
	{ "cache", COL_STR, 0, 0, NULL, NULL, NULL },
	{ "objsize", COL_NUM, 0, 0, NULL, NULL, NULL },
	{ "active_objs", COL_NUM, 0, 0, NULL, NULL, NULL },
	{ "num_objs", COL_NUM, 0, 0, NULL, NULL, NULL },
	{ "num_slabs", COL_NUM, 0, 0, NULL, NULL, NULL },
	{ "inuse_bytes", COL_BYTES, 1, 0, NULL, NULL, NULL },
	{ "slab_bytes", COL_BYTES, 1, 0, NULL, NULL, NULL },
	{ "tracked_bytes", COL_BYTES, 1, 0, NULL, NULL, NULL },
	{ "untracked_bytes", COL_BYTES, 1, 0, NULL, NULL, NULL },
	{ "reclaimable", COL_STR, 1, 0, NULL, NULL, NULL },
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))
const struct tabdef tab_slabs = { OT_FILE_SLABS, slabs_cols, NCOLS(slabs_cols), "cache" };
const struct tabdef tab_modules = { OT_FILE_MODULES, modules_cols, NCOLS(modules_cols),
	"module" };
const struct tabdef tab_callsites = { OT_FILE_CALLSITES, callsites_cols, NCOLS(callsites_cols),
	"callsite" };
const struct tabdef tab_modslabs = { OT_FILE_MODULE_SLABS, modslabs_cols, NCOLS(modslabs_cols),
	"module" };
const struct tabdef tab_slabinfo = { "slabinfo", slabinfo_cols, NCOLS(slabinfo_cols), "cache" };

int table_col(const struct tabdef *def, const char *name)
{
	int i;

	for (i = 0; i < def->ncols; i++)
		if (!strcmp(def->cols[i].name, name))
			return i;
	return -1;
}
