// SPDX-License-Identifier: GPL-2.0
/*
 * labtool: what the lab's busybox shell cannot do. Built static on the host
 * by tests/lab/lab.sh and installed as /usr/bin/labtool in the guest.
 *
 *   labtool write [-s N] FILE|-FD STR...
 *	One open(O_WRONLY) of FILE per STR (or the open descriptor FD), then
 *	STR (escapes: \n \t \r \0
 *	\\ \xHH) in one write(2), or in N-byte pieces with -s N (every piece
 *	is written, whatever the previous one returned). Prints one line per
 *	STR: the result of each write(2), space separated: "ok" (all bytes
 *	taken), "short:K" or the errno name (EINVAL, ...). An open failure
 *	prints "open:ERRNO" and exits 1.
 *   labtool fuzz FILE SIZE COUNT
 *	COUNT writes of SIZE random bytes (getrandom) on one open FILE.
 *	Prints "writes=N bytes=B" and "RESULT=N" per result.
 *   labtool mutate FILE COUNT SEED CMD...
 *	COUNT writes of a CMD mutated 1-4 times (flip, insert, delete,
 *	truncate, splice in a nasty token), deterministic from SEED. Prints
 *	"accepted: CMD" (escaped) for each mutant that write(2) took, then
 *	the tallies as fuzz does.
 *   labtool as UID GID CMD ARG...
 *	Drop every group, setgid(GID), setuid(UID), exec CMD.
 *   labtool read [-b N] FILE|-FD...
 *	Read FILE (or the open descriptor FD) to EOF, N bytes per read(2)
 *	(default 4096). Prints "eof BYTES" or "ERRNO BYTES" per file (BYTES
 *	read before the error); an open failure prints "open:ERRNO 0".
 *   labtool churn SECS DIR
 *	For SECS seconds: pipes, AF_UNIX socketpairs, a TCP connection and a
 *	UDP datagram over 127.0.0.1, files created, written and unlinked in
 *	DIR. Prints "rounds=N".
 *   labtool files DIR N
 *	Create N empty files DIR/0 .. DIR/N-1 (a dentry and an inode each,
 *	live until unlinked: core-kernel objects by the hundred thousand).
 *	Prints "files=N", or the errno of the first failure and exits 1.
 *   labtool modnames KO OLD PREFIX FIRST COUNT [PARAMS]
 *	COUNT loads of module KO (init_module(2), PARAMS its parameters),
 *	each a copy with every occurrence of OLD (its name) replaced by
 *	PREFIX and a zero-padded number, FIRST onwards, as long as OLD:
 *	otfill.ko as "of0001", "of0002", ...: one more module name per load.
 *	Prints the results as fuzz does ("ENODEV=N", "ok=N").
 *
 * The exit status is 0 unless the arguments are wrong (2) or an open failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESULTS 16

static const char *errname(int e)
{
	static char buf[16];
	static const struct { int e; const char *n; } t[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
		{ EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { EINTR, "EINTR" },
		{ ENOTTY, "ENOTTY" }, { EROFS, "EROFS" }, { EOVERFLOW, "EOVERFLOW" },
		{ E2BIG, "E2BIG" }, { ENXIO, "ENXIO" }, { EISDIR, "EISDIR" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static void usage(void)
{
	fprintf(stderr, "usage: labtool write|fuzz|mutate|as|read|churn|files|modnames ... (see labtool.c)\n");
	exit(2);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escapes of @s into @out (at least strlen(s) bytes); returns the length. */
static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': out[n++] = '\n'; s++; break;
		case 't': out[n++] = '\t'; s++; break;
		case 'r': out[n++] = '\r'; s++; break;
		case '0': out[n++] = '\0'; s++; break;
		case 'x':
			if (hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
				out[n++] = (char)(hexval(s[1]) * 16 + hexval(s[2]));
				s += 3;
				break;
			}
			/* fall through */
		default: out[n++] = *s++; break;
		}
	}
	return n;
}

/* Print @len bytes of @p with escapes, so that unescape() gives them back. */
static void print_escaped(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\\')
			fputs("\\\\", stdout);
		else if (p[i] >= 0x21 && p[i] < 0x7f)
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
}

