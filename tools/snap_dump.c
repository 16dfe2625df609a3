// SPDX-License-Identifier: GPL-2.0
/*
 * snap_dump.c - report --dmesg: the snapshot held by the last complete
 * oomtrace dump of a kernel log. The log is streamed through the scanner
 * (dump.c); the dump's files go through the parsers of the files they
 * copy. Nothing under /proc is read: this runs on any machine, as anyone.
 * A dump has no vmallocinfo and no slabinfo: what needs them says so, as
 * for a snapshot without them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banner.h"
#include "snap.h"

#define READ_CHUNK (64u << 10)

/* Stream the log through the scanner into d. 0, or -1 with the message. */
static int scan_log(const char *path, const char *label, struct dump *d, char *err,
		    size_t errlen)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	struct dump_scan *sc = NULL;
	char *buf = NULL;
	size_t n;
	int r = 0, e = 0;

	if (!in) {
		snprintf(err, errlen, "%.2000s: %s", label, strerror(errno));
		return -1;
	}
	if (!(sc = dump_scan_new()) || !(buf = malloc(READ_CHUNK)))
		r = ENOMEM;
	while (!r && (n = fread(buf, 1, READ_CHUNK, in)) > 0)
		if (dump_scan_feed(sc, buf, n))
			r = ENOMEM;
	if (!r && ferror(in))
		r = e = errno ? errno : EIO;
	if (!r && dump_scan_end(sc, d))
		r = ENOMEM;
	if (r)
		snprintf(err, errlen, "%.2000s: %s%s", label, e ? "read error: " : "", strerror(r));
	dump_scan_free(sc);
	free(buf);
	if (in != stdin)
		fclose(in);
	return r ? -1 : 0;
}

/* Why there is no dump to use: 0 when there is one, else -1 with the message. */
static int no_dump(const struct dump *d, const char *label, char *err, size_t errlen)
{
	const struct dump_info *in = &d->info;
	unsigned long long seq = in->seq;
	char b[200];

	if (d->found && in->format == DUMP_FORMAT)
		return 0;
	if (d->found && in->format < 0)
		snprintf(err, errlen, "%.2000s: dump %llu: its begin line has no format=N", label, seq);
	else if (d->found)
		snprintf(err, errlen,
			 "%.2000s: dump %llu: unsupported dump format %d: this oomtrace understands format %d only (upgrade the tool)",
			 label, seq, in->format, DUMP_FORMAT);
	else if (in->nbad) {
		dump_bad_text(b, sizeof(b), &in->last_bad);
		if (in->nbad == 1)
			snprintf(err, errlen, "%.2000s: no complete oomtrace dump: %s", label, b);
		else
			snprintf(err, errlen, "%.2000s: no complete oomtrace dump: %s; %llu more incomplete before it",
				 label, b, (unsigned long long)in->nbad - 1);
	} else if (!in->input_lines)
		snprintf(err, errlen, "%.2000s: empty: no oomtrace dump", label);
	else if (in->binary)
		snprintf(err, errlen, "%.2000s: binary data, not a kernel log: no oomtrace dump", label);
	else
		snprintf(err, errlen,
			 "%.2000s: no oomtrace dump (no 'oomtrace: dump N begin' line in %llu lines)",
			 label, (unsigned long long)in->input_lines);
	return -1;
}

static int dump_status(struct snap *s, const struct dump *d, char *err, size_t errlen)
{
	const struct dump_text *x = &d->file[DF_STATUS];
	unsigned long long seq = d->info.seq;
	char e2[OT_ERRLEN];

	if (!x->len) {
		snprintf(err, errlen, "%.2000s: dump %llu has no status lines", s->src.label, seq);
		return -1;
	}
	if (!status_parse(&s->st, x->p, x->len, e2, sizeof(e2)))
		return 0;
	snprintf(err, errlen, "%.2000s: dump %llu status: %s", s->src.label, seq, e2);
	return -1;
}

/* A table the dump does not hold, or holds malformed, is not available; a format not known fails. */
static int dump_table(struct snap *s, struct table *t, const struct dump_text *x, FILE *warn,
		      char *err, size_t errlen)
{
	const struct tabdef *def = t->def;
	unsigned long long seq = s->dump.seq;
	char e2[OT_ERRLEN];
	int r;

	if (!x->len)
		return 0;
	r = table_parse(t, def, x->p, x->len, e2, sizeof(e2));
	if (r == OT_EFORMAT) {
		snprintf(err, errlen, "%.2000s: dump %llu %s: %s", s->src.label, seq, def->name, e2);
		return -1;
	}
	if (r && warn)
		fprintf(warn, "oomtrace: warning: %s: dump %llu %s: %s (ignored)\n", s->src.label, seq,
			def->name, e2);
	return 0;
}

