// SPDX-License-Identifier: GPL-2.0
/*
 * dump.c - the oomtrace dump in a kernel log. Every line holding
 * "oomtrace: dump SEQ WHAT TEXT", wherever that starts (after dmesg's
 * stamp, dmesg -r's <4>, journald's "host kernel: ", a serial console's
 * escapes, makedumpfile's or crash's prefixes), goes to the dump SEQ it
 * belongs to; other lines are skipped. A dump whose end line counts exactly
 * the lines seen since its begin line is complete; the last complete one
 * is kept, with the files it holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "lex.h"

#define MARK "oomtrace: dump "

const char *const dump_files[DF_NFILES] = { "status", "meminfo", "modules", "slabs",
	"module_slabs", "callsites", "events" };

/* A dump begun (or whose lines came without a begin line) and not ended yet. */
struct open_dump {
	int used, has_begin;
	int bad;		/* b.flaw is set: its text is dropped */
	struct dump_bad b;
	int format;
	char reason[DUMP_REASON];
	uint64_t rows;
	int64_t ns;		/* end's ns=, -1 when it has none */
	struct dump_text file[DF_NFILES];
	size_t bytes;
};

struct dump_scan {
	char *line;		/* the log line being read: DUMP_MAX_LINE bytes and a NUL */
	size_t len;
	int over;		/* the line is longer: the rest was dropped */
	uint64_t lineno, nul, ctl, bytes;
	struct open_dump open[DUMP_MAX_OPEN];
	struct dump best;	/* the last complete dump, and the counts of the log */
	int oom;
};

static void text_free(struct dump_text *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(t[i].p);
		memset(&t[i], 0, sizeof(t[i]));
	}
}

void dump_free(struct dump *d)
{
	text_free(d->file, DF_NFILES);
	memset(d, 0, sizeof(*d));
}

/* A line (n bytes, no newline) at the end of t, with its '\n'. 0, or -1 out of memory. */
static int text_add(struct dump_text *t, const char *s, size_t n)
{
	if (t->len + n + 2 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		char *p;

		while (cap < t->len + n + 2)
			cap *= 2;
		p = realloc(t->p, cap);
		if (!p)
			return -1;
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len++] = '\n';
	t->p[t->len] = 0;
	return 0;
}

/* ---- the dumps open ---- */

/* An incomplete dump: counted, and described when it comes after the chosen one. */
static void note_bad(struct dump_scan *sc, const struct dump_bad *b)
{
	struct dump_info *in = &sc->best.info;

	in->nbad++;
	in->last_bad = *b;
	if (!sc->best.found || b->at <= in->begin_at)
		return;
	if (in->nnewer < DUMP_MAX_NOTES)
		in->newer[in->nnewer++] = *b;
	else
		in->newer_more++;
}

/* The first flaw found is the one told; the text is of no use any more. */
static void set_flaw(struct open_dump *od, enum dump_flaw f)
{
	if (od->bad)
		return;
	od->bad = 1;
	od->b.flaw = f;
	text_free(od->file, DF_NFILES);
	od->bytes = 0;
}

static void close_bad(struct dump_scan *sc, struct open_dump *od, enum dump_flaw f)
{
	set_flaw(od, f);
	note_bad(sc, &od->b);
	memset(od, 0, sizeof(*od));
}

/* A dump that will not see its end line (the log stops, a new boot, a new begin). */
static void close_cut(struct dump_scan *sc, struct open_dump *od)
{
	close_bad(sc, od, od->has_begin ? DUMP_CUT : DUMP_NO_BEGIN);
}

static void close_all(struct dump_scan *sc)
{
	size_t i;

	for (i = 0; i < DUMP_MAX_OPEN; i++)
		if (sc->open[i].used)
			close_cut(sc, &sc->open[i]);
}

static struct open_dump *find_open(struct dump_scan *sc, uint64_t seq)
{
	size_t i;

	for (i = 0; i < DUMP_MAX_OPEN; i++)
		if (sc->open[i].used && sc->open[i].b.seq == seq)
			return &sc->open[i];
	return NULL;
}

/*
 * A slot for dump seq starting at this line. When all are used, a dump
 * without a begin line (never complete) gives its slot first, then, for a
 * begin line, the oldest begun dump. NULL: the line is not followed.
 */
static struct open_dump *new_open(struct dump_scan *sc, uint64_t seq, int begun)
{
	struct open_dump *od = NULL, *o;
	size_t i;

