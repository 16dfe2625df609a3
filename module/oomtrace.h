/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: internal interfaces between the module's files.
 *
 * Data model. Every allocation is charged to a *slot*: the pair (call
 * site, cache). A slot knows its site (which names the owning module) and
 * its cache, so every /proc table is an aggregation of slots done at read
 * time. The hot path touches one slot lookup, one pointer-table bucket
 * pair and this CPU's counters of the slot, nothing global.
 *
 * Tables (sites, caches, slots, modules) are insert-only: entries are never
 * freed while the module is loaded, only *retired* (module unloaded, cache
 * destroyed) so that lookups stop finding them while the counters they hold
 * stay readable.
 *
 * Locking: ot_slow_lock (raw, irqsave) serialises inserts into the tables
 * and module state changes; readers of the tables take no lock. ot_ctl_mutex
 * serialises control writes, reset, and probe registration. Lock order:
 * ot_ctl_mutex -> ot_slow_lock.
 */
#ifndef OOMTRACE_H
#define OOMTRACE_H

#include <linux/types.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <asm/local64.h>

#include "compat.h"

#define OOMTRACE_FORMAT		1

#define OT_MAX_MODULES		512
#define OT_MAX_CACHES		1024
#define OT_SYM_LEN		80
#define OT_CACHE_NAME_LEN	48
#define OT_KERNEL		0	/* module id of the core kernel */
#define OT_NONE			U32_MAX

/* ---- map.c: insert-only hash map, (k1, k2) -> u32, lockless lookups ---- */

struct ot_map_ent {
	u64 k1;
	u64 k2;
	u32 val;
	u32 retired;
};

struct ot_map {
	struct ot_map_ent *ent;
	u32 mask;
};

int ot_map_init(struct ot_map *m, u32 min_entries);
void ot_map_free(struct ot_map *m);
void ot_map_clear(struct ot_map *m);
size_t ot_map_bytes(const struct ot_map *m);
u32 ot_map_find(const struct ot_map *m, u64 k1, u64 k2);
int ot_map_insert(struct ot_map *m, u64 k1, u64 k2, u32 val);

/* ---- sites.c: call sites, modules, ownership ---- */

enum ot_site_class {
	OT_SITE_MODULE,		/* code of a module: the owner */
	OT_SITE_KERNEL,		/* core kernel code */
	OT_SITE_HELPER,		/* core helper allocating for its caller */
	OT_SITE_BOUNDARY,	/* irq/softirq entry: ownership stops here */
	OT_SITE_SELF,		/* oomtrace itself */
	OT_SITE_SKIP,		/* pages counted elsewhere (slab, kmalloc-large) */
};

enum ot_mod_state {
	OT_MOD_LIVE,
	OT_MOD_COMING,
	OT_MOD_GONE,
};

struct ot_site {
	u16 module;
	u8 class;
	u8 init_phase;		/* resolved while the module was initialising */
	u32 canon;		/* first site of the same name and module */
	char sym[OT_SYM_LEN];
};

struct ot_mod {
	char name[MODULE_NAME_LEN];
	u8 state;
	atomic64_t peak;
};

extern struct ot_site *ot_sites;
extern u32 ot_nr_sites;
extern u32 ot_max_sites;
extern struct ot_mod ot_mods[OT_MAX_MODULES];
extern u32 ot_nr_mods;
extern raw_spinlock_t ot_slow_lock;
extern unsigned int ot_walk_depth;
extern bool ot_walk_all;

int ot_sites_init(void);
void ot_sites_exit(void);
size_t ot_sites_bytes(void);
u32 ot_site_of(unsigned long addr);
u32 ot_owner_site(unsigned long call_site);
u32 ot_page_owner(void);

/* ---- caches.c: slab cache identity and names ---- */

struct ot_cache {
	u32 objsize;
	bool large;		/* kmalloc-large: page allocator memory */
	atomic64_t peak;
	char name[OT_CACHE_NAME_LEN];
};

extern struct ot_cache ot_caches[OT_MAX_CACHES];
extern u32 ot_nr_caches;
extern bool ot_slab_merge;

int ot_caches_init(void);
void ot_caches_exit(void);
u32 ot_cache_resolve(u64 key);
void ot_cache_retire(const void *s);
size_t ot_kmalloc_size(size_t bytes_req, size_t bytes_alloc);
u64 ot_kmalloc_key(size_t size, gfp_t gfp);