static int dump_tables(struct snap *s, const struct dump *d, FILE *warn, char *err,
		       size_t errlen)
{
	return dump_table(s, &s->modules, &d->file[DF_MODULES], warn, err, errlen) ||
	       dump_table(s, &s->slabs, &d->file[DF_SLABS], warn, err, errlen) ||
	       dump_table(s, &s->modslabs, &d->file[DF_MODSLABS], warn, err, errlen) ||
	       dump_table(s, &s->callsites, &d->file[DF_CALLSITES], warn, err, errlen) ? -1 : 0;
}

/* The events, or why there are none: the ring was busy, the part is missing or malformed. */
static int dump_events(struct snap *s, const struct dump *d, char *err, size_t errlen)
{
	const struct dump_text *x = &d->file[DF_EVENTS];
	unsigned long long seq = d->info.seq;
	char e2[OT_ERRLEN];
	int r;

	if (d->info.events_busy) {
		snprintf(s->events_err, sizeof(s->events_err),
			 "dump %llu has no events: the event ring was busy when it was written ('# events busy')",
			 seq);
		return 0;
	}
	if (!x->len) {
		snprintf(s->events_err, sizeof(s->events_err), "dump %llu has no events lines", seq);
		return 0;
	}
	r = events_parse(&s->ev, x->p, x->len, e2, sizeof(e2));
	if (r == OT_EFORMAT) {
		snprintf(err, errlen, "%.2000s: dump %llu events: %s", s->src.label, seq, e2);
		return -1;
	}
	if (r)
		snprintf(s->events_err, sizeof(s->events_err), "dump %llu events: %.300s", seq, e2);
	return 0;
}

/*
 * The dump's few /proc/meminfo lines. They have no Slab: /proc/meminfo
 * prints it as SReclaimable + SUnreclaim, and so is it added here.
 */
static void dump_meminfo(struct snap *s, const struct dump *d)
{
	const struct dump_text *x = &d->file[DF_MEMINFO];
	uint64_t r, u;
	int fr, fu, fs;
	size_t n;
	char *buf;

	if (!x->len || meminfo_parse(&s->mi, x->p, x->len))
		return;
	r = meminfo_kb(&s->mi, "SReclaimable", &fr);
	u = meminfo_kb(&s->mi, "SUnreclaim", &fu);
	meminfo_kb(&s->mi, "Slab", &fs);
	if (fs || !fr || !fu || r > UINT64_MAX - u || !(buf = malloc(x->len + 64)))
		return;
	n = x->len + (size_t)snprintf(buf + x->len, 64, "Slab: %llu kB\n",
				      (unsigned long long)(r + u));
	memcpy(buf, x->p, x->len);
	meminfo_free(&s->mi);
	meminfo_parse(&s->mi, buf, n);
	free(buf);
}

int snap_from_dump(struct snap *s, const struct dump *d, const char *label, FILE *warn,
		   char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->slabs.def = &tab_slabs;
	s->modules.def = &tab_modules;
	s->callsites.def = &tab_callsites;
	s->modslabs.def = &tab_modslabs;
	s->slabinfo.def = &tab_slabinfo;
	snprintf(s->src.label, sizeof(s->src.label), "%s", label);
	snprintf(s->src.oomdir, sizeof(s->src.oomdir), "%s", label);
	s->src.dump = 1;
	if (no_dump(d, s->src.label, err, errlen))
		return -1;
	s->dump = d->info;
	if (dump_status(s, d, err, errlen) || dump_tables(s, d, warn, err, errlen) ||
	    dump_events(s, d, err, errlen)) {
		snap_free(s);
		return -1;
	}
	dump_meminfo(s, d);
	return 0;
}

int snap_load_dump(struct snap *s, const char *path, char *err, size_t errlen)
{
	const char *label = strcmp(path, "-") ? path : "(standard input)";
	struct dump d;
	int r;

	memset(s, 0, sizeof(*s));
	memset(&d, 0, sizeof(d));
	r = scan_log(path, label, &d, err, errlen);
	if (!r)
		r = snap_from_dump(s, &d, label, stderr, err, errlen);
	dump_free(&d);
	return r;
}
