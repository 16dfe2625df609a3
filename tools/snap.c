// SPDX-License-Identifier: GPL-2.0
/*
 * snap.c - read the oomtrace files from the live /proc or from a snapshot
 * directory, with one-line messages for the usual failures.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banner.h"
#include "fileio.h"
#include "snap.h"

void source_live(struct source *src)
{
	const char *root = getenv("OOMTRACE_PROC"), *sys = getenv("OOMTRACE_SYS");

	if (!root || !*root)
		root = "/proc";
	if (!sys || !*sys)
		sys = "/sys";
	memset(src, 0, sizeof(*src));
	snprintf(src->sysdir, sizeof(src->sysdir), "%s", root);
	snprintf(src->oomdir, sizeof(src->oomdir), "%.4000s/oomtrace", root);
	snprintf(src->label, sizeof(src->label), "%s", src->oomdir);
	snprintf(src->slabdir, sizeof(src->slabdir), "%.4000s/kernel/slab", sys);
	src->live = 1;
}

void source_dir(struct source *src, const char *dir)
{
	memset(src, 0, sizeof(*src));
	snprintf(src->sysdir, sizeof(src->sysdir), "%s", dir);
	snprintf(src->oomdir, sizeof(src->oomdir), "%s", dir);
	snprintf(src->label, sizeof(src->label), "%s", dir);
	src->live = 0;
}

static void path_of(char *out, size_t n, const char *dir, const char *name)
{
	snprintf(out, n, "%.4000s/%s", dir, name);
}

static void io_error(char *err, size_t errlen, const char *path, int e)
{
	if (e == -EACCES || e == -EPERM)
		snprintf(err, errlen,
			 "%s: permission denied (the oomtrace files are root-only: run as root)",
			 path);
	else if (e == -EFBIG)
		snprintf(err, errlen, "%s: file too large (more than %u MiB)", path,
			 OT_MAX_FILE >> 20);
	else
		snprintf(err, errlen, "%s: %s", path, strerror(-e));
}

static int dir_exists(const char *p)
{
	struct stat sb;

	return !stat(p, &sb) && S_ISDIR(sb.st_mode);
}

/* Read one file; ENOENT -> 1 when optional. */
static int get(const struct source *src, const char *dir, const char *name, int optional,
	       char **buf, size_t *len, char *err, size_t errlen)
{
	char path[OT_PATH + 64];
	int r;

	path_of(path, sizeof(path), dir, name);
	r = read_file(path, buf, len, OT_MAX_FILE);
	if (!r)
		return 0;
	if (r == -ENOENT && optional)
		return 1;
	if (r == -ENOENT && !strcmp(name, OT_FILE_STATUS)) {
		if (src->live && !dir_exists(src->oomdir))
			snprintf(err, errlen,
				 "the oomtrace module is not loaded (%s does not exist): load it with 'modprobe oomtrace' (or 'insmod oomtrace.ko')",
				 src->oomdir);
		else if (!src->live && !dir_exists(src->oomdir))
			snprintf(err, errlen, "%s: no such snapshot directory", src->oomdir);
		else
			snprintf(err, errlen,
				 "%s: not an oomtrace %s (no status file)", src->oomdir,
				 src->live ? "directory" : "snapshot");
		return -1;
	}
	io_error(err, errlen, path, r);
	return -1;
}

/*
 * An optional file that is malformed is skipped with a warning; a format this
 * tool does not know is always refused.
 */
static int load_table(const struct source *src, struct table *t, const struct tabdef *def,
		      int optional, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	char e2[OT_ERRLEN];
	int r;

	memset(t, 0, sizeof(*t));
	t->def = def;
	r = get(src, src->oomdir, def->name, optional, &buf, &len, err, errlen);
	if (r)
		return r < 0 ? -1 : 0;
	r = table_parse(t, def, buf, len, e2, sizeof(e2));
	free(buf);
	if (r && optional && r != OT_EFORMAT) {
		fprintf(stderr, "oomtrace: warning: %.2000s/%s: %s (ignored)\n", src->oomdir,
			def->name, e2);
		return 0;
	}
	if (r)
		snprintf(err, errlen, "%.2000s/%s: %s", src->oomdir, def->name, e2);
	return r ? -1 : 0;
}

/* events: optional; a format this tool does not know is refused. */
static int load_events(struct snap *s, char *err, size_t errlen)
{
	const struct source *src = &s->src;
	char e2[OT_ERRLEN], *buf;
	size_t len;
	int r;

	r = get(src, src->oomdir, OT_FILE_EVENTS, 1, &buf, &len, err, errlen);
	if (r < 0)
		return -1;
	if (r) {
		snprintf(s->events_err, sizeof(s->events_err),
			 "%.400s/events does not exist: this oomtrace module does not record OOM events",
			 src->oomdir);
		return 0;
	}
	r = events_parse(&s->ev, buf, len, e2, sizeof(e2));
	free(buf);
	if (r == OT_EFORMAT) {
		snprintf(err, errlen, "%.2000s/events: %s", src->oomdir, e2);
		return -1;
	}
	if (r)
		snprintf(s->events_err, sizeof(s->events_err), "%.300s/events: %.180s",
			 src->oomdir, e2);
	return 0;
}

