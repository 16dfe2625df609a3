// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - bounded parsers for the oomtrace file formats (docs/format.md),
 * /proc/meminfo and /proc/vmallocinfo. Nothing here prints: errors go to the
 * caller's buffer, malformed rows are skipped and counted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "parse.h"

#define G(n) "gauge", n
#define C(n) "counter", n

static const struct coldef slabs_cols[] = {
	{ "cache", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "objsize", COL_NUM, 0, 0, "oomtrace_cache_object_size_bytes",
	  G("Object size of the slab cache (0 for kmalloc-large).") },
	{ "allocs", COL_NUM, 0, 0, "oomtrace_cache_allocs_total",
	  C("Allocations seen in the cache since load or the last reset.") },
	{ "frees", COL_NUM, 0, 0, "oomtrace_cache_frees_total",
	  C("Frees seen in the cache since load or the last reset.") },
	{ "live", COL_NUM, 0, 0, "oomtrace_cache_live_objects",
	  G("Objects allocated from the cache and not yet freed.") },
	{ "live_bytes", COL_BYTES, 0, 0, "oomtrace_cache_live_bytes",
	  G("Bytes allocated from the cache and not yet freed.") },
	{ "peak_bytes", COL_BYTES, 0, 0, "oomtrace_cache_peak_bytes",
	  G("Highest live bytes seen at a sample point.") },
	{ "top_module", COL_STR, 0, 0, NULL, NULL, NULL },
};

static const struct coldef modules_cols[] = {
	{ "module", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "state", COL_STR, 0, 0, NULL, NULL, NULL },
	{ "allocs", COL_NUM, 0, 0, "oomtrace_module_allocs_total",
	  C("Allocations owned by the module since load or the last reset.") },
	{ "frees", COL_NUM, 0, 0, "oomtrace_module_frees_total",
	  C("Frees of the module's allocations since load or the last reset.") },
	{ "live", COL_NUM, 0, 0, "oomtrace_module_live_objects",
	  G("Objects owned by the module and not yet freed.") },
	{ "live_bytes", COL_BYTES, 0, 0, "oomtrace_module_live_bytes",
	  G("Bytes owned by the module and not yet freed.") },
	{ "slab_bytes", COL_BYTES, 0, 0, "oomtrace_module_slab_bytes",
	  G("Live bytes of the module in slab caches.") },
	{ "page_bytes", COL_BYTES, 0, 0, "oomtrace_module_page_bytes",
	  G("Live bytes of the module from the page allocator.") },
	{ "peak_bytes", COL_BYTES, 0, 0, "oomtrace_module_peak_bytes",
	  G("Highest live bytes of the module seen at a sample point.") },
	{ "vmalloc_bytes", COL_BYTES, 1, 0, "oomtrace_module_vmalloc_bytes",
	  G("Bytes of vmalloc memory allocated by the module (/proc/vmallocinfo pages=).") },
};

static const struct coldef callsites_cols[] = {
	{ "callsite", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "module", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "allocs", COL_NUM, 0, 0, "oomtrace_callsite_allocs_total",
	  C("Allocations made at the call site since load or the last reset.") },
	{ "frees", COL_NUM, 0, 0, "oomtrace_callsite_frees_total",
	  C("Frees of allocations made at the call site.") },
	{ "live", COL_NUM, 0, 0, "oomtrace_callsite_live_objects",
	  G("Objects allocated at the call site and not yet freed.") },
	{ "live_bytes", COL_BYTES, 0, 0, "oomtrace_callsite_live_bytes",
	  G("Bytes allocated at the call site and not yet freed.") },
};

