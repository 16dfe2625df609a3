// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: call sites, classified once.
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
 *    entry so an interrupt is not charged to whatever module it interrupted
 *    (a walk classifies every frame through this same table: an address
 *    is named once, and the walk runs in the probes, in any context);
 *  - any other core call site is [kernel] (or walked too with walk_all=1).
 *
 * The function names are the kernel's (compat.h). When a module goes, its
 * sites are retired so a later module mapped at the same addresses is not
 * confused with it (modwatch.c decides when).
 *
 * Inserts are serialised by ot_slow_lock(); lookups are lockless.
 */
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <linux/string.h>

#include "identity.h"

struct ot_site {
	u16 module;
	u8 class;
	u8 init_phase;		/* resolved while the module was initialising */
	u32 canon;		/* first site of the same name and module */
	char sym[OT_SYM_LEN];
	u8 sym_len;		/* strlen(sym): rows are written without strlen() */
};

static struct ot_site *ot_sites;
static struct ot_tab ot_sites_tab;
static struct ot_map ot_site_map;
/* (hash of the symbol, module) -> first site of that name: see ot_site_canon_of(). */
static struct ot_map ot_name_map;
/* sprint_symbol() output; used only under ot_slow_lock(). */
static char ot_symbuf[KSYM_SYMBOL_LEN];

static const char * const ot_helpers[] = { OT_FUNCS_HELPER };
static const char * const ot_skips[] = { OT_FUNCS_SKIP };
static const char * const ot_boundaries[] = { OT_FUNCS_BOUNDARY };

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

/*
 * The length of a function's own name in "func.cold+0x1/0x2": without the
 * offset, the compiler's suffixes (.cold, .constprop.N, .part.N, .isra.N)
 * and the "_noprof" of v6.10's allocators (compat.h).
 */
static size_t ot_func_len(const char *sym)
{
	size_t len = strcspn(sym, "+.");
	size_t sl = strlen(OT_FUNC_SUFFIX_NOPROF);

	if (len > sl && !strncmp(sym + len - sl, OT_FUNC_SUFFIX_NOPROF, sl))
		len -= sl;
	return len;
}

/* The class of a core kernel function by its name (@len bytes of @fn). */
static u8 ot_core_class(const char *fn, size_t len)
{
	if (ot_name_in(fn, len, ot_helpers, ARRAY_SIZE(ot_helpers)))
		return OT_SITE_HELPER;
	if (ot_name_in(fn, len, ot_skips, ARRAY_SIZE(ot_skips)))
		return OT_SITE_SKIP;
	if (ot_name_in(fn, len, ot_boundaries, ARRAY_SIZE(ot_boundaries)))
		return OT_SITE_BOUNDARY;
	return OT_SITE_KERNEL;
}

/*
 * The first site with @s's name and module, or @id itself: a function seen
 * again after its module reloaded is one callsites row, merged at read time
 * without comparing names. ot_slow_lock() held.
 */
static u32 ot_site_canon_of(const struct ot_site *s, u32 id)
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

/* Fill @s from "func+0xoff/0xsize [module buildid]" in ot_symbuf. */
static void ot_site_classify(struct ot_site *s)
{
	const char *mod, *end;
	size_t symlen;
	u32 id;

	if (!strncmp(ot_symbuf, "0x", 2)) {
		/* No symbol (BPF, freed init text): never print the address. */
		strscpy(s->sym, "?", sizeof(s->sym));
		s->class = OT_SITE_KERNEL;
		s->module = OT_KERNEL;
		return;
	}
	mod = strstr(ot_symbuf, " [");
	if (!mod) {
		strscpy(s->sym, ot_symbuf, sizeof(s->sym));
		s->module = OT_KERNEL;
		s->class = ot_core_class(ot_symbuf, ot_func_len(ot_symbuf));
		return;
	}
	symlen = mod - ot_symbuf;
	mod += 2;
	end = strpbrk(mod, " ]");
	if (!end)
		end = mod + strlen(mod);
	id = ot_mod_get(mod, end - mod, OT_MOD_LIVE);
	s->module = id == OT_NONE ? OT_MOD_UNNAMED : id;
	s->class = strncmp(mod, KBUILD_MODNAME, end - mod) ||
		   end - mod != strlen(KBUILD_MODNAME) ? OT_SITE_MODULE : OT_SITE_SELF;
	s->init_phase = s->module != OT_MOD_UNNAMED && ot_mod_coming(s->module);
	strscpy(s->sym, ot_symbuf, min(symlen + 1, sizeof(s->sym)));
}

/* Classify @addr and add it to the site map; ot_slow_lock() held. */
static u32 ot_site_add(unsigned long addr)
{
	struct ot_site *s;
	u32 id;

	id = ot_map_find(&ot_site_map, addr, 0);
	if (id != OT_NONE)
		return id;
	id = ot_tab_next(&ot_sites_tab);
	if (id == OT_NONE)
		goto full;
	s = &ot_sites[id];
	memset(s, 0, sizeof(*s));
	sprint_symbol(ot_symbuf, addr);
	ot_site_classify(s);
	s->sym_len = strlen(s->sym);
	s->canon = ot_site_canon_of(s, id);
	if (ot_map_insert(&ot_site_map, addr, 0, id))
		goto full;
	ot_tab_publish(&ot_sites_tab, id);
	return id;
full:
	ot_tab_set_full(&ot_sites_tab);
	return OT_NONE;
}

