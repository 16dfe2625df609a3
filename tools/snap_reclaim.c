// SPDX-License-Identifier: GPL-2.0
/*
 * snap_reclaim.c - which slab caches are reclaimable, from sysfs
 * (/sys/kernel/slab/CACHE/reclaim_account), as the text of a snapshot's
 * slab_reclaim file. /proc/slabinfo does not say it, and /proc/meminfo
 * splits slab memory by it (SReclaimable, SUnreclaim): the coverage of
 * SUnreclaim needs it. Only the caches oomtrace holds live bytes in are
 * looked up: every sysfs file looked up for the first time costs the core
 * kernel a dentry and an inode (kernfs caches them), which the next
 * report would count as [kernel]'s; all ~200 caches cost it 340 KiB in
 * the lab, more than a small module's leak.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../module/format.h"
#include "fileio.h"
#include "snap.h"
#include "sort.h"

#define RECLAIM_HEAD "# oomtrace slab_reclaim: /sys/kernel/slab/CACHE/reclaim_account\n" \
		     "# cache reclaim_account\n"

struct ent {
	char *name;
	int reclaim;
};

static int cmp_ent(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

/* CACHE/reclaim_account of one cache: 0, 1, or -errno (-EINVAL: not 0 or 1). */
static int reclaim_account(const char *slabdir, const char *name)
{
	char path[OT_PATH + 300], *buf;
	size_t len;
	int v;

	snprintf(path, sizeof(path), "%.4000s/%.255s/reclaim_account", slabdir, name);
	v = read_file(path, &buf, &len, 65536);
	if (v)
		return v;
	v = buf[0] == '0' || buf[0] == '1' ? buf[0] - '0' : -EINVAL;
	free(buf);
	return v;
}

/* The sorted entries as the file's text. 0, or -ENOMEM. */
static int to_text(struct ent *e, size_t n, char **buf, size_t *len)
{
	size_t i, cap = sizeof(RECLAIM_HEAD), at;

	for (i = 0; i < n; i++)
		cap += strlen(e[i].name) + 3;
	*buf = malloc(cap);
	if (!*buf)
		return -ENOMEM;
	at = (size_t)snprintf(*buf, cap, "%s", RECLAIM_HEAD);
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(*buf + at, cap - at, "%s %d\n", e[i].name, e[i].reclaim);
	*len = at;
	return 0;
}

int snap_reclaim_text(const char *slabdir, const struct table *slabs, char **buf, size_t *len)
{
	struct ent *e = NULL;
	size_t n = 0, i;
	int r = 0;

	if (!slabs->present || !(e = calloc(slabs->nrows + 1, sizeof(*e))))
		return slabs->present ? -ENOMEM : -ENOENT;
	for (i = 0; !r && i < slabs->nrows; i++) {
		const char *name = slabs->rows[i].s[SL_CACHE];
		int v;

		/* the caches with live bytes, and not the page allocator's pseudo caches */
		if (!slabs->rows[i].v[SL_LIVE_BYTES] || !strcmp(name, OT_CACHE_PAGES) ||
		    !strcmp(name, OT_CACHE_LARGE) || name[0] == '.' || strchr(name, '/'))
			continue;
		v = reclaim_account(slabdir, name);
		if (v == -ENOENT && !n && access(slabdir, F_OK))
			r = -ENOENT;	/* no sysfs slab directory at all */
		if (v < 0)
			continue;
		if (!(e[n].name = strdup(name)))
			r = -ENOMEM;
		else
			e[n++].reclaim = v;
	}
	if (!r) {
		sort_stable(e, n, sizeof(*e), cmp_ent, NULL);
		r = to_text(e, n, buf, len);
	}
	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
	return r;
}
