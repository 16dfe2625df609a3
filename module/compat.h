/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: every difference between kernel versions lives here.
 *
 * Core files test the OT_* macros and use the ot_* wrappers below, never
 * kernel versions, CONFIG_* symbols or the kernel's own names for these
 * facts directly. Each entry names the kernel change that made it necessary
 * and is detected from the headers, not from a version number.
 * Kernels: Debian 12's 6.1 and Debian 13's 6.12 (built and lab-tested), the
 * newest upstream (built).
 */
#ifndef OOMTRACE_COMPAT_H
#define OOMTRACE_COMPAT_H

#include <linux/kconfig.h>
#include <linux/log2.h>
#include <linux/mmzone.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>

/*
 * Stack walks (ownership through core helpers) need stack_trace_save(),
 * built only with CONFIG_STACKTRACE. Without it, ownership is the call site.
 */
#if IS_ENABLED(CONFIG_STACKTRACE)
#define OT_HAVE_STACKTRACE 1
#else
#define OT_HAVE_STACKTRACE 0
#endif

/*
 * The frames of the current stack, one at a time: ot_frames_start(), then
 * ot_frames_next() until it returns 0. On x86 with the unwinder's own
 * interface (asm/unwind.h; every x86 unwinder exports it), as
 * arch_stack_walk() does, so that a walk that finds its owner four frames
 * up unwinds four frames, not the whole depth: the unwinder is most of a
 * walk's cost (about 450 instructions a frame with ORC). Elsewhere one
 * stack_trace_save() of the whole depth. The first frame is the caller's:
 * both are __always_inline.
 */
#if OT_HAVE_STACKTRACE && IS_ENABLED(CONFIG_X86)
#include <asm/unwind.h>

struct ot_frames {
	struct unwind_state st;
	bool started;
};

static __always_inline void ot_frames_start(struct ot_frames *f, unsigned int depth)
{
	unwind_start(&f->st, current, NULL, NULL);
	f->started = false;
}

static __always_inline unsigned long ot_frames_next(struct ot_frames *f)
{
	if (f->started)
		unwind_next_frame(&f->st);
	f->started = true;
	return unwind_done(&f->st) ? 0 : unwind_get_return_address(&f->st);
}
#elif OT_HAVE_STACKTRACE
#include <linux/stacktrace.h>

struct ot_frames {
	unsigned long entries[64];
	unsigned int n, i;
};

static __always_inline void ot_frames_start(struct ot_frames *f, unsigned int depth)
{
	f->n = stack_trace_save(f->entries, min_t(unsigned int, depth, ARRAY_SIZE(f->entries)),
				0);
	f->i = 0;
}

static __always_inline unsigned long ot_frames_next(struct ot_frames *f)
{
	return f->i < f->n ? f->entries[f->i++] : 0;
}
#endif

/* x86-64 proper: User-Mode Linux sets CONFIG_X86_64 too, with pt_regs off the stack. */
#if OT_HAVE_STACKTRACE && IS_ENABLED(CONFIG_X86) && IS_ENABLED(CONFIG_X86_64)
#include <linux/module.h>
#include <linux/sched/task_stack.h>

/*
 * Whether the current task's return addresses are all on its stack: the
 * function graph tracer, kretprobes and rethook swap them for a trampoline's
 * and keep the originals elsewhere (the unwinder finds them there).
 */
static __always_inline bool ot_returns_on_stack(void)
{
#if IS_ENABLED(CONFIG_FUNCTION_GRAPH_TRACER)
	if (READ_ONCE(current->ret_stack))
		return false;
#endif
#if IS_ENABLED(CONFIG_KRETPROBES)
	if (READ_ONCE(current->kretprobe_instances.first))
		return false;
#endif
#if IS_ENABLED(CONFIG_RETHOOK)
	if (READ_ONCE(current->rethooks.first))
		return false;
#endif
	return true;
}

/* An address in the modules' range (their code, data, BPF and ftrace trampolines). */
static __always_inline bool ot_in_modules(unsigned long w)
{
	return w - MODULES_VADDR < MODULES_LEN;
}

/*
 * ot_stack_module_free(): true when no word of the current task's live
 * stack, from the caller's frame up to its saved user registers, lies in
 * the modules' address range outside oomtrace's own memory. Then a walk
 * from here would meet no other module's frame: every frame's return
 * address is on that stack. About 5 instructions a word, against ~450 a
 * frame to unwind: a core helper's allocation in a system call (an skb in
 * sendmsg) is proved [kernel]'s without walking 10-15 frames. oomtrace's
 * own words are left out because its probes leave stale return addresses
 * in the unset locals of frames above them: the caller must know whether
 * an oomtrace frame may be a real owner. False (walk) when it cannot tell:
 * off the task stack (interrupts run on their own), return addresses kept
 * elsewhere, not x86-64 (User-Mode Linux included). Any other value in that
 * range (a pointer to a module's data, a stale return address) only costs
 * the walk.
 */
