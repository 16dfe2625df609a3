/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: every difference between kernel versions lives here.
 *
 * Core files test the OT_* feature macros below, never LINUX_VERSION_CODE
 * or CONFIG_* symbols directly. Each entry names the kernel change that made
 * it necessary. Target and test kernel: Debian 12's 6.1.
 */
#ifndef OOMTRACE_COMPAT_H
#define OOMTRACE_COMPAT_H

#include <linux/version.h>
#include <linux/kconfig.h>

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

#endif /* OOMTRACE_COMPAT_H */
