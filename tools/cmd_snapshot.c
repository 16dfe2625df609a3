// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_snapshot.c - save every /proc/oomtrace file plus meminfo, slabinfo
 * and vmallocinfo, with a timestamp, in one directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

static int write_file(const char *path, const char *buf, size_t len)
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

/* mkdir -p */
static int make_dirs(const char *dir)
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

static int copy(const char *from_dir, const char *name, const char *to_dir, int optional,
		int *count)
{
	char src[OT_PATH + 64], dst[OT_PATH + 64];
	char *buf;
	size_t len;
	int r;

	snprintf(src, sizeof(src), "%.4000s/%s", from_dir, name);
	snprintf(dst, sizeof(dst), "%.4000s/%s", to_dir, name);
	r = read_file(src, &buf, &len, OT_MAX_FILE);
	if (r) {
		if (optional) {
			if (r != -ENOENT)
				fprintf(stderr, "oomtrace: warning: %s: %s (not saved)\n", src,
					strerror(-r));
			return 0;
		}
		fprintf(stderr, "oomtrace: %s: %s\n", src, strerror(-r));
		return -1;
	}
	r = write_file(dst, buf, len);
	free(buf);
	if (r) {
		fprintf(stderr, "oomtrace: %s: %s\n", dst, strerror(-r));
		return -1;
	}
	(*count)++;
	return 0;
}

int cmd_snapshot(const struct opts *o, FILE *out)
{
	static const char *const oom_files[] = { "status", "slabs", "modules", "callsites" };
	static const char *const oom_optional[] = { "module_slabs", "events" };
	static const char *const sys_files[] = { "meminfo", "slabinfo", "vmallocinfo" };
	struct source src;
	struct snap s;
	char err[OT_ERRLEN + OT_PATH], ts[128], path[OT_PATH + 64];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int r, count = 0;

	if (o->from)
		source_dir(&src, o->from);
	else
		source_live(&src);
	/* status first: says clearly when the module is not loaded */
	if (snap_load(&s, &src, 0, err, sizeof(err))) {
		fprintf(stderr, "oomtrace: %s\n", err);
		return EX_ERR;
	}
	snap_free(&s);
	r = make_dirs(o->outdir);
	if (r) {
		fprintf(stderr, "oomtrace: %s: %s\n", o->outdir, strerror(-r));
		return EX_ERR;
	}
	for (i = 0; i < sizeof(oom_files) / sizeof(oom_files[0]); i++)
		if (copy(src.oomdir, oom_files[i], o->outdir, 0, &count))
			return EX_ERR;
	for (i = 0; i < sizeof(oom_optional) / sizeof(oom_optional[0]); i++)
		if (copy(src.oomdir, oom_optional[i], o->outdir, 1, &count))
			return EX_ERR;
	for (i = 0; i < sizeof(sys_files) / sizeof(sys_files[0]); i++)
		if (copy(src.sysdir, sys_files[i], o->outdir, 1, &count))
			return EX_ERR;
	gmtime_r(&now, &tm);
	r = snprintf(ts, sizeof(ts), "%lld\n%04d-%02d-%02dT%02d:%02d:%02dZ\n", (long long)now,
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		     tm.tm_sec);
	snprintf(path, sizeof(path), "%.4000s/timestamp", o->outdir);
	r = write_file(path, ts, (size_t)r);
	if (r) {
		fprintf(stderr, "oomtrace: %s: %s\n", path, strerror(-r));
		return EX_ERR;
	}
	fprintf(out, "snapshot of %s saved in %s (%d files and a timestamp)\n", src.label,
		o->outdir, count);
	return EX_OK;
}