static const struct coldef modslabs_cols[] = {
	{ "module", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "cache", COL_STR, 0, 1, NULL, NULL, NULL },
	{ "live", COL_NUM, 0, 0, "oomtrace_module_cache_live_objects",
	  G("Objects owned by the module in the slab cache.") },
	{ "live_bytes", COL_BYTES, 0, 0, "oomtrace_module_cache_live_bytes",
	  G("Bytes owned by the module in the slab cache.") },
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))
const struct tabdef tab_slabs = { "slabs", slabs_cols, NCOLS(slabs_cols), "cache" };
const struct tabdef tab_modules = { "modules", modules_cols, NCOLS(modules_cols), "module" };
const struct tabdef tab_callsites = { "callsites", callsites_cols, NCOLS(callsites_cols),
	"callsite" };
const struct tabdef tab_modslabs = { "module_slabs", modslabs_cols, NCOLS(modslabs_cols),
	"module" };

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_value(const char *s, uint64_t *out)
{
	if (s && s[0] == '-') {
		uint64_t v;

		if (parse_u64(s + 1, &v))
			return -1;
		*out = 0;
		return 0;
	}
	return parse_u64(s, out);
}

int parse_s64(const char *s, int64_t *out)
{
	uint64_t v;
	int neg = 0;

	if (!s)
		return -1;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (parse_u64(s, &v))
		return -1;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

/* Owned, NUL-terminated copy; embedded NUL bytes become spaces. */
static char *own_copy(const char *data, size_t len)
{
	char *b;
	size_t i;

	if (len > SIZE_MAX - 1)
		return NULL;
	b = malloc(len + 1);
	if (!b)
		return NULL;
	if (len)
		memcpy(b, data, len);
	b[len] = 0;
	for (i = 0; i < len; i++)
		if (!b[i])
			b[i] = ' ';
	return b;
}

struct lines {
	char *p, *end;
};

/* Next line, NUL-terminated in place, without '\r'; *term: ended by '\n'. */
static char *next_line(struct lines *L, size_t *len, int *term)
{
	char *p = L->p, *nl, *e;

	if (p >= L->end)
		return NULL;
	nl = memchr(p, '\n', (size_t)(L->end - p));
	e = nl ? nl : L->end;
	*e = 0;
	L->p = nl ? nl + 1 : L->end;
	*term = nl != NULL;
	if (e > p && e[-1] == '\r')
		*--e = 0;
	*len = (size_t)(e - p);
	return p;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Split in place on white space; at most max fields (the rest is ignored). */
static int split(char *s, char **f, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (is_ws(*s))
			s++;
		if (!*s)
			break;
		f[n++] = s;
		while (*s && !is_ws(*s))
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

static const char *kv_value(const char *tok, const char *key)
{
	size_t n = strlen(key);

	if (!strncmp(tok, key, n) && tok[n] == '=')
		return tok + n + 1;
	return NULL;
}

/*
 * "# oomtrace NAME format=N [mode=M] ..." -> 0, or -1 with a message.
 * Refuses formats other than OT_FORMAT.
 */
static int parse_banner(char *line, const char *want, int *format, char *mode,
			size_t modelen, char *err, size_t errlen)
{
	char *f[OT_MAX_FIELDS];
	int n, i, have_format = 0;

	n = split(line + 1, f, OT_MAX_FIELDS);
	if (n < 2 || strcmp(f[0], "oomtrace")) {
		seterr(err, errlen, "not an oomtrace %s file (first line is not '# oomtrace %s format=%d')",
		       want, want, OT_FORMAT);
		return -1;
	}
	if (strcmp(f[1], want)) {
		seterr(err, errlen, "expected the oomtrace '%s' file, found '%.64s'", want, f[1]);
		return -1;
	}
	for (i = 2; i < n; i++) {
		const char *v;
		uint64_t u;

		if ((v = kv_value(f[i], "format"))) {
			if (parse_u64(v, &u) || u != OT_FORMAT) {
				seterr(err, errlen,
				       "unsupported %s format '%.32s': this oomtrace understands format=%d only (upgrade the tool)",
				       want, v, OT_FORMAT);
				return OT_EFORMAT;
			}
			*format = (int)u;
			have_format = 1;
		} else if ((v = kv_value(f[i], "mode")) && mode) {
			snprintf(mode, modelen, "%s", v);
		}
	}
	if (!have_format) {
		seterr(err, errlen, "no format= in the %s header line", want);
		return -1;
	}
	return 0;
}

int table_col(const struct tabdef *def, const char *name)
{
	int i;

	for (i = 0; i < def->ncols; i++)
		if (!strcmp(def->cols[i].name, name))
			return i;
	return -1;
}

void table_free(struct table *t)
{
	free(t->buf);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static int map_columns(struct table *t, char *colline, int *colidx, int *need,
		       char *err, size_t errlen)
{
	char *f[OT_MAX_FIELDS];
	int n, i, j;

	n = split(colline + 1, f, OT_MAX_FIELDS);
	if (n < 1) {
		seterr(err, errlen, "%s: empty column header line", t->def->name);
		return -1;
	}
	*need = 1;
	t->missing_cols = 0;
	for (i = 0; i < t->def->ncols; i++) {
		colidx[i] = -1;
		if (t->def->cols[i].computed) {
			t->absent |= 1u << i;
			continue;
		}
		if (i == 0) {
			colidx[0] = 0;	/* the first field is always the name */
			continue;
		}
		for (j = 1; j < n; j++) {
			if (!strcmp(f[j], t->def->cols[i].name)) {
				colidx[i] = j;
				break;
			}
		}
		if (colidx[i] < 0) {
			t->missing_cols++;
			t->absent |= 1u << i;
		}
		else if (colidx[i] + 1 > *need)
			*need = colidx[i] + 1;
	}
	return 0;
}

int table_parse(struct table *t, const struct tabdef *def, const char *data,
		size_t len, char *err, size_t errlen)
{
	struct lines L;
	char *line, *colline = NULL;
	int nhash = 0, mapped = 0, need = 1, term;
	int colidx[OT_MAX_COLS], rc = -1;
	size_t llen;

	memset(t, 0, sizeof(*t));
	t->def = def;
	snprintf(t->mode, sizeof(t->mode), "-");
	t->buf = own_copy(data, len);
	if (!t->buf) {
		seterr(err, errlen, "%s: out of memory", def->name);
		return -1;
	}
	L.p = t->buf;
	L.end = t->buf + len;
	while ((line = next_line(&L, &llen, &term))) {
		char *f[OT_MAX_FIELDS];
		struct row *r;
		int n, i, g, bad = 0;

		if (line[0] == '#') {
			if (mapped)
				continue;	/* comments after the data */
			if (!nhash++) {
				rc = parse_banner(line, def->name, &t->format, t->mode,
						  sizeof(t->mode), err, errlen);
				if (rc)
					goto fail;
			} else {
				colline = line;
			}
			continue;
		}
		if (!nhash) {
			seterr(err, errlen, "not an oomtrace %s file (no '# oomtrace %s format=%d' line)",
			       def->name, def->name, OT_FORMAT);
			goto fail;
		}
		if (llen > OT_MAX_LINE || !term) {
			t->bad++;	/* overlong, or cut off by a truncation */
			continue;
		}
		n = split(line, f, OT_MAX_FIELDS);
		if (!n)
			continue;
		if (!mapped) {
			if (!colline) {
				seterr(err, errlen, "%s: no column header line before the data",
				       def->name);
				goto fail;
			}
			if (map_columns(t, colline, colidx, &need, err, errlen))
				goto fail;
			mapped = 1;
		}
		if (n < need) {
			t->bad++;
			continue;
		}
		g = array_grow(&t->rows, &t->cap, t->nrows, sizeof(*t->rows), 64, OT_MAX_ROWS);
		if (g > 0) {
			t->bad++;
			continue;
		}
		if (g < 0) {
			seterr(err, errlen, "%s: out of memory", def->name);
			goto fail;
		}
		r = &t->rows[t->nrows];
		for (i = 0; i < def->ncols; i++) {
			r->v[i] = 0;
			r->s[i] = colidx[i] >= 0 ? f[colidx[i]] : "-";
			if (colidx[i] < 0 || def->cols[i].type == COL_STR)
				continue;
			if (parse_value(r->s[i], &r->v[i]))
				bad = 1;
		}
		if (bad) {
			t->bad++;
			continue;
		}
		t->nrows++;
	}
	if (!nhash) {
		seterr(err, errlen, "empty file (no '# oomtrace %s format=%d' line)", def->name,
		       OT_FORMAT);
		goto fail;
	}
	if (!mapped) {	/* no rows: computed columns are still absent */
		for (int i = 0; i < def->ncols; i++)
			if (def->cols[i].computed)
				t->absent |= 1u << i;
	}
	t->present = 1;
	return 0;
fail:
	table_free(t);
	t->def = def;
	return rc ? rc : -1;
}

/* ---- status ---- */

void status_free(struct status *st)
{
	free(st->buf);
	free(st->kv);
	memset(st, 0, sizeof(*st));
}

const char *status_get(const struct status *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->kv[i].key, key))
			return st->kv[i].val;
	return NULL;
}

uint64_t status_u64(const struct status *st, const char *key)
{
	const char *v = status_get(st, key);
	uint64_t u;

	if (!v || parse_u64(v, &u))
		return 0;
	return u;
}

/* "key: value" lines into kv (max OT_MAX_KV). Returns malformed line count. */
static size_t parse_kv_lines(char *buf, size_t len, struct kv *kv, size_t *n)
{
	struct lines L = { buf, buf + len };
	char *line;
	size_t llen, bad = 0;
	int term;

	*n = 0;
	while ((line = next_line(&L, &llen, &term))) {
		char *c, *k, *v, *e;

		k = line;
		while (is_ws(*k))
			k++;
		if (!*k)
			continue;
		if (!term || llen > OT_MAX_LINE || !(c = strchr(k, ':'))) {
			bad++;
			continue;
		}
		for (e = k; e < c; e++)
			if (is_ws(*e))
				break;
		if (e == k || (e != c && strspn(e, " \t") != (size_t)(c - e))) {
			bad++;
			continue;
		}
		*e = 0;
		*c = 0;
		v = c + 1;
		while (is_ws(*v))
			v++;
		e = v + strlen(v);
		while (e > v && is_ws(e[-1]))
			*--e = 0;
		if (*n >= OT_MAX_KV) {
			bad++;
			continue;
		}
		kv[*n].key = k;
		kv[*n].val = v;
		(*n)++;
	}
	return bad;
}

int status_parse(struct status *st, const char *data, size_t len, char *err,
		 size_t errlen)
{
	const char *f;
	uint64_t u;

	memset(st, 0, sizeof(*st));
	st->buf = own_copy(data, len);
	st->kv = calloc(OT_MAX_KV, sizeof(*st->kv));
	if (!st->buf || !st->kv) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	st->bad = parse_kv_lines(st->buf, len, st->kv, &st->n);
	f = status_get(st, "format");
	if (!f) {
		seterr(err, errlen, st->n ? "no 'format:' line (truncated file?)"
			      : "empty or not an oomtrace status file");
		goto fail;
	}
	if (parse_u64(f, &u) || u != OT_FORMAT) {
		seterr(err, errlen,
		       "unsupported format '%.32s': this oomtrace understands format %d only (upgrade the tool)",
		       f, OT_FORMAT);
		status_free(st);
		return OT_EFORMAT;
	}
	st->format = (int)u;
	st->present = 1;
	return 0;
fail:
	status_free(st);
	return -1;
}

/* ---- events ---- */

void events_free(struct events *ev)
{
	size_t i;

	for (i = 0; i < ev->n; i++) {
		free(ev->ev[i].mods);
		free(ev->ev[i].caches);
	}
	free(ev->ev);
	free(ev->buf);
	memset(ev, 0, sizeof(*ev));
}

/* key=N, or key=- (unknown): sets the EV_* bit when known. */
static void u64_field(const char *tok, const char *key, uint64_t *out, unsigned *known,
		      unsigned bit, int *bad)
{
	const char *v = kv_value(tok, key);

	if (!v)
		return;
	if (!strcmp(v, "-"))
		return;
	if (parse_value(v, out))
		*bad = 1;
	else if (known)
		*known |= bit;
}

static void s64_field(const char *tok, const char *key, int64_t *out, unsigned *known,
		      unsigned bit, int *bad)
{
	const char *v = kv_value(tok, key);

	if (!v || !strcmp(v, "-"))
		return;
	if (parse_s64(v, out))
		*bad = 1;
	else
		*known |= bit;
}

static double parse_time(const char *s)
{
	double v = 0, scale = 0.1;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			v += (*s - '0') * scale;
	return v;
}

static int add_entry(struct ev_entry **arr, size_t *n, size_t *cap,
		     const struct ev_entry *e)
{
	int r = array_grow(arr, cap, *n, sizeof(**arr), 8, OT_MAX_ENTRIES);

	if (r)
		return r;
	(*arr)[(*n)++] = *e;
	return 0;
}

int events_parse(struct events *ev, const char *data, size_t len, char *err,
		 size_t errlen)
{
	struct lines L;
	char *line;
	size_t llen;
	int term, banner = 0, rc = -1;

	memset(ev, 0, sizeof(*ev));
	ev->buf = own_copy(data, len);
	if (!ev->buf) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	L.p = ev->buf;
	L.end = ev->buf + len;
	while ((line = next_line(&L, &llen, &term))) {
		char *f[OT_MAX_FIELDS];
		int n, i, bad = 0;

		if (!banner) {
			char *s = line;

			while (is_ws(*s))
				s++;
			if (!*s)
				continue;
			if (*s != '#') {
				seterr(err, errlen, "not an oomtrace events file (no '# oomtrace events format=%d' line)",
				       OT_FORMAT);
				goto fail;
			}
			rc = parse_banner(s, "events", &ev->format, NULL, 0, err, errlen);
			if (rc)
				goto fail;
			banner = 1;
			continue;
		}
		if (line[0] == '#') {
			/* "# max_events=64 events=N dropped_events=M" */
			if (!term || llen > OT_MAX_LINE)
				continue;
			n = split(line + 1, f, OT_MAX_FIELDS);
			for (i = 0; i < n; i++) {
				const char *v;
				uint64_t u;

				if ((v = kv_value(f[i], "events")) && !parse_u64(v, &u)) {
					ev->total = u;
					ev->have_total = 1;
				} else if ((v = kv_value(f[i], "dropped_events")) &&
					   !parse_u64(v, &u)) {
					ev->dropped = u;
				}
			}
			continue;
		}
		if (!term || llen > OT_MAX_LINE) {
			ev->bad++;
			continue;
		}
		n = split(line, f, OT_MAX_FIELDS);
		if (!n)
			continue;
		if (!strcmp(f[0], "event")) {
			struct event *e;

			int g = array_grow(&ev->ev, &ev->cap, ev->n, sizeof(*ev->ev), 16,
					   OT_MAX_EVENTS);

			if (g > 0) {
				ev->bad++;
				continue;
			}
			if (g < 0)
				goto oom;
			e = &ev->ev[ev->n];
			memset(e, 0, sizeof(*e));
			e->time = "0";
			e->kind = "-";
			e->comm = "-";
			for (i = 1; i < n; i++) {
				const char *v;

				u64_field(f[i], "seq", &e->seq, NULL, 0, &bad);
				if ((v = kv_value(f[i], "time"))) {
					e->time = v;
					e->t = parse_time(v);
				}
				if ((v = kv_value(f[i], "kind")) && *v)
					e->kind = v;
				if ((v = kv_value(f[i], "comm")) && *v)
					e->comm = v;
				s64_field(f[i], "pid", &e->pid, &e->known, EV_PID, &bad);
				s64_field(f[i], "oom_score_adj", &e->oom_score_adj, &e->known, EV_ADJ,
					  &bad);
				u64_field(f[i], "rss_kb", &e->rss_kb, &e->known, EV_RSS, &bad);
				u64_field(f[i], "free_kb", &e->free_kb, &e->known, EV_FREE, &bad);
				u64_field(f[i], "slab_reclaimable_kb", &e->slab_reclaimable_kb,
					  &e->known, EV_SLABR, &bad);
				u64_field(f[i], "slab_unreclaimable_kb", &e->slab_unreclaimable_kb,
					  &e->known, EV_SLABU, &bad);
				u64_field(f[i], "pagetables_kb", &e->pagetables_kb, &e->known, EV_PT,
					  &bad);
				u64_field(f[i], "tracked_bytes", &e->tracked_bytes, &e->known,
					  EV_TRACKED, &bad);
				u64_field(f[i], "dropped_events", &e->dropped_events, NULL, 0, &bad);
			}
			ev->n++;
			if (bad)
				ev->bad++;	/* kept: the values that parsed are useful */
		} else if (!strcmp(f[0], "module") || !strcmp(f[0], "cache")) {
			struct event *e;
			struct ev_entry en = { NULL, 0, 0 };
			int r;

			if (!ev->n) {
				ev->bad++;
				continue;
			}
			e = &ev->ev[ev->n - 1];
			for (i = 1; i < n; i++) {
				const char *v;

				if ((v = kv_value(f[i], "name")) && *v)
					en.name = v;
				u64_field(f[i], "live_bytes", &en.live_bytes, NULL, 0, &bad);
				if ((v = kv_value(f[i], "delta_bytes")) && parse_s64(v, &en.delta_bytes))
					bad = 1;
			}
			if (!en.name || bad) {
				ev->bad++;
				continue;
			}
			if (f[0][0] == 'm')
				r = add_entry(&e->mods, &e->nmods, &e->capmods, &en);
			else
				r = add_entry(&e->caches, &e->ncaches, &e->capcaches, &en);
			if (r < 0)
				goto oom;
			if (r > 0)
				ev->bad++;
		}
		/* other line kinds: ignored (newer module versions may add some) */
	}
	if (!banner) {
		seterr(err, errlen, "empty file (no '# oomtrace events format=%d' line)",
		       OT_FORMAT);
		goto fail;
	}
	ev->present = 1;
	return 0;
oom:
	seterr(err, errlen, "out of memory");
fail:
	events_free(ev);
	return rc ? rc : -1;
}

/* ---- meminfo ---- */

int meminfo_parse(struct meminfo *m, const char *data, size_t len)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->buf = own_copy(data, len);
	m->kv = calloc(OT_MAX_KV, sizeof(*m->kv));
	if (!m->buf || !m->kv) {
		meminfo_free(m);
		return -1;
	}
	parse_kv_lines(m->buf, len, m->kv, &m->n);
	for (i = 0; i < m->n; i++) {
		/* "16318412 kB" -> "16318412" */
		char *v = (char *)m->kv[i].val, *sp = v;

		while (*sp && !is_ws(*sp))
			sp++;
		*sp = 0;
	}
	m->present = 1;
	return 0;
}

uint64_t meminfo_kb(const struct meminfo *m, const char *key, int *found)
{
	size_t i;
	uint64_t u;

	if (found)
		*found = 0;
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->kv[i].key, key))
			continue;
		if (parse_u64(m->kv[i].val, &u))
			return 0;
		if (found)
			*found = 1;
		return u;
	}
	return 0;
}

