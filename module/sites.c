// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: who owns an allocation.
 *
 * An allocation belongs to the first kernel module frame on its call stack;
 * with none, to [kernel]. Walking the stack on every allocation would cost
 * more than the allocation, so each code address is classified once (by
 * sprint_symbol(), the only exported way from an address to its module) and
 * cached in the site map:
 *
 *  - a call site inside a module is the owner, no walk;
 *  - a call site inside a known core helper (mempool, skb, bio, kvmalloc,
 *    ...) walks the stack to the first module frame, stopping at interrupt
 *    entry so an interrupt is not charged to whatever module it interrupted;
 *  - any other core call site is [kernel] (or walked too with walk_all=1).
 *
 * Module load and unload are followed with a module notifier: when a module
 * goes, its sites are retired so a later module mapped at the same
 * addresses is not confused with it, and its row stays as "gone".
 */
#include <linux/kallsyms.h>
#include <linux/stacktrace.h>
#include <linux/vmalloc.h>
#include <linux/string.h>

#include "oomtrace.h"

struct ot_site *ot_sites;
u32 ot_nr_sites;
u32 ot_max_sites;
struct ot_mod ot_mods[OT_MAX_MODULES];
u32 ot_nr_mods;
DEFINE_RAW_SPINLOCK(ot_slow_lock);

static struct ot_map ot_site_map;
/* (hash of the symbol, module) -> first site of that name: see ot_site_canon(). */
static struct ot_map ot_name_map;
/* sprint_symbol() output; used only under ot_slow_lock. */
static char ot_symbuf[KSYM_SYMBOL_LEN];

/* Core functions that allocate on behalf of their caller. */
static const char * const ot_helpers[] = {
	"mempool_alloc_slab", "mempool_kmalloc", "mempool_alloc_pages",
	"mempool_alloc", "mempool_init_node", "mempool_create_node",
	"kvmalloc_node", "kmalloc_reserve", "__alloc_skb", "__netdev_alloc_skb",
	"__napi_alloc_skb", "alloc_skb_with_frags", "skb_clone", "skb_copy",
	"__pskb_copy_fclone", "pskb_expand_head", "skb_copy_expand",
	"__skb_ext_alloc", "sock_kmalloc", "bio_alloc_bioset", "bio_kmalloc",
	"bvec_alloc", "bio_alloc_clone", "alloc_netdev_mqs",
	/* The page allocator's own entry points: the caller is further up. */
	"__traceiter_", "__alloc_pages", "alloc_pages", "__get_free_pages",
	"get_zeroed_page", "alloc_pages_exact", "__folio_alloc", "folio_alloc",
	"get_page_from_freelist", "__alloc_pages_slowpath", "alloc_pages_node",
	"__alloc_pages_node", "__page_frag_cache_refill", "page_frag_alloc_align",
};

/*
 * Page allocations not counted as pages: slab pages (counted as objects),
 * kmalloc-large (as kmalloc), vmalloc's pages (the reader folds
 * /proc/vmallocinfo in per module: counting them here too would count them
 * twice), and page tables, which are nobody's leak (vmalloc maps a module's
 * area with kernel page tables that outlive it). On KASAN kernels, the
 * shadow of a vmalloc area (when the bulk allocation falls back to
 * __alloc_pages()): the checker's memory, freed only when lazily unmapped
 * areas are purged, long after the module's vfree(). And the stack depot's
 * pools (KASAN, page_owner, ... record allocation stacks there): filled by
 * whoever allocates when a pool runs out, never freed.
 */
static const char * const ot_skips[] = {
	"allocate_slab", "alloc_slab_page", "new_slab", "___slab_alloc",
	"__kmalloc_large_node", "kmalloc_large", "kmalloc_large_node",
	"__vmalloc_area_node", "vm_area_alloc_pages",
	"__pte_alloc", "__pte_alloc_kernel", "pte_alloc_one", "__pmd_alloc",
	"__pud_alloc", "__p4d_alloc",
	"kasan_populate_vmalloc", "__stack_depot_save",
};

/*
 * Interrupt and softirq entry: frames below belong to someone else. And
 * kvfree_call_rcu(), whose batch pages serve every later caller on the CPU.
 */
