/* CD images for hw/cdimage.h: ISO files and CUE sheets with BIN files.
 *
 * The CUE parser takes what disc rippers write (cdrdao, ImgBurn, IsoBuster,
 * DOSBox-style sheets): FILE "name" BINARY, TRACK nn MODE, INDEX 00/01
 * mm:ss:ff, PREGAP; REM, CATALOG, FLAGS, ISRC, TITLE, PERFORMER, SONGWRITER
 * and CDTEXTFILE are skipped.  INDEX times count frames from the start of
 * the track's FILE; a new FILE follows the previous one on the disc. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/cdimage.h"

#define MAX_FILES CD_MAX_TRACKS
#define CUE_MAX_BYTES (256 * 1024)

struct cd_file {
	char *path;
	int fd;
	uint64_t size;
};

struct cdimage {
	char *path;
	struct cd_file files[MAX_FILES];
	int nfiles;
	struct cd_track tracks[CD_MAX_TRACKS];
	int ntracks;
	uint32_t leadout;
};

void cd_lba_to_msf(uint32_t lba, uint8_t msf[3])
{
	lba += 150;
	msf[0] = (uint8_t)(lba / (75 * 60));
	msf[1] = (uint8_t)(lba / 75 % 60);
	msf[2] = (uint8_t)(lba % 75);
}

int32_t cd_msf_to_lba(uint8_t m, uint8_t s, uint8_t f)
{
	return ((int32_t)m * 60 + s) * 75 + f - 150;
}

static uint32_t sector_bytes(enum cd_track_mode m)
{
	return m == CD_MODE1_2048 ? CD_DATA_BYTES : CD_RAW_BYTES;
}

void cdimage_close(struct cdimage *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nfiles; i++) {
		close(c->files[i].fd);
		free(c->files[i].path);
	}
	free(c->path);
	free(c);
}

/* Opens a regular, non-empty file for reading; -1 with the reason in err. */
static int open_file(struct cd_file *f, const char *path, const char *what, char *err,
		     size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s '%s': %s", what, path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s '%s' is not a regular file", what, path);
		close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "%s '%s' is empty", what, path);
		close(fd);
		return -1;
	}
	f->path = strdup(path);
	if (!f->path) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		return -1;
	}
	f->fd = fd;
	f->size = (uint64_t)st.st_size;
	return 0;
}

static int open_iso(struct cdimage *c, const char *path, char *err, size_t errlen)
{
	if (open_file(&c->files[0], path, "CD-ROM image", err, errlen) < 0)
		return -1;
	c->nfiles = 1;
	uint64_t size = c->files[0].size;
	if (size % CD_DATA_BYTES || size / CD_DATA_BYTES > 0xffffffu) {
		snprintf(err, errlen, "CD-ROM image '%s' has %llu bytes; an ISO image is a whole "
			 "number of 2048-byte blocks (at most 16 Mi of them)", path,
			 (unsigned long long)size);
		return -1;
	}
	struct cd_track *t = &c->tracks[0];
	t->number = 1;
	t->mode = CD_MODE1_2048;
	t->end = (uint32_t)(size / CD_DATA_BYTES);
	c->ntracks = 1;
	c->leadout = t->end;
	return 0;
}

/* --- CUE sheets ------------------------------------------------------------ */

/* One TRACK as the sheet gives it, before the disc layout is known. */
struct cue_track {
	int file, line;
	enum cd_track_mode mode;
	int32_t index0, index1;	/* frames into the file; index0 -1: none */
	uint32_t pregap;
};

struct cue_parse {
	const char *cue_path;
	char *err;
	size_t errlen;
	int line;
	struct cue_track t[CD_MAX_TRACKS];
	int nt;
};

