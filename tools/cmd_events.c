// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_events.c - oomtrace events: the OOM events with the growth between
 * them.
 */
#include <stdio.h>

#include "cmd.h"
#include "entries.h"
#include "json.h"
#include "prom.h"
#include "text.h"

/* The partial line first, then the events. */
static void events_text(FILE *out, const struct snap *s, const struct entry_view *v)
{
	struct partial p;

	snap_partial(s, &p);
	text_partial(out, "partial: ", &p);
	text_events(out, &s->ev, v);
}

int cmd_events(const struct opts *o, FILE *out)
{
	struct entry_view v = { o->module, o->limit, entry_sort_key(o->sort), o->bytes };
	struct snap s;
	int r;

	if (v.sort < 0) {
		fprintf(stderr,
			"oomtrace: unknown sort column '%s'; events sort by delta_bytes, live_bytes or name\n",
			o->sort);
		return EX_USAGE;
	}
	r = load_snap(o, &s, LOAD_EVENTS);
	if (r)
		return r;
	if (!s.ev.present) {
		fprintf(stderr, "oomtrace: %s\n", s.events_err);
		snap_free(&s);
		return EX_ERR;
	}
	if (o->json)
		json_events_doc(out, &s, o->module);
	else if (o->prom)
		prom_events_doc(out, &s);
	else
		events_text(out, &s, &v);
	snap_free(&s);
	return EX_OK;
}
