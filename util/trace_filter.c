/* Parsing --trace-filter (util/trace_filter.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/trace_filter.h"

static int parse_hex32(const char *s, const char *end, uint32_t *out)
{
	char *stop;
	if (s == end || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &stop, 16);
	if (stop != end || errno || v > 0xffffffffull)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int trace_filter_parse(const char *s, struct trace_filter *f)
{
	struct trace_filter t = { 0 };

	if (!s || !*s)
		return -1;
	while (*s) {
		const char *end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		size_t n = (size_t)(end - s);
		const char *dash = memchr(s, '-', n);
		if (n == 4 && memcmp(s, "cpl3", 4) == 0 && !t.cpl3) {
			t.cpl3 = true;
		} else if (dash && !t.range) {
			if (parse_hex32(s, dash, &t.lo) < 0 ||
			    parse_hex32(dash + 1, end, &t.hi) < 0 || t.lo > t.hi)
				return -1;
			t.range = true;
		} else {
			return -1;
		}
		s = *end ? end + 1 : end;
		if (*end && !*s)
			return -1;	/* a trailing comma */
	}
	*f = t;
	return 0;
}
