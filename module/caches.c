// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: slab cache identity and names.
 *
 * A cache is keyed by its struct kmem_cache pointer (kmem_cache_alloc) or,
 * for kmalloc, by its size class and type, which the kmalloc tracepoint
 * gives without touching kmalloc_caches[]. Size classes never collide with
 * pointers: they are below 2^40, kernel pointers are not. Two pseudo caches
 * hold page allocator memory: "kmalloc-large" and "pages".
 *
 * struct kmem_cache is private to mm/ (6.1's slub_def.h does not compile on
 * its own; from 6.8 the struct is gone from include/). The only field needed
 * is the name, so its offset is measured once at load: create two caches with
 * known names and find the word that points at each name. Both must agree,
 * or names are reported as "cache-N". kmem_cache_size() (exported) gives the
 * object size. All reads of the struct go through copy_from_kernel_nofault().
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "format.h"
#include "identity.h"

struct ot_cache {
	u32 objsize;
	bool large;		/* kmalloc-large or pages: page allocator memory */
	char name[OT_CACHE_NAME_LEN];
};

static struct ot_cache ot_caches[OT_MAX_CACHES];
static struct ot_tab ot_caches_tab = { .max = OT_MAX_CACHES };
static bool ot_merge;
static struct ot_map ot_cache_map;
static int ot_name_off = -1;
u16 ot_kbucket[OT_KBUCKETS];

static void ot_probe_ctor(void *obj)
{
	/* A constructor keeps the probe caches from being merged. */
}

static int ot_measure_name_off(struct kmem_cache *c, const char *name)
{
	size_t len = strlen(name) + 1;
	const char *p;
	char buf[32];
	int off;

	for (off = 0; off < 256; off += sizeof(void *)) {
		if (copy_from_kernel_nofault(&p, (char *)c + off, sizeof(p)))
			return -1;
		/*
		 * The name is a kstrdup() copy (our names are not the kernel's
		 * rodata): only a direct-map address is tried. Not every
		 * architecture's copy_from_kernel_nofault() survives any
		 * word read as a pointer (User-Mode Linux panics).
		 */
		if (!virt_addr_valid(p) || copy_from_kernel_nofault(buf, p, len))
			continue;
		if (!memcmp(buf, name, len))
			return off;
	}
	return -1;
}

/*
 * Measure the name offset and whether the kernel merges caches: two
 * identical caches without constructor come back as one when it does.
 */
static void ot_caches_probe(void)
{
	static const char * const names[] = { "oomtrace_probe_a", "oomtrace_probe_b" };
	struct kmem_cache *c[2], *m[2];
	int off[2] = { -1, -1 };
	int i;

	for (i = 0; i < 2; i++) {
		c[i] = kmem_cache_create(names[i], 40, 0, 0, ot_probe_ctor);
		if (c[i])
			off[i] = ot_measure_name_off(c[i], names[i]);
	}
	if (off[0] >= 0 && off[0] == off[1])
		ot_name_off = off[0];
	for (i = 0; i < 2; i++)
		kmem_cache_destroy(c[i]);

	m[0] = kmem_cache_create("oomtrace_merge_a", 472, 0, 0, NULL);
	m[1] = kmem_cache_create("oomtrace_merge_b", 472, 0, 0, NULL);
	ot_merge = m[0] && m[0] == m[1];
	kmem_cache_destroy(m[1]);
	kmem_cache_destroy(m[0]);
}

/**
 * ot_caches_init - measure what the kernel does not tell, set up the map
 *
 * Return: 0 or -ENOMEM.
 */
int ot_caches_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ot_kbucket); i++)
		ot_kbucket[i] = ot_kmalloc_bucket(max(i * 8, 1));
	ot_caches_probe();
	return ot_map_init(&ot_cache_map, OT_MAX_CACHES);
}

/**
 * ot_caches_exit - free the cache map
 */
void ot_caches_exit(void)
{
	ot_map_free(&ot_cache_map);
}

/* Fill @c, entry @id, with the name and size of the cache @key. */
static void ot_cache_set_name(struct ot_cache *c, u32 id, u64 key)
{
	const char *p;
	u32 bytes = lower_32_bits(key);
	int i;

	if (key == OT_KEY_LARGE || key == OT_KEY_PAGES) {
		strscpy(c->name, key == OT_KEY_LARGE ? OT_CACHE_LARGE : OT_CACHE_PAGES,
			sizeof(c->name));
		c->large = true;
		return;
	}
	if (key >> 40 == 0) {
		c->objsize = bytes;
		snprintf(c->name, sizeof(c->name), bytes >= 1024 && !(bytes % 1024) ?
			 "%s%uk" : "%s%u", ot_kmalloc_prefix(upper_32_bits(key)),
			 bytes >= 1024 && !(bytes % 1024) ? bytes / 1024 : bytes);
		return;
	}
	c->objsize = kmem_cache_size((struct kmem_cache *)(unsigned long)key);
	if (ot_name_off < 0 ||
	    copy_from_kernel_nofault(&p, (char *)(unsigned long)key + ot_name_off, sizeof(p)))
		goto unnamed;
	/* Byte by byte: the name may end just before an unmapped page. */
	for (i = 0; i < sizeof(c->name) - 1; i++) {
		if (copy_from_kernel_nofault(&c->name[i], p + i, 1))
			goto unnamed;
		if (!c->name[i])
			break;
		/* The format's names never hold white space. */
		if (c->name[i] <= ' ')
			c->name[i] = '_';
	}
	c->name[i] = '\0';
	if (i)
		return;
unnamed:
	snprintf(c->name, sizeof(c->name), "cache-%u", id);
}

