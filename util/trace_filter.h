/* --trace-filter: which instructions --trace writes.  Restricting the trace
 * to user mode or to a code range is what makes a Linux boot traceable and
 * comparable with another emulator's log (tools/tracediff/). */
#ifndef TANDEM_UTIL_TRACE_FILTER_H
#define TANDEM_UTIL_TRACE_FILTER_H

#include <stdbool.h>
#include <stdint.h>

struct trace_filter {
	bool cpl3;		/* only instructions executed at CPL 3 */
	bool range;		/* only instructions at linear lo..hi (inclusive) */
	uint32_t lo, hi;
};

/* "cpl3", "LO-HI" (hex linear addresses, LO <= HI) or both, comma separated.
 * 0, or -1 (and *f unchanged) for anything else. */
int trace_filter_parse(const char *s, struct trace_filter *f);

/* Whether the instruction at linear address lin, executed at cpl, is traced
 * (f NULL: every instruction). */
static inline bool trace_filter_pass(const struct trace_filter *f, int cpl, uint32_t lin)
{
	if (!f)
		return true;
	if (f->cpl3 && cpl != 3)
		return false;
	return !f->range || (lin >= f->lo && lin <= f->hi);
}

#endif
