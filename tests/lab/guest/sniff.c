// SPDX-License-Identifier: GPL-2.0
/*
 * sniff: count the frames an interface receives, so that a lab scenario
 * knows exactly how many packets a driver under test sent (the bonding
 * scenario: the peer end of a veth pair counts bonding's ARP probes). Built
 * static on the host (tests/lab/host/initramfs.sh), /usr/bin/sniff in the
 * guest.
 *
 *   sniff IFACE STOPFILE
 *	Counts every frame IFACE receives (not those it sends) until STOPFILE
 *	exists, then prints one line per kind, sorted:
 *	  "arp request SENDER TARGET N", "arp reply SENDER TARGET N",
 *	  "ipv4 PROTO N" (PROTO: icmp, tcp, udp or the number), "other ETHERTYPE N"
 *	Prints "sniff: ready" once the socket is bound, before any frame counts.
 *
 * Exit status 0, 1 on a socket error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_KINDS 64

struct kind {
	char name[96];
	unsigned long n;
};

static struct kind kinds[MAX_KINDS];
static int nkinds;

static void count(const char *name)
{
	int i;

	for (i = 0; i < nkinds; i++) {
		if (!strcmp(kinds[i].name, name)) {
			kinds[i].n++;
			return;
		}
	}
	if (nkinds == MAX_KINDS) {
		name = "other overflow";
		for (i = 0; i < nkinds; i++)
			if (!strcmp(kinds[i].name, name)) {
				kinds[i].n++;
				return;
			}
		i = nkinds - 1;
	} else {
		i = nkinds++;
	}
	snprintf(kinds[i].name, sizeof(kinds[i].name), "%s", name);
	kinds[i].n = 1;
}

static void ip4(const unsigned char *p, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
}

/* An ARP packet for IPv4 over Ethernet: "arp request|reply SENDER TARGET". */
static void classify_arp(const unsigned char *a, size_t len, char *out, size_t olen)
{
	char s[16], t[16];
	unsigned int op;

	if (len < 28) {
		snprintf(out, olen, "arp short");
		return;
	}
	op = a[6] << 8 | a[7];
	ip4(a + 14, s, sizeof(s));
	ip4(a + 24, t, sizeof(t));
	snprintf(out, olen, "arp %s %s %s", op == 1 ? "request" : op == 2 ? "reply" : "op?", s, t);
}

static void classify(const unsigned char *f, size_t len, char *out, size_t olen)
{
	unsigned int type;

	if (len < ETH_HLEN) {
		snprintf(out, olen, "other runt");
		return;
	}
	type = f[12] << 8 | f[13];
	if (type == ETH_P_ARP) {
		classify_arp(f + ETH_HLEN, len - ETH_HLEN, out, olen);
	} else if (type == ETH_P_IP && len >= ETH_HLEN + 20) {
		unsigned int proto = f[ETH_HLEN + 9];

		if (proto == 1)
			snprintf(out, olen, "ipv4 icmp");
		else if (proto == 6)
			snprintf(out, olen, "ipv4 tcp");
		else if (proto == 17)
			snprintf(out, olen, "ipv4 udp");
		else
			snprintf(out, olen, "ipv4 %u", proto);
	} else {
		snprintf(out, olen, "other 0x%04x", type);
	}
}

static int cmp_kind(const void *a, const void *b)
{
	return strcmp(((const struct kind *)a)->name, ((const struct kind *)b)->name);
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	unsigned char frame[2048];
	char name[96];
	int fd, i;

	if (argc != 3) {
		fprintf(stderr, "usage: sniff IFACE STOPFILE\n");
		return 2;
	}
	sll.sll_ifindex = if_nametoindex(argv[1]);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (!sll.sll_ifindex || fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("sniff");
		return 1;
	}
	printf("sniff: ready\n");
	fflush(stdout);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		ssize_t n;

		if (!access(argv[2], F_OK))
			break;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = recvfrom(fd, frame, sizeof(frame), 0, (struct sockaddr *)&from, &flen);
		if (n < 0 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		classify(frame, n, name, sizeof(name));
		count(name);
	}
	qsort(kinds, nkinds, sizeof(kinds[0]), cmp_kind);
	for (i = 0; i < nkinds; i++)
		printf("%s %lu\n", kinds[i].name, kinds[i].n);
	return 0;
}