__attribute__((format(printf, 2, 3))) static int cue_fail(struct cue_parse *p,
							  const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "'%s' line %d: ", p->cue_path, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Next word of *s (a "quoted string" is one word); NULL at the end. */
static char *next_word(char **s)
{
	char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	char *w;
	if (*p == '"') {
		w = ++p;
		while (*p && *p != '"')
			p++;
	} else {
		w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (*p)
		*p++ = '\0';
	*s = p;
	return w;
}

/* "mm:ss:ff" -> frames; -1 when malformed. */
static int32_t parse_msf(const char *s)
{
	unsigned v[3];
	for (int i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		unsigned n = 0;
		int digits = 0;
		while (isdigit((unsigned char)*s) && digits < 4) {
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		v[i] = n;
		if (i < 2 && *s++ != ':')
			return -1;
	}
	if (*s || v[1] >= 60 || v[2] >= 75 || v[0] > 99)
		return -1;
	return (int32_t)((v[0] * 60 + v[1]) * 75 + v[2]);
}

static int parse_mode(const char *s, enum cd_track_mode *m)
{
	static const struct {
		const char *name;
		enum cd_track_mode mode;
	} modes[] = {
		{ "AUDIO", CD_AUDIO }, { "MODE1/2048", CD_MODE1_2048 },
		{ "MODE1/2352", CD_MODE1_2352 }, { "MODE2/2352", CD_MODE2_2352 },
	};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcasecmp(s, modes[i].name)) {
			*m = modes[i].mode;
			return 0;
		}
	}
	return -1;
}

/* FILE "name" TYPE: opens name, relative to the sheet's directory. */
static int cue_file(struct cue_parse *p, struct cdimage *c, char *args)
{
	char *name = next_word(&args);
	char *type = next_word(&args);
	if (!name || !*name)
		return cue_fail(p, "FILE without a file name");
	if (type && strcasecmp(type, "BINARY"))
		return cue_fail(p, "FILE type '%s' is not supported (only BINARY: raw "
				"2048/2352-byte sectors, audio as 16-bit little endian)", type);
	if (c->nfiles > 0 && (p->nt == 0 || p->t[p->nt - 1].file != c->nfiles - 1))
		return cue_fail(p, "the previous FILE has no TRACK");
	if (c->nfiles == MAX_FILES)
		return cue_fail(p, "more than %d FILEs", MAX_FILES);
	char path[4096];
	const char *slash = strrchr(p->cue_path, '/');
	if (name[0] == '/' || !slash)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - p->cue_path), p->cue_path,
			 name);
	char why[512];
	if (open_file(&c->files[c->nfiles], path, "BIN file", why, sizeof(why)) < 0)
		return cue_fail(p, "FILE: %s", why);
	c->nfiles++;
	return 0;
}

static int cue_line(struct cue_parse *p, struct cdimage *c, char *s)
{
	char *cmd = next_word(&s);
	if (!cmd)
		return 0;
	if (!strcasecmp(cmd, "FILE"))
		return cue_file(p, c, s);
	if (!strcasecmp(cmd, "TRACK")) {
		char *num = next_word(&s), *mode = next_word(&s);
		if (!c->nfiles)
			return cue_fail(p, "TRACK before any FILE");
		char *end;
		long n = num ? strtol(num, &end, 10) : 0;
		if (!num || *end || n < 1 || n > CD_MAX_TRACKS)
			return cue_fail(p, "bad track number '%s' (1 to 99)", num ? num : "");
		if (n != p->nt + 1)
			return cue_fail(p, "track %ld out of order (expected track %d)", n, p->nt + 1);
		if (p->nt && p->t[p->nt - 1].index1 < 0)
			return cue_fail(p, "track %d has no INDEX 01", p->nt);
		struct cue_track *t = &p->t[p->nt];
		if (!mode || parse_mode(mode, &t->mode) < 0)
			return cue_fail(p, "track mode '%s' is not supported (AUDIO, MODE1/2048, "
					"MODE1/2352 or MODE2/2352)", mode ? mode : "");
		t->file = c->nfiles - 1;
		t->line = p->line;
		t->index0 = t->index1 = -1;
		t->pregap = 0;
		p->nt++;
		return 0;
	}
	if (!strcasecmp(cmd, "INDEX") || !strcasecmp(cmd, "PREGAP")) {
		bool pregap = !strcasecmp(cmd, "PREGAP");
		char *num = pregap ? NULL : next_word(&s), *time = next_word(&s);
		if (!p->nt)
			return cue_fail(p, "%s before any TRACK", cmd);
		struct cue_track *t = &p->t[p->nt - 1];
		int32_t f = time ? parse_msf(time) : -1;
		if (f < 0)
			return cue_fail(p, "bad time '%s' (mm:ss:ff, seconds below 60, frames "
					"below 75)", time ? time : "");
		if (pregap) {
			t->pregap = (uint32_t)f;
			return 0;
		}
		char *end;
		long n = num ? strtol(num, &end, 10) : -1;
		if (!num || *end || n < 0 || n > 99)
			return cue_fail(p, "bad index number '%s'", num ? num : "");
		if (n == 0)
			t->index0 = f;
		else if (n == 1)
			t->index1 = f;
		return 0;	/* indexes 2-99 are positions inside the track */
	}
	static const char *const skipped[] = {
		"REM", "CATALOG", "FLAGS", "ISRC", "TITLE", "PERFORMER", "SONGWRITER",
		"CDTEXTFILE",
	};
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		if (!strcasecmp(cmd, skipped[i]))
			return 0;
	if (!strcasecmp(cmd, "POSTGAP"))
		return cue_fail(p, "POSTGAP is not supported");
	return cue_fail(p, "unknown command '%.40s'", cmd);
}

