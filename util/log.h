/* Messages to the user on stderr, prefixed with "tandem: ". */
#ifndef TANDEM_UTIL_LOG_H
#define TANDEM_UTIL_LOG_H

__attribute__((format(printf, 1, 2))) void log_info(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void log_warn(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void log_error(const char *fmt, ...);
/* Debug messages print only after log_set_verbose(1). */
__attribute__((format(printf, 1, 2))) void log_debug(const char *fmt, ...);
void log_set_verbose(int level);
/* Silences log_info (used by --quiet). */
void log_set_quiet(int quiet);

#endif
