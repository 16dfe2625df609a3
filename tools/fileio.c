// SPDX-License-Identifier: GPL-2.0
/*
 * fileio.c - whole files in and out, and mkdir -p, with -errno results.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

/*
 * Room to read 4096 more bytes into *buf (and a NUL after them), growing
 * it to at most max + 1 bytes: a file larger than max shows as one.
 * 0, or -errno.
 */
static int room(char **buf, size_t *cap, size_t len, size_t max)
{
	size_t nc = *cap ? *cap * 2 : 65536;
	char *nb;

	if (*cap - len >= 4096)
		return 0;
	if (*cap >= max + 1)
		return -EFBIG;
	if (nc > max + 1)
		nc = max + 1;
	nb = realloc(*buf, nc + 1);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = nc;
	return 0;
}

int read_file(const char *path, char **bufp, size_t *lenp, size_t max)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd, e;

	*bufp = NULL;
	*lenp = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		e = room(&buf, &cap, len, max);
		if (e)
			goto fail;
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = -errno;
			goto fail;
		}
		if (!n)
			break;
		len += (size_t)n;
		if (len > max) {
			e = -EFBIG;
			goto fail;
		}
	}
	close(fd);
	if (!buf) {
		buf = malloc(1);
		if (!buf)
			return -ENOMEM;
	}
	buf[len] = 0;
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return e;
}

int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t off = 0;

	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			return -e;
		}
		off += (size_t)n;
	}
	if (close(fd))
		return -errno;
	return 0;
}

int make_dirs(const char *dir)
{
	char p[OT_PATH];
	size_t i, n = strlen(dir);

	if (n >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i])
			continue;
		p[i] = 0;
		if (mkdir(p, 0700) && errno != EEXIST)
			return -errno;
		p[i] = i < n ? '/' : 0;
	}
	return 0;
}
