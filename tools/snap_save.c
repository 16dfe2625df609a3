// SPDX-License-Identifier: GPL-2.0
/*
 * snap_save.c - save a source (every /proc/oomtrace file plus meminfo,
 * slabinfo, vmallocinfo and zoneinfo, and slab_reclaim from sysfs) in a snapshot
 * directory, with a timestamp: the layout source_dir() reads back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../module/format.h"
#include "fileio.h"
#include "snap.h"

/* Write @buf (then freed) to @dst; one more file saved in @count. */
static int save_buf(const char *dst, char *buf, size_t len, int *count)
{
	int r = write_file(dst, buf, len);

	free(buf);
	if (r) {
		fprintf(stderr, "oomtrace: %s: %s\n", dst, strerror(-r));
		return -1;
	}
	(*count)++;
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
	return save_buf(dst, buf, len, count);
}

/*
 * slab_reclaim: which slab caches are reclaimable, from the live sysfs, or
 * copied from the snapshot saved again. Optional: a box without sysfs has
 * none.
 */
static int save_reclaim(const struct source *src, const char *dir, int *count)
{
	char dst[OT_PATH + 64], *buf;
	struct table slabs;
	size_t len;
	int r;

	if (!src->slabdir[0])
		return copy(src->oomdir, "slab_reclaim", dir, 1, count);
	/* the caches of the slabs just saved */
	snprintf(dst, sizeof(dst), "%.4000s/%s", dir, OT_FILE_SLABS);
	r = read_file(dst, &buf, &len, OT_MAX_FILE);
	if (r || table_parse(&slabs, &tab_slabs, buf, len, NULL, 0))
		memset(&slabs, 0, sizeof(slabs));
	free(buf);
	r = snap_reclaim_text(src->slabdir, &slabs, &buf, &len);
	table_free(&slabs);
	if (r) {
		if (r != -ENOENT)
			fprintf(stderr, "oomtrace: warning: %s: %s (slab_reclaim not saved)\n",
				src->slabdir, strerror(-r));
		return 0;
	}
	snprintf(dst, sizeof(dst), "%.4000s/slab_reclaim", dir);
	return save_buf(dst, buf, len, count);
}

/* "1700000000\n2023-11-14T22:13:20Z\n" */
static int save_timestamp(const char *dir)
{
	char ts[128], path[OT_PATH + 64];
	time_t now = time(NULL);
	struct tm tm;
	int r;

	gmtime_r(&now, &tm);
	r = snprintf(ts, sizeof(ts), "%lld\n%04d-%02d-%02dT%02d:%02d:%02dZ\n", (long long)now,
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		     tm.tm_sec);
	snprintf(path, sizeof(path), "%.4000s/timestamp", dir);
	r = write_file(path, ts, (size_t)r);
	if (r)
		fprintf(stderr, "oomtrace: %s: %s\n", path, strerror(-r));
	return r ? -1 : 0;
}

int snap_save(const struct source *src, const char *dir)
{
	static const char *const oom_files[] = { OT_FILE_STATUS, OT_FILE_SLABS, OT_FILE_MODULES,
						 OT_FILE_CALLSITES };
	static const char *const oom_optional[] = { OT_FILE_MODULE_SLABS, OT_FILE_EVENTS };
	static const char *const sys_files[] = { "meminfo", "slabinfo", "vmallocinfo", "zoneinfo" };
	size_t i;
	int r, count = 0;

	r = make_dirs(dir);
	if (r) {
		fprintf(stderr, "oomtrace: %s: %s\n", dir, strerror(-r));
		return -1;
	}
	for (i = 0; i < sizeof(oom_files) / sizeof(oom_files[0]); i++)
		if (copy(src->oomdir, oom_files[i], dir, 0, &count))
			return -1;
	for (i = 0; i < sizeof(oom_optional) / sizeof(oom_optional[0]); i++)
		if (copy(src->oomdir, oom_optional[i], dir, 1, &count))
			return -1;
	for (i = 0; i < sizeof(sys_files) / sizeof(sys_files[0]); i++)
		if (copy(src->sysdir, sys_files[i], dir, 1, &count))
			return -1;
	if (save_reclaim(src, dir, &count))
		return -1;
	return save_timestamp(dir) ? -1 : count;
}
