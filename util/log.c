#include <stdarg.h>
#include <stdio.h>
#include "util/log.h"

static int verbose;
static int quiet;

void log_set_verbose(int level) { verbose = level; }
void log_set_quiet(int q) { quiet = q; }

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "tandem: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(name, prefix, cond)				\
	void name(const char *fmt, ...)				\
	{							\
		va_list ap;					\
		if (!(cond))					\
			return;					\
		va_start(ap, fmt);				\
		vlog(prefix, fmt, ap);				\
		va_end(ap);					\
	}

LOG_FN(log_info, "", !quiet)
LOG_FN(log_warn, "warning: ", 1)
LOG_FN(log_error, "error: ", 1)
LOG_FN(log_debug, "debug: ", verbose)
