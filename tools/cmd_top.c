// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_top.c - a refreshing view like slabtop: modules and caches with their
 * live bytes and growth over the last interval. Raw terminal mode only when
 * stdin is a terminal; plain successive tables when stdout is not one.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "text.h"
#include "diff.h"
#include "grid.h"
#include "units.h"

static volatile sig_atomic_t stop;
static struct termios saved;
static int raw_on;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void raw_mode(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &saved))
		return;
	t = saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &t))
		raw_on = 1;
}

static void restore(void)
{
	if (raw_on)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	raw_on = 0;
}

/* Wait one interval; 1 when the user asked to quit. */
static int wait_interval(double secs, int keys)
{
	long ms = (long)(secs * 1000);

	if (keys) {
		struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (!stop) {
			long left;
			int r;

			clock_gettime(CLOCK_MONOTONIC, &t1);
			left = ms - ((t1.tv_sec - t0.tv_sec) * 1000 +
				     (t1.tv_nsec - t0.tv_nsec) / 1000000);
			if (left <= 0)
				return 0;
			r = poll(&p, 1, (int)left);
			if (r > 0) {
				char c;

				if (read(STDIN_FILENO, &c, 1) == 1) {
					if (c == 'q' || c == 'Q')
						return 1;
					if (c == ' ')
						return 0;	/* refresh now */
				} else {
					keys = 0;	/* EOF: just sleep */
					break;
				}
			}
		}
		if (stop)
			return 1;
	}
	{
		struct timespec ts;

		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	return stop;
}

static long screen_rows(int tty)
{
	struct winsize ws;

	if (tty && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 12)
		return (ws.ws_row - 8) / 2;
	return 10;
}

int cmd_top(const struct opts *o, FILE *out)
{
	struct snap prev, cur;
	struct sigaction sa;
	struct table empty_m, empty_s;
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
	memset(&empty_m, 0, sizeof(empty_m));
	memset(&empty_s, 0, sizeof(empty_s));
	empty_m.def = &tab_modules;
	empty_s.def = &tab_slabs;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (keys)
		raw_mode();
	for (iter = 0; !stop && (o->limit <= 0 || iter < o->limit); iter++) {
		struct dtab dm, dc;
		char tbuf[32];
		time_t now = time(NULL);
		struct tm tm;
		struct top_view v = { tbuf, iter + 1, o->interval, keys,
			o->rows > 0 ? o->rows : screen_rows(tty_out), !have_prev, o->bytes };

		if (iter && wait_interval(o->interval, keys))
			break;
		if (load_snap(o, &cur, LOAD_MODULES | LOAD_SLABS)) {
			r = EX_ERR;
			break;
		}
		if (diff_tables(&dm, have_prev ? &prev.modules : &empty_m, &cur.modules,
				MO_LIVE_BYTES, MO_LIVE, MO_STATE, sk, 1) ||
		    diff_tables(&dc, have_prev ? &prev.slabs : &empty_s, &cur.slabs,
				SL_LIVE_BYTES, SL_LIVE, -1, sk, 1)) {
			fprintf(stderr, "oomtrace: out of memory\n");
			snap_free(&cur);
			r = EX_ERR;
			break;
		}
		localtime_r(&now, &tm);
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
		if (tty_out)
			fputs("\033[H\033[2J", out);
		else if (iter)
			fputc('\n', out);
		text_top(out, &cur, &dm, &dc, &v);
		fflush(out);
		dtab_free(&dm);
		dtab_free(&dc);
		if (have_prev)
			snap_free(&prev);
		prev = cur;
		have_prev = 1;
	}
	if (have_prev)
		snap_free(&prev);
	restore();
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return r;
}