/* Cache keys that are not slab caches: both are page allocator memory. */
#define OT_KEY_LARGE	1ULL	/* kmalloc too large for a kmalloc cache */
#define OT_KEY_PAGES	2ULL	/* alloc_pages() and friends */

/* ---- track.c: the hot path ---- */

struct ot_slot {
	u32 site;
	u16 cache;
	u16 module;
};

/*
 * Per slot and CPU. In sampled mode every tracked allocation adds the
 * objects and bytes it stands for: allocs, frees and bytes are estimates.
 */
struct ot_ctr {
	local64_t allocs;
	local64_t frees;
	local64_t bytes;
};

/* Events seen by the probes on one CPU, tracked or not. */
struct ot_seen {
	u64 allocs;
	u64 frees;
};

extern struct ot_slot *ot_slots;
extern u32 ot_nr_slots;
extern struct ot_map ot_slot_map;
extern unsigned long ot_max_objects;
extern atomic64_t ot_dropped;
extern atomic64_t ot_lost_frees;
extern unsigned int ot_epoch;
extern u64 ot_epoch_start_ns;
extern bool ot_sampled;
extern u32 ot_sample_bytes;

#define OT_SAMPLE_MIN	4096U
#define OT_SAMPLE_MAX	(4U << 20)

int ot_track_init(void);
void ot_track_exit(void);
int ot_track_start(void);
void ot_track_stop(void);
void ot_track_reset(bool sampled, u32 sample_bytes);
void ot_track_seen(u64 *allocs, u64 *frees);
size_t ot_track_bytes(void);
void ot_track_alloc(unsigned long call_site, u64 cache_key, const void *ptr, u32 bytes);
void ot_track_free(const void *ptr);
void ot_slot_read(u32 slot, u64 *allocs, u64 *frees, s64 *bytes);
void ot_retire_slots(u32 module, u32 site, u32 cache);

/* ---- kprobes.c: what the tracepoints do not show ---- */

int ot_kprobes_start(void);
void ot_kprobes_stop(void);

/* ---- agg.c: read-time aggregation ---- */

struct ot_row {
	u32 id;			/* site, cache or module id (canonical) */
	u32 id2;		/* second key (module_slabs: cache) */
	u64 allocs;
	u64 frees;
	s64 bytes;
	s64 slab_bytes;
	s64 page_bytes;
};

struct ot_agg {
	struct ot_row *slot;		/* per slot */
	struct ot_row *site;		/* per call site, or per (module, cache) */
	struct ot_row mod[OT_MAX_MODULES];
	struct ot_row cache[OT_MAX_CACHES];	/* by canonical cache id */
	u32 cache_canon[OT_MAX_CACHES];	/* cache id -> smallest id of its name */
	u32 order[OT_MAX_CACHES];
	u32 nr_slot;
	u32 nr_mod;
	u32 nr_cache;
};

extern unsigned int ot_peak_ms;

struct ot_agg *ot_agg_alloc(void);
void ot_agg_free(struct ot_agg *a);
void ot_agg_collect(struct ot_agg *a);
void ot_agg_sort(struct ot_row *rows, u32 n);
u32 ot_agg_sites(struct ot_agg *a);
u32 ot_agg_mod_cache(struct ot_agg *a);
u32 ot_cache_top_module(const struct ot_agg *a, u32 n, u32 cache);
u64 ot_live(const struct ot_row *r);
void ot_peak_update(const struct ot_agg *a);
int ot_peak_start(void);
void ot_peak_stop(void);

/* ---- procfs.c ---- */

int ot_procfs_init(void);
void ot_show_banner(struct seq_file *m, const char *name, bool sampled, u32 sample_bytes);
void ot_procfs_exit(void);
struct proc_dir_entry *ot_procfs_dir(void);

/* ---- oom.c: OOM events and thresholds ---- */

int ot_oom_init(void);
void ot_oom_exit(void);
void ot_oom_reset(void);
void ot_oom_thresholds_check(const struct ot_agg *a);
int ot_oom_threshold_cmd(char *args);
void ot_oom_control_show(struct seq_file *m);
void ot_oom_status_show(struct seq_file *m);

/* ---- main.c ---- */

extern struct mutex ot_ctl_mutex;
extern bool ot_running;
size_t ot_memory_bytes(void);
int ot_parse_mode(const char *name, bool *sampled);

#endif /* OOMTRACE_H */
