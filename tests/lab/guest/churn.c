// SPDX-License-Identifier: GPL-2.0
/*
 * churn: the benchmark's macro workloads, run inside the lab guest.
 *
 *   churn files N     N x (create /tmp/churn.K, write 128 bytes, close, stat, unlink)
 *   churn sockets N   N x (AF_UNIX socketpair, send and receive 64 bytes, close both)
 *   churn tcp-rr N    N request/response transactions over one TCP connection
 *                     on 127.0.0.1: 64 bytes each way, client and server in
 *                     two processes (netperf's TCP_RR)
 *   churn dwrite DEV N  N MiB written to DEV in 1 MiB O_DIRECT writes (a DRBD
 *                     device: each returns once both nodes have it)
 *   churn read FILE...  read every FILE to its end once
 *
 * Prints "churn-WORKLOAD ns_per_op" (dwrite: per MiB; read: "read-us
 * MICROSECONDS", the total). Each operation allocates and frees kernel objects (dentries,
 * inodes, files, sockets, skbs): the kind of load a box reproducing a leak
 * runs for hours. Under QEMU's icount (make bench) a nanosecond is one
 * instruction.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void files(long i)
{
	static const char data[128];
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/tmp/churn.%ld", i & 63);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0)
		die("open");
	if (write(fd, data, sizeof(data)) != sizeof(data))
		die("write");
	close(fd);
	if (stat(path, &st))
		die("stat");
	if (unlink(path))
		die("unlink");
}

static void sockets(long i)
{
	char buf[64] = { 0 };
	int sv[2];

	(void)i;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	if (send(sv[0], buf, sizeof(buf), 0) != sizeof(buf))
		die("send");
	if (recv(sv[1], buf, sizeof(buf), 0) != sizeof(buf))
		die("recv");
	close(sv[0]);
	close(sv[1]);
}

static long long ns_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000000000LL + t1.tv_nsec - t0->tv_nsec;
}

/* dwrite: n MiB of direct writes from one aligned buffer, ns per MiB. */
static int dwrite(const char *dev, long n)
{
	struct timespec t0;
	char *buf;
	long i;
	int fd;

	if (posix_memalign((void **)&buf, 4096, 1 << 20))
		die("posix_memalign");
	memset(buf, 0x5a, 1 << 20);
	fd = open(dev, O_WRONLY | O_DIRECT);
	if (fd < 0)
		die(dev);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		if (pwrite(fd, buf, 1 << 20, i << 20) != 1 << 20)
			die("pwrite");
	printf("churn-dwrite %lld\n", ns_since(&t0) / n);
	close(fd);
	free(buf);
	return 0;
}

/* exactly len bytes from fd (a stream socket), or exit */
static void recv_all(int fd, char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = recv(fd, buf, len, 0);
		if (n <= 0)
			die("recv");
		buf += n;
		len -= n;
	}
}

/*
 * The server of tcp-rr, in a child: answers each 64-byte request with 64
 * bytes until the client closes.
 */
static void tcp_server(int ls)
{
	char buf[64];
	int fd, one = 1;
	ssize_t n;

	fd = accept(ls, NULL, NULL);
	if (fd < 0)
		die("accept");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_WAITALL);
		if (n == 0)
			_exit(0);
		if (n != sizeof(buf) || send(fd, buf, sizeof(buf), 0) != sizeof(buf))
			die("server");
	}
}

/*
 * tcp-rr: connection and server set up first, untimed; then n transactions,
 * timed (ns per transaction). TCP_NODELAY on both ends: no transaction
 * waits for a timer (an idle CPU would stop counting instructions).
 */
static int tcp_rr(long n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	char buf[64] = { 0 };
	struct timespec t0;
	int ls, fd, one = 1, st;
	pid_t pid;
	long i;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &alen))
		die("listen on 127.0.0.1");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		tcp_server(ls);
	close(ls);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if (send(fd, buf, sizeof(buf), 0) != sizeof(buf))
			die("send");
		recv_all(fd, buf, sizeof(buf));
	}
	printf("churn-tcp-rr %lld\n", ns_since(&t0) / n);
	close(fd);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("tcp-rr server");
	return 0;
}

static int read_files(int n, char **files)
{
	static char buf[65536];
	struct timespec t0;
	int i, fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		fd = open(files[i], O_RDONLY);
		if (fd < 0)
			die(files[i]);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	printf("read-us %lld\n", ns_since(&t0) / 1000);
	return 0;
}

int main(int argc, char **argv)
{
	void (*op)(long i);
	struct timespec t0;
	long i, n;

	if (argc > 2 && !strcmp(argv[1], "read"))
		return read_files(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "dwrite") && atol(argv[3]) > 0)
		return dwrite(argv[2], atol(argv[3]));
	n = argc == 3 ? atol(argv[2]) : 0;
	if (n < 1) {
		fprintf(stderr, "usage: churn files|sockets|tcp-rr N | churn dwrite DEV MIB | churn read FILE...\n");
		return 2;
	}
	if (!strcmp(argv[1], "tcp-rr"))
		return tcp_rr(n);
	if (!strcmp(argv[1], "files"))
		op = files;
	else if (!strcmp(argv[1], "sockets"))
		op = sockets;
	else
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		op(i);
	printf("churn-%s %lld\n", argv[1], ns_since(&t0) / n);
	return 0;
}