/* Lays the parsed tracks out on the disc: each FILE follows the previous
 * one, a PREGAP adds silence before the track's file data. */
static int cue_layout(struct cue_parse *p, struct cdimage *c)
{
	uint32_t lba = 0;
	uint64_t pos = 0;	/* byte in the file of the current track's area */
	for (int i = 0; i < p->nt; i++) {
		struct cue_track *t = &p->t[i];
		struct cd_file *f = &c->files[t->file];
		struct cd_track *d = &c->tracks[i];
		p->line = t->line;
		uint32_t size = sector_bytes(t->mode);
		int32_t s = t->index0 >= 0 ? t->index0 : t->index1;
		if (t->index0 > t->index1)
			return cue_fail(p, "track %d: INDEX 00 after INDEX 01", i + 1);
		if (i == 0 || p->t[i - 1].file != t->file) {
			pos = (uint64_t)s * size;
		} else {
			const struct cue_track *prev = &p->t[i - 1];
			int32_t ps = prev->index0 >= 0 ? prev->index0 : prev->index1;
			if (s <= prev->index1)
				return cue_fail(p, "track %d starts at frame %d, not after track %d's "
						"INDEX 01 (frame %d)", i + 1, s, i, prev->index1);
			pos += (uint64_t)(s - ps) * sector_bytes(prev->mode);
			c->tracks[i - 1].end = c->tracks[i - 1].first + c->tracks[i - 1].silent +
					       (uint32_t)(s - ps);
			lba = c->tracks[i - 1].end;
		}
		uint64_t start_byte = pos + (uint64_t)(t->index1 - s) * size;
		if (start_byte + size > f->size)
			return cue_fail(p, "track %d (INDEX 01 at frame %d) is beyond the end of "
					"'%s' (%llu bytes: %llu frames of %u)", i + 1, t->index1,
					f->path, (unsigned long long)f->size,
					(unsigned long long)(f->size / size), size);
		d->number = (uint8_t)(i + 1);
		d->mode = t->mode;
		d->first = lba;
		d->silent = t->pregap;
		d->start = lba + t->pregap + (uint32_t)(t->index1 - s);
		d->file = t->file;
		d->offset = pos;
		bool last_in_file = i + 1 == p->nt || p->t[i + 1].file != t->file;
		if (last_in_file) {
			uint64_t frames = (f->size - pos) / size;
			if ((uint64_t)d->first + d->silent + frames > 0xffffffu)
				return cue_fail(p, "the disc would be longer than 16 Mi frames");
			d->end = d->first + d->silent + (uint32_t)frames;
			lba = d->end;
		}
	}
	c->ntracks = p->nt;
	c->leadout = lba;
	return 0;
}