/**
 * ot_cache_resolve - cache id of a key, registering the cache on first sight
 * @key: a kmem_cache pointer or a kmalloc key
 *
 * Called with ot_slow_lock held.
 *
 * Return: the cache id, or OT_NONE when the cache table is full.
 */
u32 ot_cache_resolve(u64 key)
{
	u32 id = ot_map_find(&ot_cache_map, key, 0);

	if (id != OT_NONE)
		return id;
	id = ot_tab_next(&ot_caches_tab);
	if (id == OT_NONE)
		goto full;
	memset(&ot_caches[id], 0, sizeof(ot_caches[id]));
	ot_cache_set_name(&ot_caches[id], id, key);
	if (ot_map_insert(&ot_cache_map, key, 0, id))
		goto full;
	ot_tab_publish(&ot_caches_tab, id);
	return id;
full:
	ot_tab_set_full(&ot_caches_tab);
	return OT_NONE;
}

/**
 * ot_cache_full_for - lockless: @key is a cache not known and not addable
 * @key: a kmem_cache pointer or a kmalloc key
 *
 * Return: true when ot_cache_resolve() would fail for @key.
 */
bool ot_cache_full_for(u64 key)
{
	return ot_tab_full(&ot_caches_tab) && ot_map_find(&ot_cache_map, key, 0) == OT_NONE;
}

static bool ot_cache_is(const struct ot_map_ent *e, const void *s)
{
	return e->k1 == (unsigned long)s;
}

/**
 * ot_cache_created - a cache was created at @s; ot_slow_lock() held
 * @s: the new cache (kmem_cache_create()'s result)
 *
 * A cache is gone only once its struct is freed, and then only a new cache
 * can take its address: this is the one moment an entry may be stale. A
 * cache destroyed while objects live stays (its struct is never freed), a
 * destroyed alias of a merged cache only drops a reference, and creating an
 * alias returns the merged cache itself: same name and size, kept. Another
 * name or size at a known address is a new cache: the old entry is retired,
 * and the next allocation there registers (and names) the new one.
 *
 * Return: the id of the entry retired, or OT_NONE.
 */
u32 ot_cache_created(const void *s)
{
	u32 id = ot_map_find(&ot_cache_map, (unsigned long)s, 0);
	struct ot_cache now;

	if (id == OT_NONE)
		return OT_NONE;
	memset(&now, 0, sizeof(now));
	ot_cache_set_name(&now, id, (unsigned long)s);
	if (now.objsize == ot_caches[id].objsize && !strcmp(now.name, ot_caches[id].name))
		return OT_NONE;
	ot_map_retire_if(&ot_cache_map, ot_cache_is, s);
	return id;
}

/**
 * ot_caches_nr - caches known; entries below are complete
 *
 * Return: the count.
 */
u32 ot_caches_nr(void)
{
	return ot_tab_nr(&ot_caches_tab);
}

/**
 * ot_cache_name - a cache's name
 * @id: its id, below ot_caches_nr()
 *
 * Return: the name.
 */
const char *ot_cache_name(u32 id)
{
	return ot_caches[id].name;
}

/**
 * ot_cache_objsize - a cache's object size
 * @id: its id, below ot_caches_nr()
 *
 * Return: bytes; 0 for kmalloc-large and pages.
 */
u32 ot_cache_objsize(u32 id)
{
	return ot_caches[id].objsize;
}

/**
 * ot_cache_pages - whether a cache is page allocator memory
 * @id: its id, below ot_caches_nr()
 *
 * Return: true for kmalloc-large and pages.
 */
bool ot_cache_pages(u32 id)
{
	return ot_caches[id].large;
}

/**
 * ot_slab_merge - whether the kernel merges compatible slab caches
 *
 * Return: true when it does (measured at load).
 */
bool ot_slab_merge(void)
{
	return ot_merge;
}

/**
 * ot_caches_bytes - memory of the cache table and map
 *
 * Return: bytes.
 */
size_t ot_caches_bytes(void)
{
	return sizeof(ot_caches);
}
