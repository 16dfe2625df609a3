// SPDX-License-Identifier: GPL-2.0
/*
 * snap_reclaim.c - which slab caches are reclaimable, from sysfs
 * (/sys/kernel/slab/CACHE/reclaim_account), as the text of a snapshot's
 * slab_reclaim file. /proc/slabinfo does not say it, and /proc/meminfo
 * splits slab memory by it (SReclaimable, SUnreclaim): the coverage of
 * SUnreclaim needs it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
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

/* CACHE/reclaim_account of one sysfs entry: 0, 1, or -1 (not a cache). */
static int reclaim_account(const char *slabdir, const char *name)
{
	char path[OT_PATH + 300], *buf;
	size_t len;
	int v;

	snprintf(path, sizeof(path), "%.4000s/%.255s/reclaim_account", slabdir, name);
	if (read_file(path, &buf, &len, 65536))
		return -1;
	v = buf[0] == '0' || buf[0] == '1' ? buf[0] - '0' : -1;
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

int snap_reclaim_text(const char *slabdir, char **buf, size_t *len)
{
	struct ent *e = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *d;
	DIR *dir = opendir(slabdir);
	int r = 0;

	if (!dir)
		return -errno;
	while (!r && (d = readdir(dir))) {
		/* ".", "..", and the ":A-0000192" directories merged caches point at */
		int v = d->d_name[0] == '.' || d->d_name[0] == ':' ? -1 :
			reclaim_account(slabdir, d->d_name);

		if (v < 0)
			continue;
		r = array_grow(&e, &cap, n, sizeof(*e), 256, OT_MAX_ROWS);
		if (r > 0)
			break;	/* beyond the bound: the caches so far */
		if (!r && !(e[n].name = strdup(d->d_name)))
			r = -1;
		if (!r)
			e[n++].reclaim = v;
	}
	closedir(dir);
	if (r >= 0) {
		sort_stable(e, n, sizeof(*e), cmp_ent, NULL);
		r = to_text(e, n, buf, len);
	} else {
		r = -ENOMEM;
	}
	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
	return r;
}