static __always_inline bool ot_stack_module_free(void)
{
	const unsigned long *end = (const unsigned long *)task_pt_regs(current);
	const unsigned long *p = __builtin_frame_address(0);
	unsigned long w;
	int i;

	if ((unsigned long)p - (unsigned long)task_stack_page(current) >= THREAD_SIZE ||
	    !ot_returns_on_stack())
		return false;
	/*
	 * Four words at a time, this loop being the whole cost: from up to
	 * three words below the caller's frame (its saved registers), so that
	 * no word is left over at the end.
	 */
	p = end - round_up(end - p, 4);
	for (; p < end; p += 4) {
		/* Other frames' words: KASAN would call their redzones a bug. */
		if (likely(!ot_in_modules(READ_ONCE_NOCHECK(p[0])) &&
			   !ot_in_modules(READ_ONCE_NOCHECK(p[1])) &&
			   !ot_in_modules(READ_ONCE_NOCHECK(p[2])) &&
			   !ot_in_modules(READ_ONCE_NOCHECK(p[3]))))
			continue;
		for (i = 0; i < 4; i++) {
			w = READ_ONCE_NOCHECK(p[i]);
			if (ot_in_modules(w) && !within_module_core(w, THIS_MODULE))
				return false;
		}
	}
	return true;
}
#else
static __always_inline bool ot_stack_module_free(void)
{
	return false;
}
#endif

/*
 * ot_ratelimit_take_missed(rs): the lines @rs suppressed since last asked,
 * and zero them. v6.16's ratelimit rework ("ratelimit: Convert the ->missed
 * field to atomic_t", with RATELIMIT_INITIALIZED in the same series) made
 * ->missed an atomic_t behind accessors; before, a plain int.
 */
#ifdef RATELIMIT_INITIALIZED
#define ot_ratelimit_take_missed(rs)	ratelimit_state_reset_miss(rs)
#else
#define ot_ratelimit_take_missed(rs)	xchg(&(rs)->missed, 0)
#endif

/*
 * kmem_cache_free_bulk() and kmem_cache_alloc_bulk() fire no per-object
 * tracepoint (6.1), so oomtrace watches them with kprobes when it can.
 */
#if IS_ENABLED(CONFIG_KPROBES) && IS_ENABLED(CONFIG_KRETPROBES) && \
	defined(CONFIG_HAVE_REGS_AND_STACK_ACCESS_API)
#define OT_HAVE_KPROBES 1
#else
#define OT_HAVE_KPROBES 0
#endif

/*
 * The probed functions, by name, and where their arguments are
 * (regs_get_kernel_argument() positions):
 *   void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
 *   int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
 *   void split_page(struct page *page, unsigned int order)
 *   void *alloc_pages_exact(size_t size, gfp_t gfp_mask)
 */
#define OT_SYM_FREE_BULK	"kmem_cache_free_bulk"
#define OT_SYM_SPLIT_PAGE	"split_page"
#define OT_ARG_FREE_BULK_N	1
#define OT_ARG_FREE_BULK_P	2
#define OT_ARG_ALLOC_BULK_S	0
#define OT_ARG_ALLOC_BULK_N	2
#define OT_ARG_ALLOC_BULK_P	3
#define OT_ARG_SPLIT_PAGE	0
#define OT_ARG_SPLIT_ORDER	1
#define OT_ARG_EXACT_SIZE	0

/*
 * The function every cache creation goes through, whose result is the
 * cache: kmem_cache_create() calls kmem_cache_create_usercopy() (6.1).
 * v6.12 ("slab: create kmem_cache_create() compatibility layer") made
 * kmem_cache_create() a macro, and both inlines over
 * __kmem_cache_create_args().
 */
#ifdef kmem_cache_create
#define OT_SYM_CREATE		"__kmem_cache_create_args"
#else
#define OT_SYM_CREATE		"kmem_cache_create_usercopy"
#endif

/*
 * v6.10 ("mm/slab: enable slab allocation tagging for kmalloc and
 * friends", memory allocation profiling) made the allocators macros over
 * *_noprof functions: kmem_cache_alloc_bulk() is then a macro, and the
 * function to probe is kmem_cache_alloc_bulk_noprof(). Its result is the
 * number allocated (6.1's int) or whether all were (a later bool): either
 * way all @size or none, so the probe counts size when it is non-zero.
 */
