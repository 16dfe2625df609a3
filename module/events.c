// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the OOM event ring. Slot 0 holds event 1 for good (the first
 * OOM is often the one that matters), the others cycle through the most
 * recent max_events - 1; older ones are dropped and counted.
 *
 * ot_ev_lock (raw, irqsave) protects the ring: the victim probe runs in
 * atomic context, so nothing under it sleeps or allocates. This file also
 * prints an event, for /proc/oomtrace/events and the kernel log dump alike.
 */
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "oom.h"

static DEFINE_RAW_SPINLOCK(ot_ev_lock);
static struct ot_oom_event *ot_ev;
static unsigned int ot_ev_max;
static u64 ot_ev_nr;			/* events since load or reset: last seq */
static u64 ot_ev_pend = 1;		/* no event below this one is pending */
static u64 ot_nr_global;		/* global events since load or reset */

/**
 * ot_events_lock - take the ring's lock
 *
 * Return: the flags for ot_events_unlock().
 */
unsigned long ot_events_lock(void)
	__acquires(ot_ev_lock)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ot_ev_lock, flags);
	return flags;
}

/**
 * ot_events_unlock - release the ring's lock
 * @flags: what ot_events_lock() returned
 */
void ot_events_unlock(unsigned long flags)
	__releases(ot_ev_lock)
{
	raw_spin_unlock_irqrestore(&ot_ev_lock, flags);
}

static u32 ot_ev_slot(u64 seq)
{
	u32 rem;

	if (seq == 1)
		return 0;
	div_u64_rem(seq - 2, ot_ev_max - 1, &rem);
	return 1 + rem;
}

static bool ot_ev_kept(u64 seq, u64 nr)
{
	return seq && seq <= nr && (seq == 1 || seq + ot_ev_max - 1 > nr);
}

/**
 * ot_ev_get - an event still in the ring; ring lock held
 * @seq: its sequence number
 *
 * Return: the event, or NULL when it was dropped or never happened.
 */
struct ot_oom_event *ot_ev_get(u64 seq)
{
	struct ot_oom_event *ev;

	if (!ot_ev_kept(seq, ot_ev_nr))
		return NULL;
	ev = &ot_ev[ot_ev_slot(seq)];
	return ev->seq == seq ? ev : NULL;
}

/**
 * ot_ev_new - record a new event, dropping the oldest kept one; ring lock held
 * @kind: global or victim
 * @now: local_clock()
 *
 * Return: the event, zeroed but for its seq, kind and time.
 */
struct ot_oom_event *ot_ev_new(enum ot_ev_kind kind, u64 now)
{
	u64 seq = ++ot_ev_nr;
	struct ot_oom_event *ev = &ot_ev[ot_ev_slot(seq)];

	memset(ev, 0, sizeof(*ev));
	ev->seq = seq;
	ev->kind = kind;
	ev->time_ns = now;
	return ev;
}

/**
 * ot_ev_last - the last event's sequence number; ring lock held
 *
 * Return: 0 before the first event.
 */
u64 ot_ev_last(void)
{
	return ot_ev_nr;
}

/**
 * ot_ev_pending_from - no event below this one waits for a summary; lock held
 *
 * Return: a sequence number.
 */
u64 ot_ev_pending_from(void)
{
	return ot_ev_pend;
}

/**
 * ot_ev_pending_done - every event up to @nr has its summary; lock held
 * @nr: a sequence number
 */
void ot_ev_pending_done(u64 nr)
{
	if (ot_ev_pend <= nr)
		ot_ev_pend = nr + 1;
}

/**
 * ot_ev_global_new - count a new global OOM; ring lock held
 *
 * Return: its number among global OOMs since load or reset (1, 2, ...).
 */
u64 ot_ev_global_new(void)
{
	return ++ot_nr_global;
}

/**
 * ot_events_clear - forget every event (a reset)
 */
void ot_events_clear(void)
{
	unsigned long flags = ot_events_lock();

	memset(ot_ev, 0, array_size(ot_ev_max, sizeof(*ot_ev)));
	ot_ev_nr = 0;
	ot_ev_pend = 1;
	ot_nr_global = 0;
	ot_events_unlock(flags);
}

/* The copy itself; releases the ring's lock taken with @flags. */
static u32 ot_events_copy_locked(struct ot_oom_event *out, u64 *nr, unsigned long flags)
	__releases(ot_ev_lock)
{
	struct ot_oom_event *ev;
	u64 seq, lo;
	u32 n = 0;

	*nr = ot_ev_nr;
	lo = *nr + 2 > ot_ev_max ? *nr + 2 - ot_ev_max : 0;
	for (seq = 1; seq <= *nr; seq = max(seq + 1, lo)) {
		ev = ot_ev_get(seq);
		if (ev)
			out[n++] = *ev;
	}
	ot_events_unlock(flags);
	return n;
}

/**
 * ot_events_copy - the events still kept, oldest first
 * @out: room for ot_events_max() events
 * @nr: events recorded since load or reset (the last seq)
 *
 * Event 1, then the ring from its oldest event on.
 *
 * Return: the number copied.
 */
