/* SPDX-License-Identifier: GPL-2.0 */
/*
 * utf8.h - UTF-8 validation, one sequence at a time.
 */
#ifndef OOMTRACE_UTF8_H
#define OOMTRACE_UTF8_H

/* Length of the valid UTF-8 sequence at s (1 for ASCII), or 0 if invalid. */
int utf8_len(const unsigned char *s);

#endif