#ifdef kmem_cache_alloc_bulk
#define OT_SYM_ALLOC_BULK	"kmem_cache_alloc_bulk_noprof"
#else
#define OT_SYM_ALLOC_BULK	"kmem_cache_alloc_bulk"
#endif

/*
 * The same change made alloc_pages_exact() (gfp.h) a macro over
 * alloc_pages_exact_noprof(). It frees the tail of its block before it
 * returns, without split_page() (6.1 and 6.12: make_alloc_exact()).
 */
#ifdef alloc_pages_exact
#define OT_SYM_ALLOC_EXACT	"alloc_pages_exact_noprof"
#else
#define OT_SYM_ALLOC_EXACT	"alloc_pages_exact"
#endif

/*
 * oom:mark_victim. 6.1.y stable backported upstream's "mm: update
 * mark_victim tracepoints fields" (v6.8): Debian's 6.1.0-NN has
 * mark_victim(struct task_struct *task, uid_t uid), older 6.1.y has
 * mark_victim(int pid). Both are tested against the tracepoint's own
 * registration function, so these expand only after
 * <trace/events/oom.h>; exactly one of them is true.
 */
#define OT_MARK_VICTIM_TASK_UID							\
	__builtin_types_compatible_p(typeof(register_trace_mark_victim),	\
		int (void (*)(void *, struct task_struct *, uid_t), void *))
#define OT_MARK_VICTIM_PID							\
	__builtin_types_compatible_p(typeof(register_trace_mark_victim),	\
		int (void (*)(void *, int), void *))

/*
 * The largest order the buddy allocator hands out. MAX_ORDER changed its
 * meaning in v6.4 ("mm, treewide: redefine MAX_ORDER sanely": inclusive)
 * and its name in v6.8 (MAX_PAGE_ORDER); MAX_ORDER_NR_PAGES, the pages of
 * the largest block, means the same everywhere.
 */
#define OT_MAX_PAGE_ORDER	ilog2(MAX_ORDER_NR_PAGES)

/*
 * The kmalloc cache type of an allocation with flags @gfp from @caller.
 * v6.6 ("mm/slab: introduce kmalloc RANDOM_KMALLOC_CACHES") gave
 * kmalloc_type() the caller, and RANDOM_KMALLOC_CACHES_NR with it.
 */
#if defined(PASS_TOKEN_PARAM) && IS_ENABLED(CONFIG_KMALLOC_PARTITION_CACHES)
/*
 * v7.x: a kmalloc_token_t (the partition of the caller's code location)
 * replaced the caller; the call site stands in for it.
 */
#define ot_kmalloc_type(gfp, caller)	kmalloc_type(gfp, (kmalloc_token_t){ .v = (caller) })
#elif defined(PASS_TOKEN_PARAM)
#define ot_kmalloc_type(gfp, caller)	kmalloc_type(gfp, (kmalloc_token_t){})
#elif defined(RANDOM_KMALLOC_CACHES_NR)
#define ot_kmalloc_type(gfp, caller)	kmalloc_type(gfp, caller)
#else
#define ot_kmalloc_type(gfp, caller)	kmalloc_type(gfp)
#endif

/*
 * The name prefix of a kmalloc cache type, as mm/slab_common.c's
 * kmalloc_info[] names them (the table itself is __initconst). Types alias
 * KMALLOC_NORMAL when their config is off: KMALLOC_NORMAL is tested first.
 */
static inline const char *ot_kmalloc_prefix(unsigned int type)
{
	if (type == KMALLOC_NORMAL)
		return "kmalloc-";
	if (type == KMALLOC_RECLAIM)
		return "kmalloc-rcl-";
	if (type == KMALLOC_DMA)
		return "dma-kmalloc-";
	return "kmalloc-cg-";
}

/*
 * kmalloc_size_roundup() (v6.1, with the kmalloc tracepoint signature the
 * probe is checked against): the kmalloc bucket of a request.
 */
#define ot_kmalloc_bucket(size)	kmalloc_size_roundup(size)

/*
 * Core functions, by name, as sites.c classifies them. A name is compared
 * without the compiler's suffixes (.cold, .constprop.N, .part.N, .isra.N)
 * and without v6.10's "_noprof" (memory allocation profiling renamed the
 * allocators: __alloc_pages_noprof, mempool_alloc_noprof, ...); a trailing
 * '_' in a list means "any name starting so". Names that differ between
 * kernels are all listed, with the kernel that has them.
 *
 * Helpers allocate on behalf of their caller: the owner is up the stack.
 */
