// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - the parser of /proc/oomtrace/events: the OOM events, each
 * with its module and cache lines.
 */
#include <string.h>
#include <stdlib.h>

#include "array.h"
#include "banner.h"
#include "events.h"
#include "lex.h"

void events_free(struct events *ev)
{
	size_t i;

	for (i = 0; i < ev->n; i++) {
		free(ev->ev[i].mods);
		free(ev->ev[i].caches);
	}
	free(ev->ev);
	free(ev->buf);
	memset(ev, 0, sizeof(*ev));
}

/* key=N, or key=- (unknown): sets the EV_* bit when known. */
static void u64_field(const char *tok, const char *key, uint64_t *out, unsigned *known,
		      unsigned bit, int *bad)
{
	const char *v = kv_value(tok, key);

	if (!v)
		return;
	if (!strcmp(v, "-"))
		return;
	if (parse_value(v, out))
		*bad = 1;
	else if (known)
		*known |= bit;
}

static void s64_field(const char *tok, const char *key, int64_t *out, unsigned *known,
		      unsigned bit, int *bad)
{
	const char *v = kv_value(tok, key);

	if (!v || !strcmp(v, "-"))
		return;
	if (parse_s64(v, out))
		*bad = 1;
	else
		*known |= bit;
}

static int add_entry(struct ev_entry **arr, size_t *n, size_t *cap,
		     const struct ev_entry *e)
{
	int r = array_grow(arr, cap, *n, sizeof(**arr), 8, OT_MAX_ENTRIES);

	if (r)
		return r;
	(*arr)[(*n)++] = *e;
	return 0;
}

/* "# max_events=64 events=N dropped_events=M" */
static void totals_line(struct events *ev, char *line)
{
	char *f[OT_MAX_FIELDS];
	int n, i;

	n = split(line + 1, f, OT_MAX_FIELDS);
	for (i = 0; i < n; i++) {
		const char *v;
		uint64_t u;

		if ((v = kv_value(f[i], "events")) && !parse_u64(v, &u)) {
			ev->total = u;
			ev->have_total = 1;
		} else if ((v = kv_value(f[i], "dropped_events")) && !parse_u64(v, &u)) {
			ev->dropped = u;
		}
	}
}

/* One key=value token of an event line. */
static void event_field(struct event *e, const char *tok, int *bad)
{
	const char *v;

	u64_field(tok, "seq", &e->seq, NULL, 0, bad);
	if ((v = kv_value(tok, "time"))) {
		e->time = v;
		e->t = parse_time(v);
	}
	if ((v = kv_value(tok, "kind")) && *v)
		e->kind = v;
	if ((v = kv_value(tok, "comm")) && *v)
		e->comm = v;
	s64_field(tok, "pid", &e->pid, &e->known, EV_PID, bad);
	s64_field(tok, "oom_score_adj", &e->oom_score_adj, &e->known, EV_ADJ, bad);
	u64_field(tok, "rss_kb", &e->rss_kb, &e->known, EV_RSS, bad);
	u64_field(tok, "free_kb", &e->free_kb, &e->known, EV_FREE, bad);
	u64_field(tok, "slab_reclaimable_kb", &e->slab_reclaimable_kb, &e->known, EV_SLABR,
		  bad);
	u64_field(tok, "slab_unreclaimable_kb", &e->slab_unreclaimable_kb, &e->known,
		  EV_SLABU, bad);
	u64_field(tok, "pagetables_kb", &e->pagetables_kb, &e->known, EV_PT, bad);
	u64_field(tok, "tracked_bytes", &e->tracked_bytes, &e->known, EV_TRACKED, bad);
	u64_field(tok, "dropped_events", &e->dropped_events, NULL, 0, bad);
}

