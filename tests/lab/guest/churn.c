// SPDX-License-Identifier: GPL-2.0
/*
 * churn: the benchmark's macro workloads, run inside the lab guest.
 *
 *   churn files N     N x (create /tmp/churn.K, write 128 bytes, close, stat, unlink)
 *   churn sockets N   N x (AF_UNIX socketpair, send and receive 64 bytes, close both)
 *   churn read FILE...  read every FILE to its end once
 *
 * Prints "churn-WORKLOAD ns_per_op" (read: "read-us MICROSECONDS", the total). Each operation allocates and frees kernel
 * objects (dentries, inodes, files, sockets, skbs): the kind of load a box
 * reproducing a leak runs for hours.
 */
#define _GNU_SOURCE
#include <fcntl.h>
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
	n = argc == 3 ? atol(argv[2]) : 0;
	if (n < 1) {
		fprintf(stderr, "usage: churn files|sockets N | churn read FILE...\n");
		return 2;
	}
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