	for (i = 0; i < DUMP_MAX_OPEN && !od; i++)
		if (!sc->open[i].used)
			od = &sc->open[i];
	for (i = 0; i < DUMP_MAX_OPEN && !od; i++) {
		o = &sc->open[i];
		if (!o->has_begin && (!od || o->b.at < od->b.at))
			od = o;
	}
	for (i = 0; i < DUMP_MAX_OPEN && begun && !od; i++) {
		o = &sc->open[i];
		if (!od || o->b.at < od->b.at)
			od = o;
	}
	if (!od)
		return NULL;
	if (od->used)
		close_cut(sc, od);
	od->used = 1;
	od->has_begin = begun;
	od->b.seq = seq;
	od->b.at = sc->lineno;
	od->format = -1;
	return od;
}

/* The dump's end line counted its lines right: it becomes the chosen one. */
static void complete(struct dump_scan *sc, struct open_dump *od)
{
	struct dump_info *in = &sc->best.info;

	text_free(sc->best.file, DF_NFILES);
	memcpy(sc->best.file, od->file, sizeof(sc->best.file));
	sc->best.found = 1;
	in->seq = od->b.seq;
	in->format = od->format;
	memcpy(in->reason, od->reason, sizeof(in->reason));
	in->rows = od->rows;
	in->lines = od->b.lines;
	in->ns = od->ns;
	in->begin_at = od->b.at;
	in->end_at = sc->lineno;
	in->ncomplete++;
	in->nnewer = 0;		/* the incomplete dumps told are those after this one */
	in->newer_more = 0;
	memset(od, 0, sizeof(*od));
}

/* ---- the lines of a dump ---- */

/* "format=1 reason=panic rows=10" (other keys are ignored). */
static void begin_fields(struct open_dump *od, char *text)
{
	char *f[OT_MAX_FIELDS];
	int n = split(text, f, OT_MAX_FIELDS), i;

	for (i = 0; i < n; i++) {
		const char *v;
		uint64_t u;

		if ((v = kv_value(f[i], "format")))
			od->format = !parse_u64(v, &u) && u <= 0x7fffffff ? (int)u : -1;
		else if ((v = kv_value(f[i], "reason")))
			snprintf(od->reason, sizeof(od->reason), "%.31s", v);
		else if ((v = kv_value(f[i], "rows")) && !parse_u64(v, &u))
			od->rows = u;
	}
}

static void begin_line(struct dump_scan *sc, uint64_t seq, char *text, int over)
{
	struct open_dump *od = find_open(sc, seq);

	if (od)
		close_cut(sc, od);	/* the same SEQ again: a reload or a reboot */
	od = new_open(sc, seq, 1);
	begin_fields(od, text);
	if (over)
		set_flaw(od, DUMP_LONG);
}

/* A line of a file: counted; kept when its dump is begun and sound and the file known. */
static void body_line(struct dump_scan *sc, uint64_t seq, const char *what, const char *text,
		      int over)
{
	struct open_dump *od = find_open(sc, seq);
	size_t n = strlen(text);
	int f;

	if (!od && !(od = new_open(sc, seq, 0)))
		return;
	od->b.seen++;
	if (over)
		set_flaw(od, DUMP_LONG);
	if (od->bad || !od->has_begin)
		return;
	for (f = 0; f < DF_NFILES && strcmp(what, dump_files[f]); f++)
		;
	if (f == DF_NFILES)
		return;		/* a file this tool does not know: counted, not kept */
	if (od->bytes + n + 1 > DUMP_MAX_BYTES) {
		set_flaw(od, DUMP_BIG);
		return;
	}
	if (text_add(&od->file[f], text, n))
		sc->oom = 1;
	od->bytes += n + 1;
}

static void end_line(struct dump_scan *sc, uint64_t seq, char *text, int over)
{
	struct open_dump *od = find_open(sc, seq);
	char *f[OT_MAX_FIELDS];
	int n = split(text, f, OT_MAX_FIELDS), i, ok = 0;
	uint64_t lines = 0, ns;
	int64_t took = -1;
	const char *v;

	for (i = 0; i < n; i++) {
		if ((v = kv_value(f[i], "lines")))
			ok = !parse_u64(v, &lines);
		else if ((v = kv_value(f[i], "ns")) && !parse_u64(v, &ns) && ns <= INT64_MAX)
			took = (int64_t)ns;
	}
	if (!od && !(od = new_open(sc, seq, 0))) {
		struct dump_bad b = { seq, 0, lines, sc->lineno, ok, DUMP_NO_BEGIN };

		note_bad(sc, &b);	/* an end alone, not followed: the rest was lost */
		return;
	}
	if (over)
		set_flaw(od, DUMP_LONG);
	od->b.has_end = ok;
	od->b.lines = lines;
	od->ns = took;
	if (od->bad)
		close_bad(sc, od, od->b.flaw);
	else if (!od->has_begin)
		close_bad(sc, od, DUMP_NO_BEGIN);
	else if (!ok || lines != od->b.seen)
		close_bad(sc, od, DUMP_COUNT);
	else
		complete(sc, od);
}

