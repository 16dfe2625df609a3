// SPDX-License-Identifier: GPL-2.0
/*
 * tty.c - the terminal while top runs: raw mode for single keys (only when
 * stdin is a terminal), SIGINT and SIGTERM to stop cleanly, waiting for
 * the next refresh or a key, the screen's size.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tty.h"

/* A signal handler can only set a flag: the state of the run is file-wide. */
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

int tty_wait(double secs, int keys)
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

long tty_rows(int tty)
{
	struct winsize ws;

	if (tty && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 12)
		return (ws.ws_row - 8) / 2;
	return 10;
}

void tty_begin(int keys)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (keys)
		raw_mode();
}

void tty_end(void)
{
	struct sigaction sa;

	restore();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int tty_stopped(void)
{
	return stop;
}

void tty_clear(FILE *out)
{
	fputs("\033[H\033[2J", out);
}
