/* Start-up timing: with TANDEM_STARTUP_TRACE set in the environment,
 * startup_trace_mark() prints "tandem: startup: WHAT T ms" on stderr, T
 * counted from the launch (TANDEM_T0_US: the launcher's CLOCK_REALTIME in
 * microseconds just before exec, as bash's ${EPOCHREALTIME/./} gives it) or,
 * without it, from the first mark.  bench/run.sh uses it to measure process
 * start to the first guest instruction.  Costs one getenv when unset. */
#ifndef TANDEM_UTIL_STARTUP_TRACE_H
#define TANDEM_UTIL_STARTUP_TRACE_H

void startup_trace_mark(const char *what);

#endif
