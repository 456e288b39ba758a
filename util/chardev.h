/* Character sinks named on the command line: "stdio", "file:PATH", "none". */
#ifndef TANDEM_UTIL_CHARDEV_H
#define TANDEM_UTIL_CHARDEV_H

#include <stdio.h>

/* Opens spec for writing.  *out is NULL for "none".  Returns 0, or -1 after
 * printing why (unwritable file). */
int chardev_open(const char *spec, const char *what, FILE **out);
/* Closes a FILE from chardev_open (leaves stdout open). */
void chardev_close(FILE *f);

#endif
