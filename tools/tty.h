/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tty.h - the terminal while top runs: keys, signals, waiting, size.
 */
#ifndef OOMTRACE_TTY_H
#define OOMTRACE_TTY_H

#include <stdio.h>

/* SIGINT and SIGTERM stop the run (tty_stopped); keys: raw mode on stdin. */
void tty_begin(int keys);
/* The terminal mode and the signal handlers as they were. */
void tty_end(void);
int tty_stopped(void);
/* Wait secs, or until q (1: quit) or space (refresh now) when keys. */
int tty_wait(double secs, int keys);
/* Rows per table that fit two tables on the screen (10 when not a terminal). */
long tty_rows(int tty);
/* Clear the screen, cursor home. */
void tty_clear(FILE *out);

#endif
