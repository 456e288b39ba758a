/* Start-up timing printouts (startup_trace.h). */
#include "util/startup_trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int enabled = -1;	/* -1: environment not read yet */
static double t0_us = -1;

static double realtime_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

void startup_trace_mark(const char *what)
{
	if (enabled < 0) {
		enabled = getenv("TANDEM_STARTUP_TRACE") != NULL;
		const char *t0 = getenv("TANDEM_T0_US");
		if (enabled && t0)
			t0_us = strtod(t0, NULL);
	}
	if (!enabled)
		return;
	double now = realtime_us();
	if (t0_us < 0)
		t0_us = now;
	fprintf(stderr, "tandem: startup: %s %.3f ms\n", what, (now - t0_us) / 1e3);
}