/* Tallies of write(2) results. */
struct tally {
	const char *name[MAX_RESULTS];
	unsigned long n[MAX_RESULTS];
	unsigned int nr;
};

static void tally_add(struct tally *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (!strcmp(t->name[i], name)) {
			t->n[i]++;
			return;
		}
	if (t->nr < MAX_RESULTS) {
		t->name[t->nr] = strdup(name);
		t->n[t->nr++] = 1;
	}
}

static void tally_print(const struct tally *t)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		printf("%s=%lu\n", t->name[i], t->n[i]);
}

/* One write(2); returns "ok", "short:K" or the errno name. */
static const char *write_one(int fd, const void *p, size_t len)
{
	static char buf[32];
	ssize_t r = write(fd, p, len);

	if (r < 0)
		return errname(errno);
	if ((size_t)r == len)
		return "ok";
	snprintf(buf, sizeof(buf), "short:%zd", r);
	return buf;
}

static int open_or_report(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		exit(1);
	}
	return fd;
}

static int cmd_write(int argc, char **argv)
{
	size_t chunk = 0, len, off, n;
	const char *file;
	char *buf;
	int i = 0, fd;

	if (argc > 2 && !strcmp(argv[0], "-s")) {
		chunk = strtoul(argv[1], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2)
		usage();
	file = argv[0];
	for (i = 1; i < argc; i++) {
		buf = malloc(strlen(argv[i]) + 1);
		if (!buf)
			return 1;
		len = unescape(argv[i], buf);
		fd = file[0] == '-' ? atoi(file + 1) : open_or_report(file, O_WRONLY);
		if (!chunk || !len) {
			fputs(write_one(fd, buf, len), stdout);
		} else {
			for (off = 0; off < len; off += n) {
				n = len - off < chunk ? len - off : chunk;
				printf("%s%s", off ? " " : "", write_one(fd, buf + off, n));
			}
		}
		putchar('\n');
		if (file[0] != '-')
			close(fd);
		free(buf);
	}
	return 0;
}

static void fill_random(unsigned char *p, size_t len)
{
	ssize_t r;

	while (len) {
		r = getrandom(p, len, 0);
		if (r <= 0) {
			perror("getrandom");
			exit(1);
		}
		p += r;
		len -= r;
	}
}

static int cmd_fuzz(int argc, char **argv)
{
	unsigned long size, count, i;
	struct tally t = { .nr = 0 };
	unsigned char *buf;
	int fd;

	if (argc != 3)
		usage();
	size = strtoul(argv[1], NULL, 10);
	count = strtoul(argv[2], NULL, 10);
	buf = malloc(size ? size : 1);
	if (!buf)
		return 1;
	fd = open_or_report(argv[0], O_WRONLY);
	for (i = 0; i < count; i++) {
		fill_random(buf, size);
		tally_add(&t, write_one(fd, buf, size));
	}
	close(fd);
	printf("writes=%lu bytes=%lu\n", count, count * size);
	tally_print(&t);
	return 0;
}

static unsigned long long rng_state;

static unsigned int rnd(unsigned int n)
{
	/* xorshift64*: reproducible from the seed the scenario prints. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned int)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

static const char * const tokens[] = {
	"\n", " ", "\t", "\0", "-", "+", "0", "-1", "K", "M", "G", "T",
	"18446744073709551616", "9223372036854775808", "99999999999999999999999",
	"8589934592G", "0x10", "module", "cache", "growth", "clear", "reset",
	"threshold", "\xff", "\x01", "%s%n", "kmalloc-64", "[kernel]",
};

static size_t mutate(char *buf, size_t len, size_t cap)
{
	unsigned int k, m = 1 + rnd(4);
	size_t pos, tl;
	const char *tok;

	for (k = 0; k < m; k++) {
		pos = len ? rnd(len + 1) : 0;
		switch (rnd(6)) {
		case 0:	/* flip a byte */
			if (len && pos < len)
				buf[pos] = (char)rnd(256);
			break;
		case 1:	/* insert a random byte */
			if (len < cap) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = (char)rnd(256);
				len++;
			}
			break;
		case 2:	/* delete a byte */
			if (pos < len) {
				memmove(buf + pos, buf + pos + 1, len - pos - 1);
				len--;
			}
			break;
		case 3:	/* truncate */
			len = pos;
			break;
		case 4:	/* splice in a token, replacing a word-ish span */
		case 5:
			tok = tokens[rnd(sizeof(tokens) / sizeof(tokens[0]))];
			tl = *tok ? strlen(tok) : 1;
			if (len + tl <= cap) {
				memmove(buf + pos + tl, buf + pos, len - pos);
				memcpy(buf + pos, tok, tl);
				len += tl;
			}
			break;
		}
	}
	return len;
}