/* First sight of @addr: out of line, so that the lookup stays lean. */
static noinline u32 ot_site_of_slow(unsigned long addr)
{
	unsigned long flags;
	u32 id;

	if (ot_tab_full(&ot_sites_tab))
		return OT_NONE;
	flags = ot_slow_lock();
	id = ot_site_add(addr);
	ot_slow_unlock(flags);
	return id;
}

/**
 * ot_site_of - the site of a code address, classified on first sight
 * @addr: a code address
 * @class: set to the site's class (enum ot_site_class) unless OT_NONE
 *
 * Runs in any context; the first sight of @addr takes ot_slow_lock(). The
 * class comes with the id: a stack walk asks for both at every frame.
 *
 * Return: a site id, or OT_NONE when the site table is full.
 */
u32 ot_site_of(unsigned long addr, u8 *class)
{
	u32 id = ot_map_find(&ot_site_map, addr, 0);

	if (unlikely(id == OT_NONE)) {
		id = ot_site_of_slow(addr);
		if (id == OT_NONE)
			return OT_NONE;
	}
	*class = ot_sites[id].class;
	return id;
}

/**
 * ot_site_skipped - whether an allocation event at @addr is not counted
 * @addr: the event's call site
 *
 * Runs in the probes, in any context (first sight: ot_site_of()).
 *
 * Return: true when @addr is in a function of class OT_SITE_SKIP.
 */
bool ot_site_skipped(unsigned long addr)
{
	u8 class;

	return ot_site_of(addr, &class) != OT_NONE && class == OT_SITE_SKIP;
}

/**
 * ot_site_class - how a site's allocations are owned
 * @id: a site id
 *
 * Return: an enum ot_site_class value.
 */
u8 ot_site_class(u32 id)
{
	return ot_sites[id].class;
}

/**
 * ot_site_module - the module a site is in
 * @id: a site id
 *
 * Return: a module id.
 */
u32 ot_site_module(u32 id)
{
	return ot_sites[id].module;
}

/**
 * ot_site_canon - the first site of the same name and module (one row)
 * @id: a site id
 *
 * Return: a site id.
 */
u32 ot_site_canon(u32 id)
{
	return ot_sites[id].canon;
}

/**
 * ot_site_sym - a site's name, "func+0xoff/0xsize" or "?"
 * @id: a site id
 * @len: set to the name's length unless NULL
 *
 * Return: the name.
 */
const char *ot_site_sym(u32 id, size_t *len)
{
	if (len)
		*len = ot_sites[id].sym_len;
	return ot_sites[id].sym;
}

/**
 * ot_site_init_phase - whether a site was seen while its module initialised
 * @id: a site id
 *
 * Return: true for a site in init text, freed once the module is live.
 */
bool ot_site_init_phase(u32 id)
{
	return ot_sites[id].init_phase;
}

/**
 * ot_sites_nr - sites known; entries below are complete
 *
 * Return: the count.
 */
u32 ot_sites_nr(void)
{
	return ot_tab_nr(&ot_sites_tab);
}

/* ---- the walk: the first module frame on the stack ---- */

static unsigned int ot_depth;
static bool ot_all;

/**
 * ot_walk_init - how deep and for whom to walk
 * @depth: frames searched (0: never walk; no page tracking)
 * @all: walk for every core call site, not only known helpers
 */
void ot_walk_init(unsigned int depth, bool all)
{
	ot_depth = depth;
	ot_all = all;
}

/**
 * ot_walk_depth - the walk_depth parameter
 *
 * Return: frames searched, 0 when stacks are not walked.
 */
unsigned int ot_walk_depth(void)
{
	return ot_depth;
}

/**
 * ot_walk_all - the walk_all parameter
 *
 * Return: true when every core call site is walked.
 */
bool ot_walk_all(void)
{
	return ot_all;
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
 * kmalloc-large: counted elsewhere) is returned as it is. The walk stops
 * at the decision: the frames above it are never unwound. Inline: a frame
 * of its own would be one more to unwind (~450 instructions with ORC).
 */