void meminfo_free(struct meminfo *m)
{
	free(m->buf);
	free(m->kv);
	memset(m, 0, sizeof(*m));
}

/* ---- vmallocinfo ---- */

void vmfold_free(struct vmfold *vf)
{
	free(vf->e);
	memset(vf, 0, sizeof(*vf));
}

uint64_t vmfold_bytes(const struct vmfold *vf, const char *module)
{
	size_t i;

	for (i = 0; i < vf->n; i++)
		if (!strcmp(vf->e[i].name, module))
			return vf->e[i].bytes;
	return 0;
}

static int vmfold_add(struct vmfold *vf, const char *name, size_t nlen, uint64_t bytes)
{
	size_t i;
	struct vmfold_ent *e;

	if (nlen >= sizeof(vf->e[0].name))
		nlen = sizeof(vf->e[0].name) - 1;
	for (i = 0; i < vf->n; i++)
		if (!strncmp(vf->e[i].name, name, nlen) && !vf->e[i].name[nlen])
			break;
	if (i == vf->n) {
		int r = array_grow(&vf->e, &vf->cap, vf->n, sizeof(*vf->e), 32, 4096);

		if (r)
			return r;
		memcpy(vf->e[i].name, name, nlen);
		vf->e[i].name[nlen] = 0;
		vf->e[i].bytes = 0;
		vf->e[i].areas = 0;
		vf->n++;
	}
	e = &vf->e[i];
	e->bytes = e->bytes + bytes < e->bytes ? UINT64_MAX : e->bytes + bytes;
	e->areas++;
	vf->total = vf->total + bytes < vf->total ? UINT64_MAX : vf->total + bytes;
	return 0;
}