static const char * const ot_boundaries[] = {
	"__do_softirq", "handle_softirqs", "do_softirq", "irq_exit_rcu",
	"__irq_exit_rcu", "common_interrupt", "__common_interrupt",
	"__sysvec_", "sysvec_", "asm_", "ret_from_fork", "kthread",
	"kvfree_call_rcu",
};

static bool ot_name_in(const char *fn, size_t len, const char * const *list, size_t n)
{
	size_t i, l;

	for (i = 0; i < n; i++) {
		l = strlen(list[i]);
		/* A trailing '_' in the list means "prefix". */
		if (list[i][l - 1] == '_' ? len >= l && !strncmp(fn, list[i], l) :
		    len == l && !strncmp(fn, list[i], l))
			return true;
	}
	return false;
}

/* Find or add a module by name; ot_slow_lock held. */
static u32 ot_mod_get(const char *name, size_t len, u8 state)
{
	u32 i;

	len = min_t(size_t, len, MODULE_NAME_LEN - 1);
	for (i = 0; i < ot_nr_mods; i++)
		if (!strncmp(ot_mods[i].name, name, len) && !ot_mods[i].name[len])
			return i;
	if (ot_nr_mods >= OT_MAX_MODULES)
		return OT_KERNEL;
	memcpy(ot_mods[i].name, name, len);
	ot_mods[i].name[len] = '\0';
	ot_mods[i].state = state;
	atomic64_set(&ot_mods[i].peak, 0);
	/* Readers scan up to ot_nr_mods without the lock. */
	smp_store_release(&ot_nr_mods, i + 1);
	return i;
}

/*
 * The first site with @s's name and module, or @id itself: a function seen
 * again after its module reloaded is one callsites row, merged at read time
 * without comparing names. ot_slow_lock held.
 */
static u32 ot_site_canon(const struct ot_site *s, u32 id)
{
	u64 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	const char *c;
	u32 first;

	for (c = s->sym; *c; c++)
		h = (h ^ (u8)*c) * 0x100000001b3ULL;
	h |= 1;				/* 0 marks a free map entry */
	first = ot_map_find(&ot_name_map, h, s->module);
	if (first != OT_NONE)
		return strcmp(ot_sites[first].sym, s->sym) ? id : first;
	/* Full: the site is its own row, as every site once was. */
	ot_map_insert(&ot_name_map, h, s->module, id);
	return id;
}

/* Classify @addr and add it to the site map; ot_slow_lock held. */
static u32 ot_site_add(unsigned long addr)
{
	struct ot_site *s;
	const char *mod, *end;
	size_t fnlen;
	u32 id;

	id = ot_map_find(&ot_site_map, addr, 0);
	if (id != OT_NONE)
		return id;
	if (ot_nr_sites >= ot_max_sites)
		return OT_NONE;
	id = ot_nr_sites;
	s = &ot_sites[id];
	memset(s, 0, sizeof(*s));

	sprint_symbol(ot_symbuf, addr);
	if (!strncmp(ot_symbuf, "0x", 2)) {
		/* No symbol (BPF, freed init text): never print the address. */
		strscpy(s->sym, "?", sizeof(s->sym));
		s->class = OT_SITE_KERNEL;
		s->module = OT_KERNEL;
		goto publish;
	}
	/* "func+0xoff/0xsize [module buildid]" */
	mod = strstr(ot_symbuf, " [");
	if (mod) {
		size_t symlen = mod - ot_symbuf;

		mod += 2;
		end = strpbrk(mod, " ]");
		if (!end)
			end = mod + strlen(mod);
		s->module = ot_mod_get(mod, end - mod, OT_MOD_LIVE);
		s->class = strncmp(mod, KBUILD_MODNAME, end - mod) ||
			   end - mod != strlen(KBUILD_MODNAME) ?
			   OT_SITE_MODULE : OT_SITE_SELF;
		s->init_phase = ot_mods[s->module].state == OT_MOD_COMING;
		strscpy(s->sym, ot_symbuf, min(symlen + 1, sizeof(s->sym)));
	} else {
		strscpy(s->sym, ot_symbuf, sizeof(s->sym));
		s->module = OT_KERNEL;
		fnlen = strcspn(ot_symbuf, "+");
		if (ot_name_in(ot_symbuf, fnlen, ot_helpers, ARRAY_SIZE(ot_helpers)))
			s->class = OT_SITE_HELPER;
		else if (ot_name_in(ot_symbuf, fnlen, ot_skips, ARRAY_SIZE(ot_skips)))
			s->class = OT_SITE_SKIP;
		else if (ot_name_in(ot_symbuf, fnlen, ot_boundaries,
				    ARRAY_SIZE(ot_boundaries)))
			s->class = OT_SITE_BOUNDARY;
		else
			s->class = OT_SITE_KERNEL;
	}
publish:
	s->canon = ot_site_canon(s, id);
	if (ot_map_insert(&ot_site_map, addr, 0, id))
		return OT_NONE;
	/* Readers scan up to ot_nr_sites without the lock. */
	smp_store_release(&ot_nr_sites, id + 1);
	return id;
}

