/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - parsers for the /proc/oomtrace files (docs/format.md) and for
 * /proc/meminfo and /proc/vmallocinfo.
 *
 * Every parser works on a (data, len) buffer it copies, is bounded (line
 * length, rows, fields) and never reads past the buffer: malformed rows are
 * skipped and counted in `bad`, a bad header is an error with a message.
 */
#ifndef OOMTRACE_PARSE_H
#define OOMTRACE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define OT_FORMAT 1		/* the only file format this tool knows */
#define OT_MAX_LINE 4096	/* longer lines are malformed */
#define OT_MAX_FIELDS 64	/* fields looked at per line */
#define OT_MAX_ROWS 1000000
#define OT_MAX_EVENTS 100000
#define OT_MAX_ENTRIES 65536	/* module/cache lines per event */
#define OT_MAX_KV 1024		/* status / meminfo keys */
#define OT_MAX_COLS 12
#define OT_ERRLEN 512
#define OT_EFORMAT (-2)	/* parsers: a format this tool does not know */

enum coltype {
	COL_STR,	/* text; the row's name or a label */
	COL_NUM,	/* count */
	COL_BYTES,	/* byte count: human units unless --bytes */
};

struct coldef {
	const char *name;	/* column name in the file header */
	enum coltype type;
	int computed;		/* not in the file (filled in by the tool) */
	int label;		/* string column used as a Prometheus label */
	const char *prom;	/* metric name, NULL: no metric */
	const char *prom_type;	/* "gauge" or "counter" */
	const char *help;
};

struct tabdef {
	const char *name;	/* "slabs", "modules", ... */
	const struct coldef *cols;
	int ncols;
	const char *label;	/* Prometheus label of the name column */
};

extern const struct tabdef tab_slabs, tab_modules, tab_callsites, tab_modslabs;

/* Schema column indexes (must match the coldef tables in parse.c). */
enum { SL_CACHE, SL_OBJSIZE, SL_ALLOCS, SL_FREES, SL_LIVE, SL_LIVE_BYTES,
	SL_PEAK_BYTES, SL_TOP_MODULE };
enum { MO_MODULE, MO_STATE, MO_ALLOCS, MO_FREES, MO_LIVE, MO_LIVE_BYTES,
	MO_SLAB_BYTES, MO_PAGE_BYTES, MO_PEAK_BYTES, MO_VMALLOC_BYTES };
enum { CS_CALLSITE, CS_MODULE, CS_ALLOCS, CS_FREES, CS_LIVE, CS_LIVE_BYTES };
enum { MS_MODULE, MS_CACHE, MS_LIVE, MS_LIVE_BYTES };

struct row {
	const char *s[OT_MAX_COLS];	/* text of each schema column ("-" if absent) */
	uint64_t v[OT_MAX_COLS];	/* value of numeric columns (0 if absent) */
};

struct table {
	const struct tabdef *def;
	char *buf;		/* owned copy of the file; s[] points into it */
	struct row *rows;
	size_t nrows, cap;
	int format;
	char mode[16];
	int present;		/* the file was found and parsed */
	size_t bad;		/* malformed rows skipped */
	int missing_cols;	/* schema columns absent from the header */
	unsigned absent;	/* bit i: schema column i has no data */
};

struct kv {
	const char *key, *val;
};

struct status {
	char *buf;
	struct kv *kv;
	size_t n;
	int format;
	int present;
	size_t bad;
};

struct ev_entry {
	const char *name;
	uint64_t live_bytes;
	int64_t delta_bytes;
};

struct event {
	uint64_t seq;
	const char *time;	/* as printed (seconds since boot) */
	double t;
	const char *kind;	/* "global", "victim", ... */
	int64_t pid;
	const char *comm;
	int64_t oom_score_adj;
	uint64_t rss_kb, free_kb, slab_reclaimable_kb, slab_unreclaimable_kb;
	uint64_t pagetables_kb, tracked_bytes, dropped_events;
	unsigned known;		/* EV_* bits: fields with a value (not "-" or absent) */
	struct ev_entry *mods, *caches;
	size_t nmods, ncaches, capmods, capcaches;
};

enum {
	EV_PID = 1 << 0,
	EV_ADJ = 1 << 1,
	EV_RSS = 1 << 2,
	EV_FREE = 1 << 3,
	EV_SLABR = 1 << 4,
	EV_SLABU = 1 << 5,
	EV_PT = 1 << 6,
	EV_TRACKED = 1 << 7,
};

struct events {
	char *buf;
	struct event *ev;
	size_t n, cap;
	uint64_t total, dropped;	/* "# ... events=N dropped_events=M" header */
	int have_total;
	int format;
	int present;
	size_t bad;
};

struct meminfo {
	char *buf;
	struct kv *kv;		/* value: the number (kB) as text */
	size_t n;
	int present;
};

struct vmfold_ent {
	char name[64];
	uint64_t bytes;
	uint64_t areas;
};

struct vmfold {
	struct vmfold_ent *e;
	size_t n, cap;
	int present;
	uint64_t total;
	size_t bad;
};

/* Strict decimal parsers: the whole string must be a number. 0 on success. */
int parse_u64(const char *s, uint64_t *out);
/* A table or event value: like parse_u64, but "-N" (a transient negative) is 0. */
int parse_value(const char *s, uint64_t *out);
int parse_s64(const char *s, int64_t *out);

/*
 * Return 0 on success, -1 (malformed) or OT_EFORMAT (unknown format) with a
 * message in err (which may be NULL).
 */
int table_parse(struct table *t, const struct tabdef *def, const char *data,
		size_t len, char *err, size_t errlen);
void table_free(struct table *t);
int table_col(const struct tabdef *def, const char *name);	/* -1 if unknown */

int status_parse(struct status *st, const char *data, size_t len, char *err,
		 size_t errlen);
const char *status_get(const struct status *st, const char *key);
uint64_t status_u64(const struct status *st, const char *key);
void status_free(struct status *st);

int events_parse(struct events *ev, const char *data, size_t len, char *err,
		 size_t errlen);
void events_free(struct events *ev);

int meminfo_parse(struct meminfo *m, const char *data, size_t len);
/* kB value of a key; 0 if absent. *found set when non-NULL. */
uint64_t meminfo_kb(const struct meminfo *m, const char *key, int *found);
void meminfo_free(struct meminfo *m);

int vmalloc_fold(struct vmfold *vf, const char *data, size_t len);
uint64_t vmfold_bytes(const struct vmfold *vf, const char *module);
void vmfold_free(struct vmfold *vf);

#endif