/* Reads of a live /proc/vmallocinfo until two agree on every module. */
#define VM_READS 4

/*
 * vmallocinfo, folded per module. The kernel walks it by index (seq_file):
 * an area added or removed between two read() calls shifts the list, and a
 * read skips or repeats one, so a live file is read until two folds agree
 * on every module ([kernel]'s areas churn and are taken as last read). When
 * they never agree, the last is kept and snap_warn() says so.
 */
static void load_vmalloc(struct snap *s)
{
	const struct source *src = &s->src;
	int i, reads = src->live ? VM_READS : 1;
	struct vmfold prev = { 0 };
	char e2[OT_ERRLEN], *buf;
	size_t len;

	for (i = 0; i < reads; i++) {
		if (get(src, src->sysdir, "vmallocinfo", 1, &buf, &len, e2, sizeof(e2)))
			break;
		vmfold_free(&prev);
		prev = s->vm;
		vmalloc_fold(&s->vm, buf, len);
		free(buf);
		if (i && vmfold_same_modules(&prev, &s->vm))
			break;
	}
	if (reads > 1 && i == reads)
		s->vm.unstable = 1;
	vmfold_free(&prev);
}

/* meminfo (and zoneinfo) and vmallocinfo: optional, and never an error. */
static void load_system(struct snap *s, unsigned what)
{
	const struct source *src = &s->src;
	char e2[OT_ERRLEN], *buf;
	size_t len, i;

	if ((what & LOAD_MEMINFO) &&
	    !get(src, src->sysdir, "meminfo", 1, &buf, &len, e2, sizeof(e2))) {
		meminfo_parse(&s->mi, buf, len);
		free(buf);
	}
	/* the per-CPU free page lists, which meminfo counts neither free nor used */
	if (s->mi.present && !get(src, src->sysdir, "zoneinfo", 1, &buf, &len, e2, sizeof(e2))) {
		s->mi.have_pcp = !zoneinfo_pcp_pages(buf, len, &s->mi.pcp_pages);
		free(buf);
	}
	if (what & (LOAD_VMALLOC | LOAD_MODULES))
		load_vmalloc(s);
	if (!s->modules.present || !s->vm.present)
		return;
	for (i = 0; i < s->modules.nrows; i++) {
		struct row *rw = &s->modules.rows[i];

		rw->v[MO_VMALLOC_BYTES] = vmfold_bytes(&s->vm, rw->s[MO_MODULE]);
		rw->s[MO_VMALLOC_BYTES] = "";
	}
	s->modules.absent &= ~(1u << MO_VMALLOC_BYTES);
}

/* slab_reclaim: the live sysfs, else the snapshot's file; never an error. */
static void load_reclaim(struct snap *s)
{
	char e2[OT_ERRLEN], *buf;
	size_t len;
	int r;

	if (s->src.slabdir[0])
		r = snap_reclaim_text(s->src.slabdir, &s->slabs, &buf, &len);
	else
		r = get(&s->src, s->src.oomdir, "slab_reclaim", 1, &buf, &len, e2, sizeof(e2));
	if (r)
		return;
	reclaim_parse(&s->rc, buf, len);
	free(buf);
}

/* Each slabinfo cache: oomtrace's live bytes in it, the rest, and whether it is reclaimable. */
static void join_slabinfo(struct snap *s)
{
	struct table *si = &s->slabinfo;
	size_t i;

	for (i = 0; s->slabs.present && i < s->slabs.nrows; i++) {
		struct row *r = slabinfo_find(si, s->slabs.rows[i].s[SL_CACHE]);
		uint64_t b = s->slabs.rows[i].v[SL_LIVE_BYTES];

		if (r)
			r->v[SI_TRACKED_BYTES] = r->v[SI_TRACKED_BYTES] + b < b ? UINT64_MAX :
						 r->v[SI_TRACKED_BYTES] + b;
	}
	for (i = 0; i < si->nrows; i++) {
		struct row *r = &si->rows[i];
		int rc = reclaim_of(&s->rc, r->s[SI_CACHE]);

		r->v[SI_UNTRACKED_BYTES] = r->v[SI_INUSE_BYTES] > r->v[SI_TRACKED_BYTES] ?
					   r->v[SI_INUSE_BYTES] - r->v[SI_TRACKED_BYTES] : 0;
		r->s[SI_TRACKED_BYTES] = r->s[SI_UNTRACKED_BYTES] = "";
		r->s[SI_RECLAIMABLE] = rc < 0 ? "-" : rc ? "yes" : "no";
	}
	if (s->slabs.present)
		si->absent &= ~(1u << SI_TRACKED_BYTES | 1u << SI_UNTRACKED_BYTES);
	if (s->rc.present)
		si->absent &= ~(1u << SI_RECLAIMABLE);
}

/* slabinfo and slab_reclaim: optional, and never an error. */
static void load_slabinfo(struct snap *s)
{
	char e2[OT_ERRLEN], *buf;
	size_t len;

	load_reclaim(s);
	if (get(&s->src, s->src.sysdir, "slabinfo", 1, &buf, &len, e2, sizeof(e2)))
		return;
	slabinfo_parse(&s->slabinfo, buf, len);
	free(buf);
	if (s->slabinfo.present)
		join_slabinfo(s);
}

