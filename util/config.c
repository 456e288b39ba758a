/* Reading INI files with libinih, one line at a time so that every value
 * and every error knows its line number. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/config.h"
#include "util/options.h"

#ifdef HAVE_INIH
#include <ini.h>
#endif

const char *options_user_conf(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		snprintf(buf, len, "%s/tandem/tandem.conf", xdg);
	else if (home && home[0])
		snprintf(buf, len, "%s/.config/tandem/tandem.conf", home);
	else
		return NULL;
	return buf;
}

#ifdef HAVE_INIH
struct reader {
	FILE *f;
	const char *path;
	int line;
	int bad_line;		/* first line a handler refused */
	struct tandem_options *o;
	int layer;
	char *err;
	size_t errlen;
};

/* fgets for inih, counting lines (inih reads one line per call). */
static char *read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	char *s = fgets(str, num, r->f);
	if (s)
		r->line++;
	return s;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	if (r->bad_line)
		return 0;
	char why[400];
	char origin[4200];
	snprintf(origin, sizeof(origin), "%s:%d", r->path, r->line);
	if (!section[0]) {
		snprintf(why, sizeof(why), "key '%s' is outside a [section]", name);
		goto bad;
	}
	if (!name) {
		return 1;	/* a [section] line on its own */
	}
	/* Values and origins live as long as the options (the whole run). */
	char *v = strdup(value);
	char *o = strdup(origin);
	if (!v || !o) {
		free(v);
		free(o);
		snprintf(why, sizeof(why), "out of memory");
		goto bad;
	}
	if (options_set_ini(r->o, section, name, v, r->layer, o, why, sizeof(why)) == 0)
		return 1;
bad:
	r->bad_line = r->line;
	snprintf(r->err, r->errlen, "%s:%d: %s", r->path, r->line, why);
	return 0;
}
#endif

int options_read_conf(const char *path, struct tandem_options *o, int layer, bool required,
		      char *err, size_t errlen)
{
	struct stat sb;
	if (stat(path, &sb) < 0) {
		if (!required && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "--conf %s: %s", path, strerror(errno));
		return -1;
	}
#ifdef HAVE_INIH
	if (S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "--conf %s: is a directory", path);
		return -1;
	}
	struct reader r = { .path = path, .o = o, .layer = layer, .err = err, .errlen = errlen };
	r.f = fopen(path, "r");
	if (!r.f) {
		snprintf(err, errlen, "--conf %s: %s", path, strerror(errno));
		return -1;
	}
	int first = ini_parse_stream(read_line, &r, on_key, &r);
	fclose(r.f);
	if (r.bad_line && (first <= 0 || first >= r.bad_line))
		return -1;
	if (first != 0) {
		/* A line inih could not read: no '=' or an unclosed '['. */
		snprintf(err, errlen, "%s:%d: expected [section] or key = value", path,
			 first > 0 ? first : 0);
		return -1;
	}
	return 0;
#else
	(void)o;
	(void)layer;
	if (!required) {
		fprintf(stderr, "tandem: warning: %s ignored: this tandem was built without "
			"libinih (apt-get install libinih-dev, then ./configure)\n", path);
		return 0;
	}
	snprintf(err, errlen, "--conf %s: this tandem was built without libinih "
		 "(apt-get install libinih-dev, then ./configure)", path);
	return -1;
#endif
}