/**
 * ot_site_of - the site of a code address, classified on first sight
 * @addr: a code address
 *
 * Runs in any context; the first sight of @addr takes ot_slow_lock.
 *
 * Return: a site id, or OT_NONE when the site table is full.
 */
u32 ot_site_of(unsigned long addr)
{
	unsigned long flags;
	u32 id = ot_map_find(&ot_site_map, addr, 0);

	if (likely(id != OT_NONE))
		return id;
	raw_spin_lock_irqsave(&ot_slow_lock, flags);
	id = ot_site_add(addr);
	raw_spin_unlock_irqrestore(&ot_slow_lock, flags);
	return id;
}

#if OT_HAVE_STACKTRACE
/*
 * Walk up to @depth frames from the probe for the owner: the first module
 * frame. Leading frames of oomtrace itself (the probe) are skipped; later
 * ones are a real owner (oomtrace's own allocations). An irq or softirq entry
 * ends the walk: what lies below it was interrupted, it did not allocate.
 * Without a module frame the owner is @fallback, the allocator's call site;
 * page allocations have none (@fallback is OT_NONE): for them the first core
 * frame stands in, and a frame of class OT_SITE_SKIP (slab pages,
 * kmalloc-large: counted elsewhere) is returned as it is. *@done is false
 * when the walk ran out of depth before it could decide.
 */
static u32 ot_walk(unsigned int depth, u32 fallback, bool *done)
{
	unsigned long entries[64];
	bool pages = fallback == OT_NONE;
	u32 id, first = fallback;
	unsigned int n, i;
	bool top = true;

	n = stack_trace_save(entries, min_t(unsigned int, depth, ARRAY_SIZE(entries)), 0);
	*done = true;
	for (i = 0; i < n; i++) {
		id = ot_site_of(entries[i]);
		if (id == OT_NONE)
			return first;
		switch (ot_sites[id].class) {
		case OT_SITE_SELF:
			if (top)
				continue;
			return id;
		case OT_SITE_MODULE:
			return id;
		case OT_SITE_SKIP:
			if (pages)
				return id;
			break;
		case OT_SITE_BOUNDARY:
			return first != OT_NONE ? first : id;
		case OT_SITE_KERNEL:
			if (first == OT_NONE)
				first = id;
			break;
		default:
			break;
		}
		top = false;
	}
	*done = n < depth;
	return first;
}

/**
 * ot_page_owner - the site a page allocation is charged to
 *
 * Runs in the page allocation probe, in any context.
 *
 * Return: a site id (of class OT_SITE_SKIP when the pages are counted
 * elsewhere), or OT_NONE when no owner could be found.
 */
u32 ot_page_owner(void)
{
	bool done;
	u32 id;

	if (!ot_walk_depth)
		return OT_NONE;
	/*
	 * A short walk first: most decisions (slab pages, a driver calling
	 * alloc_pages() itself) are made within a few frames of the allocator.
	 */
	id = ot_walk(min(ot_walk_depth, 8U), OT_NONE, &done);
	if (done || ot_walk_depth <= 8)
		return id;
	return ot_walk(ot_walk_depth, OT_NONE, &done);
}
#else
static u32 ot_walk(unsigned int depth, u32 fallback, bool *done)
{
	*done = true;
	return fallback;
}

u32 ot_page_owner(void)
{
	return OT_NONE;
}
#endif

/**
 * ot_owner_site - the site an allocation is charged to
 * @call_site: the allocator's caller, as the tracepoint reports it
 *
 * Runs in the probe, in any context. The first sight of an address takes
 * ot_slow_lock once to classify it; later sights are lockless.
 *
 * Return: a site id, or OT_NONE when the site table is full.
 */
