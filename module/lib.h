/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: small pieces every layer uses, over the kernel's own library:
 * the insert-only table count, sizes for the kernel log (string_get_size()),
 * byte counts from control (decimal with a K/M/G suffix) and rate-limited log lines
 * (ratelimit_state).
 */
#ifndef OOMTRACE_LIB_H
#define OOMTRACE_LIB_H

#include <linux/types.h>
#include <linux/limits.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/atomic.h>
#include <linux/seq_file.h>
#include <asm/barrier.h>

/* "No such entry": a full table, an unknown key, nobody. */
#define OT_NONE		U32_MAX

/*
 * An insert-only table: entries [0, nr) are complete and never move. Its
 * writer (serialised by the table's owner) fills entry ot_tab_next(), then
 * publishes it; readers take the count with ot_tab_nr() and read every
 * entry below it without a lock. Once it is full (or its map is), the hot
 * path learns it without the writers' lock (ot_tab_full()): a full table
 * drops and counts at the cost of a load, on every CPU at once.
 */
struct ot_tab {
	u32 nr;
	u32 max;
	bool full;
};

/* The entry to fill next, or OT_NONE when the table is full. */
static inline u32 ot_tab_next(const struct ot_tab *t)
{
	return t->nr < t->max ? t->nr : OT_NONE;
}

/* Publish entry @id (ot_tab_next()'s): a reader that sees it sees its fields. */
static inline void ot_tab_publish(struct ot_tab *t, u32 id)
{
	/* Pairs with ot_tab_nr(): the entry's fields are written before. */
	smp_store_release(&t->nr, id + 1);
}

/* Nothing more can be added: a writer found the table or its map full. */
static inline void ot_tab_set_full(struct ot_tab *t)
{
	WRITE_ONCE(t->full, true);
}

/* Lockless: whether a writer found no more room. */
static inline bool ot_tab_full(const struct ot_tab *t)
{
	return READ_ONCE(t->full);
}

/* The number of complete entries (pairs with ot_tab_publish()). */
static inline u32 ot_tab_nr(const struct ot_tab *t)
{
	/* Pairs with ot_tab_publish(): entries below are complete. */
	return smp_load_acquire(&t->nr);
}

/*
 * The writers' lock of every insert-only table (modules, caches, sites,
 * slots) and of module state changes: raw, irqsave, taken only on first
 * sight of something. Readers of the tables take no lock.
 */
unsigned long ot_slow_lock(void);
void ot_slow_unlock(unsigned long flags);

/*
 * oomtrace's own allocations through a core helper (kvmalloc_node(), which
 * the owner walk climbs through): every one is made between
 * ot_self_alloc_begin() and ot_self_alloc_end(), through the wrappers below,
 * so that while one is in flight a stack walk is never skipped (sites.c
 * proves most helper allocations [kernel]'s by scanning the stack for
 * module addresses, and must leave oomtrace's own words out of that scan).
 * Inline: the owner found is the function that asked, as before.
 * scripts/check-own-allocs.sh rejects the wrapped calls anywhere else.
 */
extern atomic_t ot_self_allocs;

static __always_inline void ot_self_alloc_begin(void)
{
	atomic_inc(&ot_self_allocs);
}

static __always_inline void ot_self_alloc_end(void)
{
	atomic_dec(&ot_self_allocs);
}

static __always_inline void *ot_kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	void *p;

	ot_self_alloc_begin();
	p = kvmalloc_array(n, size, gfp);
	ot_self_alloc_end();
	return p;
}

/* single_open_size() kvmallocs its buffer at once. */
static __always_inline int ot_single_open_size(struct file *file,
					       int (*show)(struct seq_file *, void *),
					       void *data, size_t size)
{
	int ret;

	ot_self_alloc_begin();
	ret = single_open_size(file, show, data, size);
	ot_self_alloc_end();
	return ret;
}

/*
 * A line of text built in pieces, for the kernel log and the /proc files
 * alike: appends past the end are cut, never overflow.
 */
#define OT_LINE_LEN	512

struct ot_line {
	char buf[OT_LINE_LEN];
	size_t len;
	unsigned int words;	/* ot_line_word()s so far: a space before all but the first */
};

static inline void ot_line_init(struct ot_line *l)
{
	l->buf[0] = '\0';
	l->len = 0;
	l->words = 0;
}

__printf(2, 3) void ot_line_add(struct ot_line *l, const char *fmt, ...);
void ot_line_size(struct ot_line *l, s64 v, bool sign);
void ot_line_wordn(struct ot_line *l, const char *s, size_t n);
void ot_line_word(struct ot_line *l, const char *s);
void ot_line_num(struct ot_line *l, s64 v);
void ot_line_unum(struct ot_line *l, u64 v);

/* Where formatted lines go (@len: strlen(@line)): a seq_file, the kernel log, ... */
typedef void (*ot_emit_fn)(void *ctx, const char *line, size_t len);

int ot_fmt_size(char *buf, size_t len, s64 v, bool sign);
int ot_parse_bytes(const char *s, u64 *bytes);

/*
 * A rate-limited kind of log line: ratelimit_state, and when lines were
 * suppressed, "oomtrace: N WHAT suppressed" before the next line let through.
 */
struct ot_rl {
	struct ratelimit_state rs;
	const char *what;
};

#define OT_RL_INIT(name, interval, burst, what_)				\
	{ .rs = RATELIMIT_STATE_INIT_FLAGS(name.rs, interval, burst,		\
					   RATELIMIT_MSG_ON_RELEASE),		\
	  .what = what_ }

bool ot_rl_ok(struct ot_rl *rl);

#endif /* OOMTRACE_LIB_H */
