/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: the identity layer. What an allocation is charged to is a
 * (call site, cache) pair; a call site names its module. This layer knows
 * the modules (modules.c), the slab caches and their names (caches.c), the
 * call sites and how each is owned (sites.c), and finds the owner up the
 * stack (sites.c). Every table is insert-only (lib.h's ot_tab): entries are
 * never freed while oomtrace is loaded, only retired so lookups stop
 * finding them while what points at them stays readable.
 *
 * Callers: the slot table above it, the hot path, and the readers.
 */
#ifndef OOMTRACE_IDENTITY_H
#define OOMTRACE_IDENTITY_H

#include <linux/math.h>
#include <linux/slab.h>
#include <linux/types.h>

#include "compat.h"
#include "lib.h"
#include "map.h"

struct module;

/* ---- modules.c ---- */

#define OT_MAX_MODULES		512
#define OT_KERNEL		0	/* module id of the core kernel */
/*
 * The module of a site whose module found no room in the table: no slot
 * takes its allocations (they are dropped and counted, never charged to
 * another module). Above every id, within a site's u16.
 */
#define OT_MOD_UNNAMED		0xffff

enum ot_mod_state {
	OT_MOD_LIVE,
	OT_MOD_COMING,
	OT_MOD_GONE,
};

void ot_mods_init(void);
u32 ot_mod_get(const char *name, size_t len, u8 state);
void ot_mod_set_state(u32 id, u8 state);
u32 ot_mods_nr(void);
const char *ot_mod_name(u32 id);
bool ot_mod_gone(u32 id);
bool ot_mod_coming(u32 id);
size_t ot_mods_bytes(void);

/* ---- caches.c ---- */

#define OT_MAX_CACHES		1024
#define OT_CACHE_NAME_LEN	48

/* Cache keys that are not slab caches: both are page allocator memory. */
#define OT_KEY_LARGE		1ULL	/* kmalloc too large for a kmalloc cache */
#define OT_KEY_PAGES		2ULL	/* alloc_pages() and friends */

int ot_caches_init(void);
void ot_caches_exit(void);
u32 ot_cache_resolve(u64 key);
bool ot_cache_full_for(u64 key);
u32 ot_cache_created(const void *s);
u32 ot_caches_nr(void);
const char *ot_cache_name(u32 id);
u32 ot_cache_objsize(u32 id);
bool ot_cache_pages(u32 id);
bool ot_slab_merge(void);
size_t ot_caches_bytes(void);

/*
 * The kmalloc bucket of every request up to KMALLOC_MAX_CACHE_SIZE, by
 * 8-byte step (every bucket is a multiple of 8), filled by ot_caches_init():
 * one load on the hot path instead of kmalloc_size_roundup()'s call and
 * cache lookup.
 */
#define OT_KBUCKETS		(KMALLOC_MAX_CACHE_SIZE / 8 + 1)
static_assert(KMALLOC_MAX_CACHE_SIZE <= U16_MAX);
extern u16 ot_kbucket[OT_KBUCKETS];

/**
 * ot_kmalloc_size - object size of a kmalloc allocation
 * @bytes_req: the size the caller asked for
 * @bytes_alloc: the size kmem:kmalloc reports (the cache's slot size)
 *
 * The bucket's object size (1024 for kmalloc-1k), as kmem_cache_size() is
 * for kmem_cache_alloc(): a slot grown by KASAN or slub_debug metadata must
 * neither rename the bucket nor push kmalloc-8k into kmalloc-large.
 * kmalloc-large's bytes_alloc is its pages, kept as is.
 *
 * Return: the size to charge and to name the cache by.
 */
static inline size_t ot_kmalloc_size(size_t bytes_req, size_t bytes_alloc)
{
	if (bytes_req <= KMALLOC_MAX_CACHE_SIZE)
		return ot_kbucket[DIV_ROUND_UP(bytes_req, 8)];
	return bytes_alloc;
}

/**
 * ot_kmalloc_key - cache key of a kmalloc allocation
 * @size: its size from ot_kmalloc_size()
 * @gfp: the allocation's flags, which select the kmalloc cache type
 * @caller: the allocation's call site (random kmalloc caches hash it)
 *
 * Return: the key.
 */
static inline u64 ot_kmalloc_key(size_t size, gfp_t gfp, unsigned long caller)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return OT_KEY_LARGE;
	return (u64)ot_kmalloc_type(gfp, caller) << 32 | size;
}

/* ---- sites.c ---- */

#define OT_SYM_LEN		80

enum ot_site_class {
	OT_SITE_MODULE,		/* code of a module: the owner */
	OT_SITE_KERNEL,		/* core kernel code */
	OT_SITE_HELPER,		/* core helper allocating for its caller */
	OT_SITE_BOUNDARY,	/* irq/softirq entry: ownership stops here */
	OT_SITE_SELF,		/* oomtrace itself */
	OT_SITE_SKIP,		/* pages counted elsewhere (slab, kmalloc-large) */
};

int ot_sites_init(u32 max_sites);
void ot_sites_exit(void);
size_t ot_sites_bytes(u32 max_sites);
u32 ot_site_of(unsigned long addr, u8 *class);
u8 ot_site_class(u32 id);
bool ot_site_skipped(unsigned long addr);
u32 ot_site_module(u32 id);
u32 ot_site_canon(u32 id);
const char *ot_site_sym(u32 id, size_t *len);
bool ot_site_init_phase(u32 id);
u32 ot_sites_nr(void);
void ot_sites_retire(u32 mod, bool init_only);
void ot_sites_retire_unnamed(const struct module *m, bool init_only);

/* ---- sites.c: the stack walk ---- */

void ot_walk_init(unsigned int depth, bool all);
unsigned int ot_walk_depth(void);
bool ot_walk_all(void);
u32 ot_owner_site(unsigned long call_site);
u32 ot_page_owner(u8 *class);

#endif /* OOMTRACE_IDENTITY_H */