#define OT_FUNCS_HELPER								\
	"mempool_alloc_slab", "mempool_kmalloc", "mempool_alloc_pages",		\
	"mempool_alloc", "mempool_init_node", "mempool_create_node",		\
	"kvmalloc_node", "__kvmalloc_node" /* 6.10 */, "kmalloc_reserve",	\
	"__alloc_skb", "__netdev_alloc_skb", "__napi_alloc_skb",		\
	"napi_alloc_skb" /* 6.12 */, "alloc_skb_with_frags", "skb_clone",	\
	"skb_copy", "__pskb_copy_fclone", "pskb_expand_head", "skb_copy_expand",	\
	"__skb_ext_alloc", "sock_kmalloc", "bio_alloc_bioset", "bio_kmalloc",	\
	"bvec_alloc", "bio_alloc_clone", "alloc_netdev_mqs",			\
	/* A tracer's trampoline as the allocator's call site: a traced */	\
	/* function tail-called it (the walk finds the original caller). */	\
	"return_to_handler", "arch_rethook_trampoline",				\
	/* The page allocator's own entry points: the caller is further up. */	\
	"__traceiter_", "__alloc_pages", "alloc_pages", "__get_free_pages",	\
	"get_zeroed_page", "alloc_pages_exact", "__folio_alloc", "folio_alloc",	\
	"get_page_from_freelist", "__alloc_pages_slowpath", "alloc_pages_node",	\
	"__alloc_pages_node", "alloc_pages_mpol" /* 6.7 */,			\
	"folio_alloc_mpol" /* 6.7 */, "__page_frag_cache_refill",		\
	"page_frag_alloc_align", "__page_frag_alloc_align" /* 6.9 */

/*
 * Page allocations not counted as pages: slab pages (counted as objects),
 * kmalloc-large (as kmalloc), vmalloc's pages (the reader folds
 * /proc/vmallocinfo in per module: counting them here too would count them
 * twice; __alloc_pages_bulk() hands a one-page request, an accounted one or
 * what it could not take from the per-CPU lists to __alloc_pages(), whose
 * tracepoint fires, and Debian's 6.1 inlines the vmalloc helpers into
 * __vmalloc_node_range(): its frame is the one the walk meets), and page
 * tables, which are nobody's leak (vmalloc maps a module's
 * area with kernel page tables that outlive it). On KASAN kernels, the
 * shadow of a vmalloc area (when the bulk allocation falls back to
 * __alloc_pages()): the checker's memory, freed only when lazily unmapped
 * areas are purged, long after the module's vfree(). And the stack depot's
 * pools (KASAN, page_owner, ... record allocation stacks there): filled by
 * whoever allocates when a pool runs out, never freed.
 *
 * And kmalloc events with a call site in the kmalloc entry points: 6.12 and
 * 7.2's __do_kmalloc_node() traces a large kmalloc that
 * __kmalloc_large_node_noprof() traced already, the first time from inside
 * these (where __do_kmalloc_node() is inlined, or itself); the caller's
 * event is the one counted (track.c). Their page allocations are slab or
 * kmalloc-large pages, skipped anyway.
 */
#define OT_FUNCS_SKIP								\
	"allocate_slab", "alloc_slab_page", "new_slab", "___slab_alloc",	\
	"__kmalloc_large_node", "kmalloc_large", "kmalloc_large_node",		\
	"___kmalloc_large_node" /* 6.10 */, "__kmalloc_large" /* 6.10 */,	\
	"__vmalloc_area_node", "vm_area_alloc_pages",				\
	"__vmalloc_node_range" /* 6.1: the two above inlined into it */,	\
	"__pte_alloc", "__pte_alloc_kernel", "pte_alloc_one", "__pmd_alloc",	\
	"__pud_alloc", "__p4d_alloc",						\
	"kasan_populate_vmalloc", "__stack_depot_save",				\
	"stack_depot_save_flags" /* 6.8 */,					\
	"__kmalloc", "__kmalloc_node", "__kmalloc_node_track_caller",		\
	"__kmalloc_flags" /* 7.x */, "__do_kmalloc_node" /* 7.x */

/*
 * Interrupt and softirq entry: frames below belong to someone else. And
 * kvfree_call_rcu(), whose batch pages serve every later caller on the CPU.
 */
#define OT_FUNCS_BOUNDARY							\
	"__do_softirq", "handle_softirqs", "do_softirq", "irq_exit_rcu",	\
	"__irq_exit_rcu", "common_interrupt", "__common_interrupt",		\
	"__sysvec_", "sysvec_", "asm_", "ret_from_fork", "kthread",		\
	"kvfree_call_rcu"

/* The suffix v6.10's memory allocation profiling gave the allocators. */
#define OT_FUNC_SUFFIX_NOPROF	"_noprof"

#endif /* OOMTRACE_COMPAT_H */