/* "event seq=N time=T ...": 0, or -1 out of memory. */
static int event_line(struct events *ev, char **f, int n)
{
	struct event *e;
	int i, bad = 0;
	int g = array_grow(&ev->ev, &ev->cap, ev->n, sizeof(*ev->ev), 16, OT_MAX_EVENTS);

	if (g > 0) {
		ev->bad++;
		return 0;
	}
	if (g < 0)
		return -1;
	e = &ev->ev[ev->n];
	memset(e, 0, sizeof(*e));
	e->time = "0";
	e->kind = "-";
	e->comm = "-";
	for (i = 1; i < n; i++)
		event_field(e, f[i], &bad);
	ev->n++;
	if (bad)
		ev->bad++;	/* kept: the values that parsed are useful */
	return 0;
}

/* "module name=X live_bytes=N delta_bytes=D" (or "cache ..."): 0, or -1 out of memory. */
static int entry_line(struct events *ev, char **f, int n)
{
	struct event *e;
	struct ev_entry en = { NULL, 0, 0 };
	int i, r, bad = 0;

	if (!ev->n) {
		ev->bad++;
		return 0;
	}
	e = &ev->ev[ev->n - 1];
	for (i = 1; i < n; i++) {
		const char *v;

		if ((v = kv_value(f[i], "name")) && *v)
			en.name = v;
		u64_field(f[i], "live_bytes", &en.live_bytes, NULL, 0, &bad);
		if ((v = kv_value(f[i], "delta_bytes")) && parse_s64(v, &en.delta_bytes))
			bad = 1;
	}
	if (!en.name || bad) {
		ev->bad++;
		return 0;
	}
	if (f[0][0] == 'm')
		r = add_entry(&e->mods, &e->nmods, &e->capmods, &en);
	else
		r = add_entry(&e->caches, &e->ncaches, &e->capcaches, &en);
	if (r < 0)
		return -1;
	if (r > 0)
		ev->bad++;
	return 0;
}

/* A line after the banner: 0, or -1 out of memory. */
static int body_line(struct events *ev, char *line, size_t llen, int term)
{
	char *f[OT_MAX_FIELDS];
	int n;

	if (line[0] == '#') {
		if (term && llen <= OT_MAX_LINE && !parse_partial(line, &ev->partial))
			totals_line(ev, line);
		return 0;
	}
	if (!term || llen > OT_MAX_LINE) {
		ev->bad++;
		return 0;
	}
	n = split(line, f, OT_MAX_FIELDS);
	if (!n)
		return 0;
	if (!strcmp(f[0], "event"))
		return event_line(ev, f, n);
	if (!strcmp(f[0], "module") || !strcmp(f[0], "cache"))
		return entry_line(ev, f, n);
	return 0;	/* other line kinds: ignored (newer module versions may add some) */
}

/* A line before the banner: 1 blank, 0 the banner, else -1 or OT_EFORMAT. */
static int banner_line(struct events *ev, char *line, char *err, size_t errlen)
{
	while (is_ws(*line))
		line++;
	if (!*line)
		return 1;
	if (*line != '#') {
		seterr(err, errlen, "not an oomtrace events file (no '# oomtrace events format=%d' line)",
		       OT_FORMAT);
		return -1;
	}
	return parse_banner(line, "events", &ev->format, NULL, 0, err, errlen);
}

int events_parse(struct events *ev, const char *data, size_t len, char *err,
		 size_t errlen)
{
	struct lines L;
	char *line;
	size_t llen;
	int term, banner = 0, rc = -1;

	memset(ev, 0, sizeof(*ev));
	ev->buf = own_copy(data, len);
	if (!ev->buf) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	L.p = ev->buf;
	L.end = ev->buf + len;
	while ((line = next_line(&L, &llen, &term))) {
		if (banner) {
			if (body_line(ev, line, llen, term))
				goto oom;
			continue;
		}
		rc = banner_line(ev, line, err, errlen);
		if (rc < 0)
			goto fail;
		banner = !rc;
	}
	if (!banner) {
		seterr(err, errlen, "empty file (no '# oomtrace events format=%d' line)",
		       OT_FORMAT);
		rc = -1;
		goto fail;
	}
	ev->present = 1;
	return 0;
oom:
	seterr(err, errlen, "out of memory");
	rc = -1;
fail:
	events_free(ev);
	return rc;
}
