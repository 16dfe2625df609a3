/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dump.h - the oomtrace dump in a kernel log (docs/format.md, "The kernel
 * log dump"): find every dump in a log whatever its line prefix, tell the
 * complete ones from the truncated, and keep the files of the last
 * complete one. The log is streamed in: memory stays bounded whatever the
 * input (DUMP_MAX_LINE, DUMP_MAX_BYTES, DUMP_MAX_OPEN).
 */
#ifndef OOMTRACE_DUMP_H
#define OOMTRACE_DUMP_H

#include <stddef.h>
#include <stdint.h>

#define DUMP_FORMAT 1		/* the only dump format this tool knows */
#define DUMP_MAX_LINE 8192	/* a longer log line is cut: a dump with one is damaged */
#define DUMP_MAX_BYTES (8u << 20)	/* text kept of one dump (the largest is ~3 MiB) */
#define DUMP_MAX_OPEN 4		/* dumps begun and not ended at one time */
#define DUMP_MAX_NOTES 8	/* incomplete dumps after the chosen one, described */
#define DUMP_REASON 32

/* The files of a dump, in the order the module writes them. */
enum { DF_STATUS, DF_MEMINFO, DF_MODULES, DF_SLABS, DF_MODSLABS, DF_CALLSITES, DF_EVENTS,
	DF_NFILES };
extern const char *const dump_files[DF_NFILES];

/* Why a dump is not complete. */
enum dump_flaw {
	DUMP_CUT,	/* no end line: the log (or the box) stopped first */
	DUMP_NO_BEGIN,	/* its begin line is not in the log (the buffer wrapped) */
	DUMP_COUNT,	/* its end line counts other lines than were seen */
	DUMP_LONG,	/* a line longer than DUMP_MAX_LINE */
	DUMP_BIG,	/* more text than DUMP_MAX_BYTES */
};

/* A dump that is not complete. */
struct dump_bad {
	uint64_t seq;
	uint64_t seen;		/* its lines seen, begin and end not counted */
	uint64_t lines;		/* what its end line says (has_end) */
	uint64_t at;		/* line of the log where it starts (1, 2, ...) */
	int has_end;
	enum dump_flaw flaw;
};

/* A table of the dump: its rows kept, of how many (cut: a '# rows=' line). */
struct dump_rows {
	int cut;
	uint64_t kept, total;
};

/* The dump chosen, and what else the log held. */
struct dump_info {
	uint64_t seq;
	int format;		/* begin's format=, -1 when it has none */
	char reason[DUMP_REASON];	/* begin's reason=, "" when none */
	uint64_t rows;		/* begin's rows= (0: none) */
	uint64_t lines;		/* end's lines= */
	int64_t ns;		/* end's ns=: how long the module took to write it (-1: none) */
	uint64_t begin_at, end_at;	/* lines of the log */
	struct dump_rows tab[DF_NFILES];	/* the table files' */
	int events_busy;	/* the events part says "# events busy" */
	uint64_t ncomplete, nbad;	/* dumps in the whole log */
	struct dump_bad newer[DUMP_MAX_NOTES];	/* incomplete dumps after the chosen one */
	size_t nnewer;
	uint64_t newer_more;	/* more of them than fit in newer[] */
	struct dump_bad last_bad;	/* the log's last incomplete dump (nbad > 0) */
	uint64_t input_lines;
	int binary;		/* NUL bytes, or many control bytes: not text */
};

struct dump_text {
	char *p;		/* the file's lines, each ended by '\n' (NULL: none) */
	size_t len, cap;
};

struct dump {
	int found;		/* a complete dump: info's first fields and file[] are set */
	struct dump_info info;
	struct dump_text file[DF_NFILES];
};

struct dump_scan;

/* NULL: out of memory. */
struct dump_scan *dump_scan_new(void);
/* The next bytes of the log, in pieces of any size. 0, or -1 out of memory. */
int dump_scan_feed(struct dump_scan *sc, const char *data, size_t len);
/* The end of the log: what was found into d (free it with dump_free). 0, or -1 out of memory. */
int dump_scan_end(struct dump_scan *sc, struct dump *d);
void dump_scan_free(struct dump_scan *sc);
void dump_free(struct dump *d);

/* "dump 3 is truncated (40 of 97 lines)" and the like, into buf. */
void dump_bad_text(char *buf, size_t len, const struct dump_bad *b);
/* "cut", "no_begin", "count", "long_line", "too_large" (JSON). */
const char *dump_flaw_name(enum dump_flaw f);

#endif