static int open_cue(struct cdimage *c, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "cannot open CUE sheet '%s': %s", path, strerror(errno));
		return -1;
	}
	struct cue_parse *p = calloc(1, sizeof(*p));
	if (!p) {
		fclose(fp);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->cue_path = path;
	p->err = err;
	p->errlen = errlen;
	char line[1024];
	int rc = 0;
	long total = 0;
	while (rc == 0 && fgets(line, sizeof(line), fp)) {
		p->line++;
		size_t n = strlen(line);
		total += (long)n;
		if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
			rc = cue_fail(p, "line longer than %zu bytes", sizeof(line) - 2);
			break;
		}
		if (total > CUE_MAX_BYTES) {
			rc = cue_fail(p, "CUE sheet longer than %d bytes", CUE_MAX_BYTES);
			break;
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (p->line == 1 && (uint8_t)line[0] == 0xef && (uint8_t)line[1] == 0xbb &&
		    (uint8_t)line[2] == 0xbf)
			memmove(line, line + 3, n - 2);	/* UTF-8 byte order mark */
		rc = cue_line(p, c, line);
	}
	if (rc == 0 && ferror(fp))
		rc = cue_fail(p, "read error");
	fclose(fp);
	if (rc == 0 && p->nt == 0) {
		snprintf(err, errlen, "CUE sheet '%s' has no TRACK", path);
		rc = -1;
	}
	if (rc == 0 && p->t[p->nt - 1].index1 < 0) {
		p->line = p->t[p->nt - 1].line;
		rc = cue_fail(p, "track %d has no INDEX 01", p->nt);
	}
	if (rc == 0)
		rc = cue_layout(p, c);
	free(p);
	return rc;
}

static bool is_cue(const char *path)
{
	size_t n = strlen(path);
	return n >= 4 && !strcasecmp(path + n - 4, ".cue");
}

struct cdimage *cdimage_open(const char *path, char *err, size_t errlen)
{
	struct cdimage *c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		free(c);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((is_cue(path) ? open_cue(c, path, err, errlen) : open_iso(c, path, err, errlen)) < 0) {
		cdimage_close(c);
		return NULL;
	}
	return c;
}

const char *cdimage_path(const struct cdimage *c) { return c->path; }
int cdimage_track_count(const struct cdimage *c) { return c->ntracks; }
uint32_t cdimage_leadout(const struct cdimage *c) { return c->leadout; }

const struct cd_track *cdimage_track(const struct cdimage *c, int i)
{
	return i >= 0 && i < c->ntracks ? &c->tracks[i] : NULL;
}

const struct cd_track *cdimage_track_at(const struct cdimage *c, uint32_t lba)
{
	for (int i = 0; i < c->ntracks; i++)
		if (lba >= c->tracks[i].first && lba < c->tracks[i].end)
			return &c->tracks[i];
	return NULL;
}

/* len bytes at byte skip of lba's frame in its file (zeros in a PREGAP). */
static int read_frame(struct cdimage *c, const struct cd_track *t, uint32_t lba, uint32_t skip,
		      uint8_t *buf, uint32_t len)
{
	if (lba < t->first + t->silent) {
		memset(buf, 0, len);
		return 0;
	}
	const struct cd_file *f = &c->files[t->file];
	uint64_t off = t->offset + (uint64_t)(lba - t->first - t->silent) *
		       sector_bytes(t->mode) + skip;
	while (len) {
		ssize_t n = pread(f->fd, buf, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -EIO;
		if (n == 0) {	/* the file shrank since it was opened */
			memset(buf, 0, len);
			return 0;
		}
		buf += n;
		off += (uint64_t)n;
		len -= (uint32_t)n;
	}
	return 0;
}

int cdimage_read_data(struct cdimage *c, uint32_t lba, uint8_t *buf)
{
	const struct cd_track *t = cdimage_track_at(c, lba);
	if (!t || cd_track_is_audio(t))
		return -EINVAL;
	uint32_t skip = t->mode == CD_MODE1_2352 ? 16 : t->mode == CD_MODE2_2352 ? 24 : 0;
	return read_frame(c, t, lba, skip, buf, CD_DATA_BYTES);
}

static uint8_t bcd(unsigned v)
{
	return (uint8_t)((v / 10) << 4 | v % 10);
}

int cdimage_read_raw(struct cdimage *c, uint32_t lba, uint8_t *buf)
{
	const struct cd_track *t = cdimage_track_at(c, lba);
	if (!t)
		return -EINVAL;
	if (t->mode != CD_MODE1_2048)
		return read_frame(c, t, lba, 0, buf, CD_RAW_BYTES);
	memset(buf, 0, CD_RAW_BYTES);
	memset(buf + 1, 0xff, 10);	/* sync: 00 FF x10 00 */
	uint8_t msf[3];
	cd_lba_to_msf(lba, msf);
	buf[12] = bcd(msf[0]);
	buf[13] = bcd(msf[1]);
	buf[14] = bcd(msf[2]);
	buf[15] = 1;
	return read_frame(c, t, lba, 0, buf + 16, CD_DATA_BYTES);
}