u32 ot_owner_site(unsigned long call_site)
{
	u32 id = ot_site_of(call_site);
	bool done;

	if (unlikely(id == OT_NONE) || !ot_walk_depth)
		return id;
	switch (ot_sites[id].class) {
	case OT_SITE_HELPER:
		return ot_walk(ot_walk_depth, id, &done);
	case OT_SITE_KERNEL:
	case OT_SITE_BOUNDARY:
		return ot_walk_all ? ot_walk(ot_walk_depth, id, &done) : id;
	default:
		return id;
	}
}

/* Retire @mod's sites (only those of its init phase if @init_only). */
static void ot_sites_retire(u32 mod, bool init_only)
{
	struct ot_map_ent *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&ot_slow_lock, flags);
	for (e = ot_site_map.ent; e <= ot_site_map.ent + ot_site_map.mask; e++) {
		struct ot_site *s;

		if (!e->k1 || e->retired)
			continue;
		s = &ot_sites[e->val];
		if (s->module != mod || (init_only && !s->init_phase))
			continue;
		WRITE_ONCE(e->retired, 1);
		ot_retire_slots(mod, e->val, OT_NONE);
	}
	raw_spin_unlock_irqrestore(&ot_slow_lock, flags);
}

static int ot_module_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *m = data;
	unsigned long flags;
	u32 id;

	raw_spin_lock_irqsave(&ot_slow_lock, flags);
	id = ot_mod_get(m->name, strlen(m->name), OT_MOD_COMING);
	switch (action) {
	case MODULE_STATE_COMING:
		WRITE_ONCE(ot_mods[id].state, OT_MOD_COMING);
		break;
	case MODULE_STATE_LIVE:
		WRITE_ONCE(ot_mods[id].state, OT_MOD_LIVE);
		break;
	case MODULE_STATE_GOING:
		WRITE_ONCE(ot_mods[id].state, OT_MOD_GONE);
		break;
	}
	raw_spin_unlock_irqrestore(&ot_slow_lock, flags);
	if (id == OT_KERNEL)
		return NOTIFY_DONE;

	/*
	 * Init text is freed once the module is live, and all of its text once
	 * it is gone: the addresses may then be reused by another module.
	 */
	if (action == MODULE_STATE_LIVE)
		ot_sites_retire(id, true);
	else if (action == MODULE_STATE_GOING)
		ot_sites_retire(id, false);
	return NOTIFY_DONE;
}

static struct notifier_block ot_module_nb = {
	.notifier_call = ot_module_event,
};

/**
 * ot_sites_init - allocate the site tables and follow module load/unload
 *
 * Return: 0 or a negative errno.
 */
int ot_sites_init(void)
{
	int ret;

	ot_sites = vzalloc(array_size(ot_max_sites, sizeof(*ot_sites)));
	if (!ot_sites)
		return -ENOMEM;
	ret = ot_map_init(&ot_site_map, ot_max_sites);
	if (ret)
		goto err_sites;
	ret = ot_map_init(&ot_name_map, ot_max_sites);
	if (ret)
		goto err_site_map;
	strscpy(ot_mods[OT_KERNEL].name, "[kernel]", MODULE_NAME_LEN);
	ot_mods[OT_KERNEL].state = OT_MOD_LIVE;
	ot_nr_mods = 1;
	ret = register_module_notifier(&ot_module_nb);
	if (ret)
		goto err_map;
	return 0;

err_map:
	ot_map_free(&ot_name_map);
err_site_map:
	ot_map_free(&ot_site_map);
err_sites:
	vfree(ot_sites);
	return ret;
}

/**
 * ot_sites_exit - stop following modules and free the site tables
 *
 * Called after the probes are gone: nothing looks sites up any more.
 */
void ot_sites_exit(void)
{
	unregister_module_notifier(&ot_module_nb);
	ot_map_free(&ot_name_map);
	ot_map_free(&ot_site_map);
	vfree(ot_sites);
}

/**
 * ot_sites_bytes - memory held by the site tables
 *
 * Return: bytes.
 */
size_t ot_sites_bytes(void)
{
	return ot_max_sites * sizeof(*ot_sites) + ot_map_bytes(&ot_site_map) +
	       ot_map_bytes(&ot_name_map);
}