/* ---- the log's lines ---- */

/* NUL bytes become spaces, carriage returns (serial consoles) go. */
static void clean_line(char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] != '\r')
			s[k++] = s[i] ? s[i] : ' ';
	s[k] = 0;
}

/* ANSI escape sequences (ESC [ ... final) a serial console left at the end of a line. */
static void strip_escapes(char *s)
{
	char *e, *p;

	while ((e = strrchr(s, '\033'))) {
		p = e + 1;
		if (*p++ != '[')
			return;
		while (*p >= 0x20 && *p <= 0x3f)
			p++;
		if (*p < 0x40 || *p > 0x7e || p[1])
			return;
		*e = 0;
	}
}

/* "SEQ WHAT[ TEXT]" after the mark, split in place. 0, or -1: not a dump line. */
static int dump_fields(char *p, uint64_t *seq, char **what, char **text)
{
	char *q = p;

	while (*q >= '0' && *q <= '9')
		q++;
	if (*q != ' ')
		return -1;
	*q++ = 0;
	if (parse_u64(p, seq))
		return -1;
	*what = q;
	while (*q && *q != ' ')
		q++;
	if (q == *what)
		return -1;
	if (*q)
		*q++ = 0;
	*text = q;
	return 0;
}

static void log_line(struct dump_scan *sc)
{
	char *m, *what, *text;
	uint64_t seq;

	sc->lineno++;
	sc->line[sc->len] = 0;
	clean_line(sc->line, sc->len);
	m = strstr(sc->line, MARK);
	if (!m) {
		if (strstr(sc->line, "Linux version "))
			close_all(sc);	/* a new boot: what was open will never end */
		return;
	}
	if (dump_fields(m + strlen(MARK), &seq, &what, &text))
		return;
	strip_escapes(text);
	if (!strcmp(what, "begin"))
		begin_line(sc, seq, text, sc->over);
	else if (!strcmp(what, "end"))
		end_line(sc, seq, text, sc->over);
	else
		body_line(sc, seq, what, text, sc->over);
}

/* ---- streaming ---- */

struct dump_scan *dump_scan_new(void)
{
	struct dump_scan *sc = calloc(1, sizeof(*sc));

	if (sc && !(sc->line = malloc(DUMP_MAX_LINE + 1))) {
		free(sc);
		return NULL;
	}
	return sc;
}

void dump_scan_free(struct dump_scan *sc)
{
	size_t i;

	if (!sc)
		return;
	for (i = 0; i < DUMP_MAX_OPEN; i++)
		text_free(sc->open[i].file, DF_NFILES);
	dump_free(&sc->best);
	free(sc->line);
	free(sc);
}

/* NUL and other control bytes than a text has: binary input. */
static void count_bytes(struct dump_scan *sc, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!p[i])
			sc->nul++;
		else if ((p[i] < 0x20 && !strchr("\t\n\r\033\f", p[i])) || p[i] == 0x7f)
			sc->ctl++;
	}
	sc->bytes += n;
}

int dump_scan_feed(struct dump_scan *sc, const char *data, size_t len)
{
	count_bytes(sc, (const unsigned char *)data, len);
	while (len && !sc->oom) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) : len;
		size_t room = DUMP_MAX_LINE - sc->len, k = n < room ? n : room;

		if (n > room)
			sc->over = 1;
		memcpy(sc->line + sc->len, data, k);
		sc->len += k;
		if (!nl)
			break;
		log_line(sc);
		sc->len = 0;
		sc->over = 0;
		data += n + 1;
		len -= n + 1;
	}
	return sc->oom ? -1 : 0;
}

/* ---- what the chosen dump holds ---- */

/* The next line of a dump text (without its '\n'), NULL at the end. */
static const char *next_text_line(const char **p, const char *end, size_t *n)
{
	const char *s = *p, *nl;

	if (!s || s >= end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(end - s));
	*n = nl ? (size_t)(nl - s) : (size_t)(end - s);
	*p = s + *n + 1;
	return s;
}

