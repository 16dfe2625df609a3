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
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "oomtrace.h"

struct ot_cache ot_caches[OT_MAX_CACHES];
u32 ot_nr_caches;
bool ot_slab_merge;

static struct ot_map ot_cache_map;
static int ot_name_off = -1;

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
		if (copy_from_kernel_nofault(buf, p, len))
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
	ot_slab_merge = m[0] && m[0] == m[1];
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
size_t ot_kmalloc_size(size_t bytes_req, size_t bytes_alloc)
{
	/*
	 * kmalloc_size_roundup() came in 6.1 with the kmalloc tracepoint
	 * signature the probe is checked against: no compat entry needed.
	 */
	if (bytes_req <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_size_roundup(bytes_req);
	return bytes_alloc;
}

/**
 * ot_kmalloc_key - cache key of a kmalloc allocation
 * @size: its size from ot_kmalloc_size()
 * @gfp: the allocation's flags, which select the kmalloc cache type
 *
 * Return: the key.
 */
u64 ot_kmalloc_key(size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return OT_KEY_LARGE;
	return (u64)kmalloc_type(gfp) << 32 | size;
}

static const char *ot_kmalloc_prefix(u32 type)
{
	/* Types alias KMALLOC_NORMAL when their config is off: test it first. */
	if (type == KMALLOC_NORMAL)
		return "kmalloc-";
	if (type == KMALLOC_RECLAIM)
		return "kmalloc-rcl-";
	if (type == KMALLOC_DMA)
		return "dma-kmalloc-";
	return "kmalloc-cg-";
}

static void ot_cache_name(struct ot_cache *c, u64 key)
{
	const char *p;
	u32 bytes = lower_32_bits(key);
	int i;

	if (key == OT_KEY_LARGE || key == OT_KEY_PAGES) {
		strscpy(c->name, key == OT_KEY_LARGE ? "kmalloc-large" : "pages",
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
	snprintf(c->name, sizeof(c->name), "cache-%u", (u32)(c - ot_caches));
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
	if (ot_nr_caches >= OT_MAX_CACHES)
		return OT_NONE;
	id = ot_nr_caches;
	memset(&ot_caches[id], 0, sizeof(ot_caches[id]));
	ot_cache_name(&ot_caches[id], key);
	if (ot_map_insert(&ot_cache_map, key, 0, id))
		return OT_NONE;
	/* Readers scan up to ot_nr_caches without the lock. */
	smp_store_release(&ot_nr_caches, id + 1);
	return id;
}

/**
 * ot_cache_retire - a cache is being destroyed
 * @s: the cache
 *
 * Its address may be reused by another cache: retire the entry so the next
 * allocation from that address registers (and names) the cache anew.
 */
void ot_cache_retire(const void *s)
{
	struct ot_map_ent *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&ot_slow_lock, flags);
	for (e = ot_cache_map.ent; e <= ot_cache_map.ent + ot_cache_map.mask; e++) {
		if (e->k1 != (unsigned long)s || e->retired)
			continue;
		WRITE_ONCE(e->retired, 1);
		ot_retire_slots(OT_NONE, OT_NONE, e->val);
	}
	raw_spin_unlock_irqrestore(&ot_slow_lock, flags);
}