u32 ot_events_copy(struct ot_oom_event *out, u64 *nr)
{
	unsigned long flags = ot_events_lock();

	return ot_events_copy_locked(out, nr, flags);
}

/**
 * ot_events_copy_try - ot_events_copy(), unless the ring's lock is held
 * @out: room for ot_events_max() events
 * @nr: events recorded since load or reset (the last seq)
 *
 * For the panic dump: it never waits (the holder may be a stopped CPU).
 *
 * Return: the number copied, or -EBUSY.
 */
int ot_events_copy_try(struct ot_oom_event *out, u64 *nr)
{
	unsigned long flags;

	if (!raw_spin_trylock_irqsave(&ot_ev_lock, flags))
		return -EBUSY;
	return ot_events_copy_locked(out, nr, flags);
}

/**
 * ot_events_nr - events recorded since load or reset
 *
 * Return: the last seq.
 */
u64 ot_events_nr(void)
{
	unsigned long flags = ot_events_lock();
	u64 nr = ot_ev_nr;

	ot_events_unlock(flags);
	return nr;
}

/**
 * ot_events_max - the max_events parameter
 *
 * Return: events the ring keeps.
 */
unsigned int ot_events_max(void)
{
	return ot_ev_max;
}

static void ot_ev_u64(struct ot_line *l, const char *key, bool known, u64 v)
{
	if (known)
		ot_line_add(l, " %s=%llu", key, v);
	else
		ot_line_add(l, " %s=-", key);
}

static void ot_ev_tops(const struct ot_oom_top *top, u32 n, bool cache, ot_emit_fn emit,
		       void *ctx)
{
	struct ot_line l;
	u32 i;

	for (i = 0; i < n; i++) {
		ot_line_init(&l);
		ot_line_add(&l, "  %s name=%s live_bytes=%lld delta_bytes=%lld",
			    cache ? "cache" : "module",
			    cache ? ot_cache_name(top[i].id) : ot_mod_name(top[i].id),
			    top[i].bytes, top[i].delta);
		emit(ctx, l.buf, l.len);
	}
}

/**
 * ot_event_print - an event as /proc/oomtrace/events shows it
 * @ev: the event
 * @prev_seq: the seq of the event printed before it (0 for none)
 * @tops: at most this many module and cache lines each
 * @emit: called for each line (without its newline)
 * @ctx: passed to @emit
 */
void ot_event_print(const struct ot_oom_event *ev, u64 prev_seq, u32 tops, ot_emit_fn emit,
		    void *ctx)
{
	const struct ot_oom_sum *s = &ev->sum;
	bool sum = !ev->pending;
	struct ot_line l;
	u32 rem;
	u64 t;

	ot_line_init(&l);
	t = div_u64_rem(ev->time_ns, NSEC_PER_SEC, &rem);
	ot_line_add(&l, "event seq=%llu time=%llu.%06u kind=%s", ev->seq, t, rem / 1000,
		    ev->kind == OT_EV_GLOBAL ? "global" : "victim");
	if (ev->victim)
		ot_line_add(&l, " pid=%d comm=%s oom_score_adj=%d", ev->pid, ev->comm,
			    ev->oom_score_adj);
	else
		ot_line_add(&l, " pid=- comm=- oom_score_adj=-");
	ot_ev_u64(&l, "rss_kb", ev->victim && ev->have_rss, ev->rss_kb);
	ot_ev_u64(&l, "free_kb", sum, s->free_kb);
	ot_ev_u64(&l, "slab_reclaimable_kb", sum, s->slab_rec_kb);
	ot_ev_u64(&l, "slab_unreclaimable_kb", sum, s->slab_unrec_kb);
	ot_ev_u64(&l, "pagetables_kb", sum, s->pagetables_kb);
	ot_ev_u64(&l, "tracked_bytes", sum, s->tracked_bytes);
	ot_line_add(&l, " dropped_events=%llu", ev->seq - prev_seq - 1);
	emit(ctx, l.buf, l.len);
	if (!sum)
		return;
	ot_ev_tops(s->mod, min(s->nr_mod, tops), false, emit, ctx);
	ot_ev_tops(s->cache, min(s->nr_cache, tops), true, emit, ctx);
}

/**
 * ot_events_init - allocate the ring
 * @max_events: events kept, OT_EVENTS_MIN..OT_EVENTS_MAX
 *
 * Return: 0 or -ENOMEM.
 */
int ot_events_init(unsigned int max_events)
{
	ot_ev = ot_kvmalloc_array(max_events, sizeof(*ot_ev), GFP_KERNEL | __GFP_ZERO);
	if (!ot_ev)
		return -ENOMEM;
	ot_ev_max = max_events;
	return 0;
}

/**
 * ot_events_exit - free the ring; no hook records any more
 */
void ot_events_exit(void)
{
	kvfree(ot_ev);
}

/**
 * ot_events_bytes - memory the ring holds for @max_events
 * @max_events: events kept
 *
 * Return: bytes.
 */
size_t ot_events_bytes(unsigned int max_events)
{
	return (size_t)max_events * sizeof(struct ot_oom_event);
}