static int cmd_mutate(int argc, char **argv)
{
	struct tally t = { .nr = 0 };
	unsigned long count, i, bytes = 0;
	char buf[512], base[512];
	size_t blen, len;
	const char *r;
	int fd;

	if (argc < 4)
		usage();
	count = strtoul(argv[1], NULL, 10);
	rng_state = strtoull(argv[2], NULL, 10) | 1;
	fd = open_or_report(argv[0], O_WRONLY);
	for (i = 0; i < count; i++) {
		const char *cmd = argv[3 + rnd(argc - 3)];

		if (strlen(cmd) >= sizeof(base) / 2)
			usage();
		blen = unescape(cmd, base);
		memcpy(buf, base, blen);
		len = mutate(buf, blen, sizeof(buf));
		r = write_one(fd, buf, len);
		bytes += len;
		tally_add(&t, r);
		if (!strcmp(r, "ok")) {
			fputs("accepted: ", stdout);
			print_escaped((unsigned char *)buf, len);
			putchar('\n');
		}
	}
	close(fd);
	printf("writes=%lu bytes=%lu\n", count, bytes);
	tally_print(&t);
	return 0;
}

static int cmd_as(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 3)
		usage();
	uid = (uid_t)strtoul(argv[0], NULL, 10);
	gid = (gid_t)strtoul(argv[1], NULL, 10);
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		perror("labtool as");
		return 1;
	}
	if (getuid() != uid || geteuid() != uid || setuid(0) == 0) {
		fprintf(stderr, "labtool as: privileges not dropped\n");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("labtool as: exec");
	return 127;
}

static int cmd_read(int argc, char **argv)
{
	size_t bs = 4096;
	unsigned long total;
	ssize_t r;
	char *buf;
	int i, fd, st = 0;

	if (argc > 2 && !strcmp(argv[0], "-b")) {
		bs = strtoul(argv[1], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc < 1 || !bs)
		usage();
	buf = malloc(bs);
	if (!buf)
		return 1;
	for (i = 0; i < argc; i++) {
		if (argv[i][0] == '-')
			fd = atoi(argv[i] + 1);
		else
			fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			printf("open:%s 0\n", errname(errno));
			st = 1;
			continue;
		}
		total = 0;
		while ((r = read(fd, buf, bs)) > 0)
			total += r;
		printf("%s %lu\n", r < 0 ? errname(errno) : "eof", total);
		if (argv[i][0] != '-')
			close(fd);
	}
	free(buf);
	return st;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void churn_round(const char *dir, unsigned long round)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	char buf[4096], path[256];
	int p[2], s[2], l, c, t, u, fd;

	memset(buf, (int)round, sizeof(buf));
	if (!pipe(p)) {
		if (write(p[1], buf, sizeof(buf)) > 0 && read(p[0], buf, sizeof(buf)) < 0)
			perror("pipe read");
		close(p[0]);
		close(p[1]);
	}
	if (!socketpair(AF_UNIX, SOCK_STREAM, 0, s)) {
		if (write(s[0], buf, 1000) > 0 && read(s[1], buf, sizeof(buf)) < 0)
			perror("socketpair read");
		close(s[0]);
		close(s[1]);
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l >= 0 && !bind(l, (struct sockaddr *)&a, sizeof(a)) && !listen(l, 4) &&
	    !getsockname(l, (struct sockaddr *)&a, &alen)) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c >= 0 && !connect(c, (struct sockaddr *)&a, sizeof(a))) {
			t = accept(l, NULL, NULL);
			if (t >= 0) {
				if (write(c, buf, sizeof(buf)) > 0 && read(t, buf, sizeof(buf)) < 0)
					perror("tcp read");
				close(t);
			}
		}
		if (c >= 0)
			close(c);
	}
	if (l >= 0)
		close(l);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = 0;
	alen = sizeof(a);
	if (u >= 0 && !bind(u, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(u, (struct sockaddr *)&a, &alen)) {
		if (sendto(u, buf, 512, 0, (struct sockaddr *)&a, sizeof(a)) > 0 &&
		    recv(u, buf, sizeof(buf), 0) < 0)
			perror("udp recv");
	}
	if (u >= 0)
		close(u);
	snprintf(path, sizeof(path), "%s/churn.%d.%lu", dir, (int)getpid(), round % 8);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd >= 0) {
		if (write(fd, buf, sizeof(buf)) < 0)
			perror("file write");
		close(fd);
	}
	unlink(path);
}