/* slabs, silently: absent when it cannot be read or parsed. */
static void load_slabs_quiet(struct snap *s)
{
	char e2[OT_ERRLEN], *buf;
	size_t len;

	if (get(&s->src, s->src.oomdir, OT_FILE_SLABS, 1, &buf, &len, e2, sizeof(e2)))
		return;
	if (table_parse(&s->slabs, &tab_slabs, buf, len, NULL, 0))
		s->slabs.def = &tab_slabs;	/* table_parse freed it */
	free(buf);
}

/* A snapshot's time: "1700000000\n2023-11-14T22:13:20Z\n", keep the ISO line. */
static void load_timestamp(struct snap *s)
{
	char e2[OT_ERRLEN], *buf, *nl;
	size_t len;
	const char *iso;

	if (s->src.live || get(&s->src, s->src.oomdir, "timestamp", 1, &buf, &len, e2, sizeof(e2)))
		return;
	nl = strchr(buf, '\n');
	iso = nl && nl[1] ? nl + 1 : buf;
	snprintf(s->timestamp, sizeof(s->timestamp), "%.120s", iso);
	s->timestamp[strcspn(s->timestamp, "\r\n")] = 0;
	free(buf);
}

static int load_status(struct snap *s, char *err, size_t errlen)
{
	char e2[OT_ERRLEN], *buf;
	size_t len;
	int r;

	if (get(&s->src, s->src.oomdir, OT_FILE_STATUS, 0, &buf, &len, err, errlen))
		return -1;
	r = status_parse(&s->st, buf, len, e2, sizeof(e2));
	free(buf);
	if (r)
		snprintf(err, errlen, "%.2000s/status: %s", s->src.oomdir, e2);
	return r ? -1 : 0;
}

int snap_load(struct snap *s, const struct source *src, unsigned what, char *err,
	      size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->src = *src;
	s->slabs.def = &tab_slabs;
	s->modules.def = &tab_modules;
	s->callsites.def = &tab_callsites;
	s->modslabs.def = &tab_modslabs;
	s->slabinfo.def = &tab_slabinfo;

	if (load_status(s, err, errlen))
		return -1;
	if (((what & LOAD_SLABS) && load_table(src, &s->slabs, &tab_slabs, 0, err, errlen)) ||
	    ((what & LOAD_MODULES) &&
	     load_table(src, &s->modules, &tab_modules, 0, err, errlen)) ||
	    ((what & LOAD_CALLSITES) &&
	     load_table(src, &s->callsites, &tab_callsites, 0, err, errlen)) ||
	    ((what & LOAD_MODSLABS) &&
	     load_table(src, &s->modslabs, &tab_modslabs, 1, err, errlen)) ||
	    ((what & LOAD_EVENTS) && load_events(s, err, errlen))) {
		snap_free(s);
		return -1;
	}
	if ((what & LOAD_SLABS_QUIET) && !(what & LOAD_SLABS))
		load_slabs_quiet(s);
	load_system(s, what);
	if (what & LOAD_SLABINFO)
		load_slabinfo(s);
	load_timestamp(s);
	return 0;
}

void snap_free(struct snap *s)
{
	status_free(&s->st);
	table_free(&s->slabs);
	table_free(&s->modules);
	table_free(&s->callsites);
	table_free(&s->modslabs);
	events_free(&s->ev);
	meminfo_free(&s->mi);
	vmfold_free(&s->vm);
	table_free(&s->slabinfo);
	reclaim_free(&s->rc);
}

/* A file of the snapshot for messages: "DIR/NAME", or "LOG: dump N NAME". */
static void file_label(char *buf, size_t len, const struct snap *s, const char *name)
{
	if (s->src.dump)
		snprintf(buf, len, "%.2000s: dump %llu %s", s->src.label,
			 (unsigned long long)s->dump.seq, name);
	else
		snprintf(buf, len, "%.4000s/%s", s->src.oomdir, name);
}

void snap_warn(const struct snap *s)
{
	const struct table *t[] = { &s->slabs, &s->modules, &s->callsites, &s->modslabs };
	char name[OT_PATH + 64];
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!t[i]->present || !t[i]->bad)
			continue;
		file_label(name, sizeof(name), s, t[i]->def->name);
		fprintf(stderr, "oomtrace: %s: %zu malformed line%s skipped\n", name, t[i]->bad,
			t[i]->bad == 1 ? "" : "s");
	}
	if (s->vm.unstable)
		fprintf(stderr,
			"oomtrace: /proc/vmallocinfo changed during each of %d reads: a module's vmalloc bytes may miss or repeat an area\n",
			VM_READS);
	if (s->ev.present && s->ev.bad) {
		file_label(name, sizeof(name), s, "events");
		fprintf(stderr, "oomtrace: %s: %zu malformed line%s skipped\n", name, s->ev.bad,
			s->ev.bad == 1 ? "" : "s");
	}
}
