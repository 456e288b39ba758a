/* INI configuration files (libinih) for the option layers of
 * util/options.h: [section] headers, key = value lines, ; and # comments.
 * Each key is an option's long name in the option's section. */
#ifndef TANDEM_UTIL_CONFIG_H
#define TANDEM_UTIL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct tandem_options;

/* Applies every key of the file at path to o as layer.  A missing file is
 * an error only when required (--conf; the user's own file is optional).
 * -1 with "PATH:LINE: why" in err on the first bad line. */
int options_read_conf(const char *path, struct tandem_options *o, int layer, bool required,
		      char *err, size_t errlen);
/* The user's file, $XDG_CONFIG_HOME/tandem/tandem.conf or
 * ~/.config/tandem/tandem.conf, into buf; NULL when there is no home. */
const char *options_user_conf(char *buf, size_t len);

#endif