/* "# rows=SHOWN of=TOTAL": 1 with the total, else 0. */
static int rows_line(const char *s, size_t n, uint64_t *total)
{
	char buf[128], *f[4];
	const char *v;
	int k, i, shown = 0, of = 0;
	uint64_t u;

	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	k = split(buf, f, 4);
	if (k != 3 || strcmp(f[0], "#"))
		return 0;
	for (i = 1; i < 3; i++) {
		if ((v = kv_value(f[i], "rows")))
			shown = !parse_u64(v, &u);
		else if ((v = kv_value(f[i], "of")) && !parse_u64(v, total))
			of = 1;
	}
	return shown && of;
}

/* A table's rows kept, and its total when the header says it was cut. */
static void table_rows(const struct dump_text *t, struct dump_rows *r)
{
	const char *p = t->p, *end = t->p ? t->p + t->len : NULL, *s;
	size_t n, i;
	int data = 0;

	memset(r, 0, sizeof(*r));
	while ((s = next_text_line(&p, end, &n))) {
		for (i = 0; i < n && is_ws(s[i]); i++)
			;
		if (i == n)
			continue;
		if (s[0] != '#')
			data = 1, r->kept++;
		else if (!data && !r->cut)
			r->cut = rows_line(s, n, &r->total);
	}
	if (!r->cut)
		r->total = r->kept;
}

/* The events part says "# events busy" (the ring's lock was held). */
static int events_busy(const struct dump_text *t)
{
	const char *p = t->p, *end = t->p ? t->p + t->len : NULL, *s;
	size_t n;

	while ((s = next_text_line(&p, end, &n))) {
		while (n && is_ws(s[n - 1]))
			n--;
		if (n == 13 && !memcmp(s, "# events busy", 13))
			return 1;
	}
	return 0;
}

int dump_scan_end(struct dump_scan *sc, struct dump *d)
{
	struct dump_info *in = &sc->best.info;
	int f;

	if (sc->len || sc->over)	/* the last line has no newline */
		log_line(sc);
	sc->len = 0;
	sc->over = 0;
	close_all(sc);
	in->input_lines = sc->lineno;
	in->binary = sc->nul || sc->ctl * 16 > sc->bytes;
	for (f = DF_MODULES; sc->best.found && f <= DF_CALLSITES; f++)
		table_rows(&sc->best.file[f], &in->tab[f]);
	in->events_busy = sc->best.found && events_busy(&sc->best.file[DF_EVENTS]);
	*d = sc->best;
	memset(&sc->best, 0, sizeof(sc->best));
	return sc->oom ? -1 : 0;
}

/* ---- words ---- */

void dump_bad_text(char *buf, size_t len, const struct dump_bad *b)
{
	unsigned long long seq = b->seq, seen = b->seen, lines = b->lines;

	switch (b->flaw) {
	case DUMP_CUT:
		snprintf(buf, len, "dump %llu is truncated (%llu line%s, no end line)", seq, seen,
			 seen == 1 ? "" : "s");
		break;
	case DUMP_NO_BEGIN:
		if (b->has_end)
			snprintf(buf, len, "dump %llu is truncated (no begin line; %llu of %llu lines)",
				 seq, seen, lines);
		else
			snprintf(buf, len, "dump %llu is truncated (no begin line, no end line; %llu line%s)",
				 seq, seen, seen == 1 ? "" : "s");
		break;
	case DUMP_COUNT:
		if (!b->has_end)
			snprintf(buf, len, "dump %llu is damaged (%llu lines; its end line has no lines=N)",
				 seq, seen);
		else if (seen < lines)
			snprintf(buf, len, "dump %llu is truncated (%llu of %llu lines)", seq, seen, lines);
		else
			snprintf(buf, len, "dump %llu is damaged (%llu lines where its end line says %llu)",
				 seq, seen, lines);
		break;
	case DUMP_LONG:
		snprintf(buf, len, "dump %llu is damaged (a line longer than %d bytes)", seq,
			 DUMP_MAX_LINE);
		break;
	default:
		snprintf(buf, len, "dump %llu is too large (more than %u MiB)", seq, DUMP_MAX_BYTES >> 20);
		break;
	}
}

const char *dump_flaw_name(enum dump_flaw f)
{
	static const char *const names[] = { "cut", "no_begin", "count", "long_line", "too_large" };

	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}
