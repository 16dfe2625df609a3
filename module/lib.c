// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: small pieces every layer uses (lib.h), over the kernel's own
 * library.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

#include "compat.h"
#include "lib.h"

atomic_t ot_self_allocs __read_mostly = ATOMIC_INIT(0);

static DEFINE_RAW_SPINLOCK(ot_slow);

/**
 * ot_slow_lock - take the tables' writers' lock, interrupts off
 *
 * Return: the flags for ot_slow_unlock().
 */
unsigned long ot_slow_lock(void)
	__acquires(&ot_slow)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ot_slow, flags);
	return flags;
}

/**
 * ot_slow_unlock - release the tables' writers' lock
 * @flags: what ot_slow_lock() returned
 */
void ot_slow_unlock(unsigned long flags)
	__releases(&ot_slow)
{
	raw_spin_unlock_irqrestore(&ot_slow, flags);
}

/**
 * ot_fmt_size - a byte count for the kernel log, "12.3 MiB", "-512 KiB"
 * @buf: where to write it
 * @len: size of @buf
 * @v: the count, negative for a shrink
 * @sign: print "+" before a positive count (a growth)
 *
 * Return: the length written.
 */
int ot_fmt_size(char *buf, size_t len, s64 v, bool sign)
{
	u64 a = v < 0 ? -(u64)v : v;
	size_t o;

	if (len < 2)
		return 0;
	o = scnprintf(buf, len, "%s", v < 0 ? "-" : sign ? "+" : "");
	string_get_size(a, 1, STRING_UNITS_2, buf + o, len - o);
	return strlen(buf);
}

/**
 * ot_line_add - append to a line, printf-style; what does not fit is cut
 * @l: the line
 * @fmt: the format
 */
void ot_line_add(struct ot_line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->len += vscnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
}

/**
 * ot_line_wordn - append a space (but before the first word) and @n
 *	characters of @s; cut
 * @l: the line
 * @s: the word
 * @n: its length
 *
 * The tables' rows are words and numbers: built without vsnprintf(), which
 * parses its format again for every field of every row (half of reading
 * every file with 10000 call sites), and where the length is known without
 * strlen() (names of call sites, numbers).
 */
void ot_line_wordn(struct ot_line *l, const char *s, size_t n)
{
	size_t room = sizeof(l->buf) - 1 - l->len;

	if (l->words++ && room) {
		l->buf[l->len++] = ' ';
		room--;
	}
	n = min(n, room);
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

/**
 * ot_line_word - ot_line_wordn() of a NUL-terminated word
 * @l: the line
 * @s: the word
 */
void ot_line_word(struct ot_line *l, const char *s)
{
	ot_line_wordn(l, s, strnlen(s, sizeof(l->buf)));
}

/* Append @u in decimal as a word, after a '-' when @neg. */
static void ot_line_dec(struct ot_line *l, u64 u, bool neg)
{
	char d[24];
	int i = sizeof(d) - 1;

	d[i] = '\0';
	do {
		d[--i] = '0' + u % 10;
		u /= 10;
	} while (u);
	if (neg)
		d[--i] = '-';
	ot_line_wordn(l, d + i, sizeof(d) - 1 - i);
}

/**
 * ot_line_num - append @v in decimal as a word (ot_line_word())
 * @l: the line
 * @v: the number
 */
void ot_line_num(struct ot_line *l, s64 v)
{
	ot_line_dec(l, v < 0 ? -(u64)v : v, v < 0);
}

/**
 * ot_line_unum - as ot_line_num(), for a u64
 * @l: the line
 * @v: the number
 */
void ot_line_unum(struct ot_line *l, u64 v)
{
	ot_line_dec(l, v, false);
}

/**
 * ot_line_size - append a byte count as ot_fmt_size() writes it
 * @l: the line
 * @v: the count
 * @sign: "+" before a positive count
 */
void ot_line_size(struct ot_line *l, s64 v, bool sign)
{
	l->len += ot_fmt_size(l->buf + l->len, sizeof(l->buf) - l->len, v, sign);
}

/**
 * ot_parse_bytes - a byte count as control takes it
 * @s: decimal digits and an optional K, M or G suffix (powers of 1024)
 * @bytes: the count
 *
 * Nothing else is taken: no sign, no white space, no hexadecimal, no other
 * suffix; the count must be positive and fit in an s64.
 *
 * Return: 0 or -EINVAL (@bytes unchanged).
 */
int ot_parse_bytes(const char *s, u64 *bytes)
{
	size_t n = strspn(s, "0123456789");
	unsigned int shift = 0;
	char digits[24];
	u64 v;

	switch (s[n]) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case '\0':
		break;
	default:
		return -EINVAL;
	}
	if (!n || n >= sizeof(digits) || (shift && s[n + 1]))
		return -EINVAL;
	/*
	 * Not memparse(): it reads a leading 0 as octal ("010" is 8, "08" is
	 * 0) and does not see an overflow. Decimal digits, then the shift.
	 */
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (kstrtou64(digits, 10, &v) || !v || v > (S64_MAX >> shift))
		return -EINVAL;
	*bytes = v << shift;
	return 0;
}

/**
 * ot_rl_ok - may a rate-limited line be printed now?
 * @rl: the kind of line
 *
 * Callers of one @rl are serialised by their own lock. When lines were
 * suppressed, says how many before the first line it lets through.
 *
 * Return: true to print the line.
 */
bool ot_rl_ok(struct ot_rl *rl)
{
	int missed;

	if (!__ratelimit(&rl->rs))
		return false;
	missed = ot_ratelimit_take_missed(&rl->rs);
	if (missed)
		pr_warn("%d %s suppressed\n", missed, rl->what);
	return true;
}