static __always_inline u32 ot_walk(unsigned int depth, u32 fallback)
{
	bool pages = fallback == OT_NONE;
	u32 id, first = fallback;
	struct ot_frames f;
	unsigned long addr;
	unsigned int i;
	bool top = true;
	u8 class;

	ot_frames_start(&f, depth);
	for (i = 0; i < depth && (addr = ot_frames_next(&f)); i++) {
		id = ot_site_of(addr, &class);
		if (id == OT_NONE)
			return first;
		switch (class) {
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
	return first;
}

/**
 * ot_page_owner - the site a page allocation is charged to
 * @class: set to that site's class unless OT_NONE
 *
 * Runs in the page allocation probe, in any context.
 *
 * Return: a site id (of class OT_SITE_SKIP when the pages are counted
 * elsewhere), or OT_NONE when no owner could be found.
 */
u32 ot_page_owner(u8 *class)
{
	u32 id;

	if (!ot_depth)
		return OT_NONE;
	/* Most decisions (slab pages, a driver's alloc_pages()) are near. */
	id = ot_walk(ot_depth, OT_NONE);
	if (id != OT_NONE)
		*class = ot_site_class(id);
	return id;
}
#else
static u32 ot_walk(unsigned int depth, u32 fallback)
{
	return fallback;
}

u32 ot_page_owner(u8 *class)
{
	return OT_NONE;
}
#endif

/**
 * ot_owner_site - the site an allocation is charged to
 * @call_site: the allocator's caller, as the tracepoint reports it
 *
 * Runs in the probe, in any context. The first sight of an address takes
 * ot_slow_lock() once to classify it; later sights are lockless. A helper's
 * walk is skipped when the stack holds no other module's address and no
 * allocation of oomtrace's own is in flight: its answer would be
 * @call_site's own site.
 *
 * Return: a site id, or OT_NONE when the site table is full.
 */
u32 ot_owner_site(unsigned long call_site)
{
	u8 class;
	u32 id = ot_site_of(call_site, &class);

	if (unlikely(id == OT_NONE) || !ot_depth)
		return id;
	switch (class) {
	case OT_SITE_HELPER:
		if (!atomic_read(&ot_self_allocs) && ot_stack_module_free())
			return id;
		return ot_walk(ot_depth, id);
	case OT_SITE_KERNEL:
	case OT_SITE_BOUNDARY:
		/* Any oomtrace function can be the owner: no scan. */
		return ot_all ? ot_walk(ot_depth, id) : id;
	default:
		return id;
	}
}

struct ot_site_match {
	u32 mod;
	bool init_only;
};

static bool ot_site_matches(const struct ot_map_ent *e, const void *arg)
{
	const struct ot_site_match *m = arg;
	const struct ot_site *s = &ot_sites[e->val];

	return s->module == m->mod && (!m->init_only || s->init_phase);
}

/**
 * ot_sites_retire - forget a module's code addresses; ot_slow_lock() held
 * @mod: the module
 * @init_only: only the sites of its init text
 *
 * Its sites keep their names and rows; their addresses are looked up anew,
 * for whatever module is mapped there next.
 */
void ot_sites_retire(u32 mod, bool init_only)
{
	struct ot_site_match m = { .mod = mod, .init_only = init_only };

	ot_map_retire_if(&ot_site_map, ot_site_matches, &m);
}

struct ot_site_text {
	const struct module *m;
	bool init_only;
};

static bool ot_site_unnamed_in(const struct ot_map_ent *e, const void *arg)
{
	const struct ot_site_text *t = arg;

	if (ot_sites[e->val].module != OT_MOD_UNNAMED)
		return false;
	return t->init_only ? within_module_init(e->k1, t->m) : within_module(e->k1, t->m);
}

/**
 * ot_sites_retire_unnamed - forget the code addresses of a module without
 * room in the module table; ot_slow_lock() held
 * @m: the module
 * @init_only: only the sites in its init text
 *
 * Such sites share OT_MOD_UNNAMED: the module's text tells them apart.
 */
void ot_sites_retire_unnamed(const struct module *m, bool init_only)
{
	struct ot_site_text t = { .m = m, .init_only = init_only };

	ot_map_retire_if(&ot_site_map, ot_site_unnamed_in, &t);
}

/**
 * ot_sites_init - allocate the site tables
 * @max_sites: call sites the table holds
 *
 * Return: 0 or -ENOMEM.
 */
int ot_sites_init(u32 max_sites)
{
	ot_sites = vzalloc(array_size(max_sites, sizeof(*ot_sites)));
	if (!ot_sites)
		return -ENOMEM;
	ot_sites_tab.max = max_sites;
	if (ot_map_init(&ot_site_map, max_sites))
		goto err_sites;
	if (ot_map_init(&ot_name_map, max_sites))
		goto err_site_map;
	return 0;

err_site_map:
	ot_map_free(&ot_site_map);
err_sites:
	vfree(ot_sites);
	return -ENOMEM;
}

/**
 * ot_sites_exit - free the site tables; nothing looks sites up any more
 */
void ot_sites_exit(void)
{
	ot_map_free(&ot_name_map);
	ot_map_free(&ot_site_map);
	vfree(ot_sites);
}

/**
 * ot_sites_bytes - memory the site tables hold for @max_sites
 * @max_sites: call sites the table holds
 *
 * Return: bytes, also before ot_sites_init() (to check it is affordable).
 */
size_t ot_sites_bytes(u32 max_sites)
{
	return (size_t)max_sites * sizeof(struct ot_site) + 2 * ot_map_bytes_for(max_sites);
}
