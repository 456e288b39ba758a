#include <errno.h>
#include <string.h>

#include "util/chardev.h"
#include "util/log.h"

int chardev_open(const char *spec, const char *what, FILE **out)
{
	*out = NULL;
	if (!spec || strcmp(spec, "none") == 0)
		return 0;
	if (strcmp(spec, "stdio") == 0) {
		*out = stdout;
		return 0;
	}
	if (strncmp(spec, "file:", 5) == 0) {
		FILE *f = fopen(spec + 5, "wb");
		if (!f) {
			log_error("cannot open %s output '%s': %s", what, spec + 5, strerror(errno));
			return -1;
		}
		/* Unbuffered so output survives a crash of the guest or a kill. */
		setvbuf(f, NULL, _IONBF, 0);
		*out = f;
		return 0;
	}
	log_error("%s: '%s' is not stdio, file:PATH or none", what, spec);
	return -1;
}

void chardev_close(FILE *f)
{
	if (f && f != stdout && f != stderr)
		fclose(f);
	else if (f)
		fflush(f);
}