static int cmd_churn(int argc, char **argv)
{
	double end;
	unsigned long n = 0;

	if (argc != 2)
		usage();
	end = now() + atof(argv[0]);
	while (now() < end)
		churn_round(argv[1], n++);
	printf("rounds=%lu\n", n);
	return 0;
}

static int cmd_files(int argc, char **argv)
{
	unsigned long i, n;
	char path[4096];
	int fd;

	if (argc != 2)
		usage();
	n = strtoul(argv[1], NULL, 10);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%lu", argv[0], i);
		fd = open(path, O_CREAT | O_WRONLY, 0600);
		if (fd < 0) {
			printf("files=%lu %s\n", i, errname(errno));
			return 1;
		}
		close(fd);
	}
	printf("files=%lu\n", n);
	return 0;
}

/* Replace every occurrence of @old (@len bytes) in @buf by @new. */
static void replace_all(char *buf, size_t size, const char *old, const char *new, size_t len)
{
	char *p = buf;

	while ((p = memmem(p, size - (p - buf), old, len)) != NULL) {
		memcpy(p, new, len);
		p += len;
	}
}

static int cmd_modnames(int argc, char **argv)
{
	size_t len, size, i, first, count;
	struct tally t = { .nr = 0 };
	char name[64], *orig, *copy;
	struct stat st;
	int fd;

	if (argc < 5 || argc > 6)
		usage();
	len = strlen(argv[1]);
	first = strtoul(argv[3], NULL, 10);
	count = strtoul(argv[4], NULL, 10);
	if (strlen(argv[2]) >= len || len >= sizeof(name))
		usage();
	fd = open_or_report(argv[0], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return 1;
	size = st.st_size;
	orig = malloc(size);
	copy = malloc(size);
	if (!orig || !copy || read(fd, orig, size) != (ssize_t)size)
		return 1;
	close(fd);
	for (i = first; i < first + count; i++) {
		snprintf(name, sizeof(name), "%s%0*zu", argv[2], (int)(len - strlen(argv[2])), i);
		memcpy(copy, orig, size);
		replace_all(copy, size, argv[1], name, len);
		if (syscall(SYS_init_module, copy, size, argc > 5 ? argv[5] : ""))
			tally_add(&t, errname(errno));
		else
			tally_add(&t, "ok");
	}
	tally_print(&t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "write"))
		return cmd_write(argc - 2, argv + 2);
	if (!strcmp(argv[1], "fuzz"))
		return cmd_fuzz(argc - 2, argv + 2);
	if (!strcmp(argv[1], "mutate"))
		return cmd_mutate(argc - 2, argv + 2);
	if (!strcmp(argv[1], "as"))
		return cmd_as(argc - 2, argv + 2);
	if (!strcmp(argv[1], "read"))
		return cmd_read(argc - 2, argv + 2);
	if (!strcmp(argv[1], "churn"))
		return cmd_churn(argc - 2, argv + 2);
	if (!strcmp(argv[1], "files"))
		return cmd_files(argc - 2, argv + 2);
	if (!strcmp(argv[1], "modnames"))
		return cmd_modnames(argc - 2, argv + 2);
	usage();
	return 2;
}
