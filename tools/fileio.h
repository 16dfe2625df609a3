/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fileio.h - whole files in and out, and mkdir -p.
 */
#ifndef OOMTRACE_FILEIO_H
#define OOMTRACE_FILEIO_H

#include <stddef.h>

#define OT_PATH 4096
#define OT_MAX_FILE (256u << 20)	/* larger files are refused */

/*
 * Read a whole file (bounded by max). Returns 0, or -errno; *buf is
 * NUL-terminated and must be freed.
 */
int read_file(const char *path, char **buf, size_t *len, size_t max);
/* Create or truncate path (mode 0600) with len bytes. 0, or -errno. */
int write_file(const char *path, const char *buf, size_t len);
/* mkdir -p (mode 0700). 0, or -errno. */
int make_dirs(const char *dir);

#endif