/*
 * The memory behind a vmalloc area is its "pages=N" (as VmallocUsed in
 * /proc/meminfo counts it), not its size: the size includes the unmapped
 * guard page (vmalloc(10000) is "16384 ... pages=3"). An area still being
 * set up has no pages= yet and no memory.
 */
static uint64_t vm_page_size(void)
{
	static uint64_t ps;

	if (!ps) {
		long v = sysconf(_SC_PAGESIZE);

		ps = v > 0 ? (uint64_t)v : 4096;
	}
	return ps;
}

int vmalloc_fold(struct vmfold *vf, const char *data, size_t len)
{
	char *buf;
	struct lines L;
	char *line;
	size_t llen;
	int term;
	uint64_t psize = vm_page_size();

	memset(vf, 0, sizeof(*vf));
	buf = own_copy(data, len);
	if (!buf)
		return -1;
	L.p = buf;
	L.end = buf + len;
	while ((line = next_line(&L, &llen, &term))) {
		char *f[OT_MAX_FIELDS];
		const char *mod = "[kernel]";
		size_t mlen = 8;
		uint64_t size, pages = 0;
		int n, i, is_vmalloc = 0, r;

		if (!term || llen > OT_MAX_LINE) {
			vf->bad++;
			continue;
		}
		n = split(line, f, OT_MAX_FIELDS);
		if (!n)
			continue;
		if (n < 3 || parse_u64(f[1], &size)) {
			vf->bad++;
			continue;
		}
		for (i = 2; i < n; i++) {
			if (!strcmp(f[i], "vmalloc"))
				is_vmalloc = 1;
			else if (!strncmp(f[i], "pages=", 6) && parse_u64(f[i] + 6, &pages))
				pages = 0;
		}
		if (!is_vmalloc)
			continue;
		/* the size bounds the pages: a corrupt pages= cannot overflow */
		size = pages <= size / psize ? pages * psize : size;
		for (i = 3; i < n; i++) {
			size_t l = strlen(f[i]);

			if (l > 2 && f[i][0] == '[' && f[i][l - 1] == ']') {
				mod = f[i] + 1;
				mlen = l - 2;
				break;
			}
		}
		r = vmfold_add(vf, mod, mlen, size);
		if (r < 0) {
			free(buf);
			vmfold_free(vf);
			return -1;
		}
		if (r > 0)
			vf->bad++;
	}
	free(buf);
	vf->present = 1;
	return 0;
}
