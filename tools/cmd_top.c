// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_top.c - oomtrace top, a refreshing view like slabtop: modules and
 * caches with their live bytes and growth over the last interval. Raw
 * terminal mode only when stdin is a terminal; plain successive tables
 * when stdout is not one.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "diff.h"
#include "text.h"
#include "tty.h"

/* One refresh: load, the growth since prev (NULL: the first), print. EX_OK or EX_ERR. */
static int refresh(const struct opts *o, FILE *out, const struct snap *prev, struct snap *cur,
		   int sortkey, int tty_out, struct top_view *v, time_t now)
{
	struct dtab dm, dc;
	char clock[32];
	struct tm tm;

	if (load_snap(o, cur, LOAD_MODULES | LOAD_SLABS))
		return EX_ERR;
	if (diff_top(&dm, &dc, prev, cur, sortkey)) {
		fprintf(stderr, "oomtrace: out of memory\n");
		snap_free(cur);
		return EX_ERR;
	}
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	v->clock = clock;
	v->first = !prev;
	if (tty_out)
		tty_clear(out);
	else if (v->refresh > 1)
		fputc('\n', out);
	text_top(out, cur, &dm, &dc, v);
	fflush(out);
	dtab_free(&dm);
	dtab_free(&dc);
	return EX_OK;
}

int cmd_top(const struct opts *o, FILE *out)
{
	struct snap prev, cur;
	int tty_out = isatty(fileno(out)) && out == stdout;
	int keys = tty_out && isatty(STDIN_FILENO);
	int sk = o->sort ? diff_sort_key(o->sort) : 1, have_prev = 0, r = EX_OK;
	long iter;

	if (sk < 0) {
		fprintf(stderr,
			"oomtrace: unknown sort column '%s'; top sorts by live_bytes, growth, objects or name\n",
			o->sort);
		return EX_USAGE;
	}
	tty_begin(keys);
	for (iter = 0; !tty_stopped() && (o->limit <= 0 || iter < o->limit); iter++) {
		/* the clock and the screen as the refresh's interval starts */
		time_t now = time(NULL);
		struct top_view v = { NULL, iter + 1, o->interval, keys,
			o->rows > 0 ? o->rows : tty_rows(tty_out), 0, o->bytes };

		if (iter && tty_wait(o->interval, keys))
			break;
		r = refresh(o, out, have_prev ? &prev : NULL, &cur, sk, tty_out, &v, now);
		if (r)
			break;
		if (have_prev)
			snap_free(&prev);
		prev = cur;
		have_prev = 1;
	}
	if (have_prev)
		snap_free(&prev);
	tty_end();
	return r;
}
