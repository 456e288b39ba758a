/* psf2c: converts a Linux console font (PSF1 or PSF2, optionally gzipped)
 * into a C array of 256 glyphs in code page 437 order, for ui/render.c.
 *
 *   psf2c INPUT.psf[.gz] [NAME] > OUTPUT.c
 *
 * writes to stdout `const uint8_t NAME[256 * 16]` (NAME defaults to
 * ui_font8x16; one byte per glyph row, leftmost dot in bit 7).  When the
 * font has a Unicode table, each CP437 character is looked up through it,
 * so fonts whose glyphs are not stored in CP437 order work too; without a
 * table the glyphs are taken as they are.  Fails (exit 1) when glyphs are
 * not 16 lines high or wider than 8 dots; CP437 characters the font lacks
 * are drawn as its replacement glyph, with a warning.
 *
 * Built and run at build time: the font comes from a Debian package and the
 * generated file is not committed.  Built alone (no tandem objects), so it
 * shares only the CP437 table's initializer with ui/. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../ui/cp437.h"

static const uint16_t cp437_unicode[256] = UI_CP437_UNICODE_INIT;

#define MAX_GLYPHS 4096
#define MAX_FILE (4 << 20)

struct font {
	int nglyphs, height, width, bytes_per_glyph;
	const uint8_t *glyphs;
	/* For each glyph, the Unicode code points it is listed for. */
	int *nuni;
	uint32_t **uni;
};

static void add_uni(struct font *f, int glyph, uint32_t cp)
{
	if (glyph < 0 || glyph >= f->nglyphs)
		return;
	uint32_t *n = realloc(f->uni[glyph], (f->nuni[glyph] + 1) * sizeof(*n));
	if (!n) {
		perror("psf2c");
		exit(1);
	}
	n[f->nuni[glyph]++] = cp;
	f->uni[glyph] = n;
}

/* PSF1 table: per glyph, 16-bit code points up to 0xFFFF; 0xFFFE starts
 * combining sequences, which we skip. */
static int parse_psf1_table(struct font *f, const uint8_t *p, const uint8_t *end)
{
	for (int g = 0; g < f->nglyphs; g++) {
		int in_seq = 0;
		for (;;) {
			if (end - p < 2)
				return -1;
			uint16_t v = (uint16_t)(p[0] | p[1] << 8);
			p += 2;
			if (v == 0xffff)
				break;
			if (v == 0xfffe)
				in_seq = 1;
			else if (!in_seq)
				add_uni(f, g, v);
		}
	}
	return 0;
}

static int utf8_decode(const uint8_t **pp, const uint8_t *end, uint32_t *cp)
{
	const uint8_t *p = *pp;
	int n;
	uint32_t v;
	if (p[0] < 0x80) {
		n = 1;
		v = p[0];
	} else if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		v = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		v = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		v = p[0] & 0x07;
	} else {
		return -1;
	}
	if (end - p < n)
		return -1;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		v = v << 6 | (p[i] & 0x3f);
	}
	*pp = p + n;
	*cp = v;
	return 0;
}

/* PSF2 table: per glyph, UTF-8 strings; 0xFE starts a sequence, 0xFF ends
 * the glyph's entry. */
static int parse_psf2_table(struct font *f, const uint8_t *p, const uint8_t *end)
{
	for (int g = 0; g < f->nglyphs; g++) {
		int in_seq = 0;
		for (;;) {
			if (p >= end)
				return -1;
			if (*p == 0xff) {
				p++;
				break;
			}
			if (*p == 0xfe) {
				in_seq = 1;
				p++;
				continue;
			}
			uint32_t cp;
			if (utf8_decode(&p, end, &cp) < 0)
				return -1;
			if (!in_seq)
				add_uni(f, g, cp);
		}
	}
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int parse(struct font *f, const uint8_t *buf, size_t len, const char *path)
{
	const uint8_t *end = buf + len;
	int has_table;
	const uint8_t *table;

	if (len >= 4 && buf[0] == 0x36 && buf[1] == 0x04) {
		f->nglyphs = (buf[2] & 1) ? 512 : 256;
		has_table = (buf[2] & 6) != 0;
		f->height = buf[3];
		f->width = 8;
		f->bytes_per_glyph = f->height;
		f->glyphs = buf + 4;
	} else if (len >= 32 && le32(buf) == 0x864ab572) {
		uint32_t hdr = le32(buf + 8);
		has_table = le32(buf + 12) & 1;
		f->nglyphs = (int)le32(buf + 16);
		f->bytes_per_glyph = (int)le32(buf + 20);
		f->height = (int)le32(buf + 24);
		f->width = (int)le32(buf + 28);
		if (hdr < 32 || hdr > len) {
			fprintf(stderr, "psf2c: %s: bad PSF2 header size\n", path);
			return -1;
		}
		f->glyphs = buf + hdr;
	} else {
		fprintf(stderr, "psf2c: %s: not a PSF1 or PSF2 font\n", path);
		return -1;
	}
	if (f->width < 1 || f->width > 8 || f->height < 1 || f->height > 32 ||
	    f->nglyphs < 256 || f->nglyphs > MAX_GLYPHS ||
	    f->bytes_per_glyph != f->height) {
		fprintf(stderr, "psf2c: %s: unsupported font (%d glyphs of %dx%d); "
			"need at least 256 glyphs up to 8 dots wide\n",
			path, f->nglyphs, f->width, f->height);
		return -1;
	}
	if ((size_t)(end - f->glyphs) < (size_t)f->nglyphs * f->bytes_per_glyph) {
		fprintf(stderr, "psf2c: %s: truncated glyph data\n", path);
		return -1;
	}
	f->nuni = calloc(f->nglyphs, sizeof(*f->nuni));
	f->uni = calloc(f->nglyphs, sizeof(*f->uni));
	if (!f->nuni || !f->uni) {
		perror("psf2c");
		return -1;
	}
	if (!has_table)
		return 0;
	table = f->glyphs + (size_t)f->nglyphs * f->bytes_per_glyph;
	int r = buf[0] == 0x36 ? parse_psf1_table(f, table, end) : parse_psf2_table(f, table, end);
	if (r < 0) {
		fprintf(stderr, "psf2c: %s: bad Unicode table\n", path);
		return -1;
	}
	return 1;
}

static int find_glyph(const struct font *f, uint32_t cp)
{
	for (int g = 0; g < f->nglyphs; g++)
		for (int i = 0; i < f->nuni[g]; i++)
			if (f->uni[g][i] == cp)
				return g;
	return -1;
}

/* Code points fonts commonly use instead of the canonical CP437 mapping. */
static uint32_t alternate(int c)
{
	switch (c) {
	case 0xe1: return 0x03b2;	/* beta for sharp s */
	case 0xe6: return 0x03bc;	/* mu for micro sign */
	case 0xee: return 0x2208;	/* element-of for epsilon */
	case 0xf9: return 0x00b7;
	case 0xfa: return 0x2219;
	case 0xff: return 0x0020;
	default: return 0;
	}
}

static int glyph_for(const struct font *f, int has_table, int c)
{
	if (!has_table || c == 0)
		return c;
	int g = find_glyph(f, cp437_unicode[c]);
	if (g < 0 && alternate(c))
		g = find_glyph(f, alternate(c));
	return g;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	gzFile z = gzopen(path, "rb");
	if (!z) {
		fprintf(stderr, "psf2c: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	uint8_t *buf = malloc(MAX_FILE);
	int n = buf ? gzread(z, buf, MAX_FILE) : -1;
	gzclose(z);
	if (n <= 0 || n == MAX_FILE) {
		fprintf(stderr, "psf2c: cannot read %s (empty, too big or corrupt)\n", path);
		free(buf);
		return NULL;
	}
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	struct font f = { 0 };
	size_t len;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: psf2c INPUT.psf[.gz] [NAME] > OUTPUT.c\n");
		return 2;
	}
	const char *in = argv[1], *name = argc > 2 ? argv[2] : "ui_font8x16";
	uint8_t *buf = slurp(in, &len);
	if (!buf)
		return 1;
	int has_table = parse(&f, buf, len, in);
	if (has_table < 0)
		return 1;

	if (f.height != 16) {
		fprintf(stderr, "psf2c: %s: glyphs are %d lines high; tandem needs an 8x16 font\n",
			in, f.height);
		return 1;
	}
	/* A font short of some CP437 glyphs still makes a usable screen: the
	 * missing ones show as the replacement character (or ?), and we say
	 * which. */
	int map[256], missing = 0, missing_codes[256];
	int fallback = has_table ? find_glyph(&f, 0xfffd) : -1;
	if (fallback < 0)
		fallback = glyph_for(&f, has_table, '?');
	for (int c = 0; c < 256; c++) {
		map[c] = glyph_for(&f, has_table, c);
		if (map[c] >= 0)
			continue;
		if (fallback < 0) {
			fprintf(stderr, "psf2c: %s has no glyph for CP437 %02Xh (U+%04X)\n",
				in, c, cp437_unicode[c]);
			return 1;
		}
		missing_codes[missing++] = c;
		map[c] = fallback;
	}
	if (missing) {
		fprintf(stderr, "psf2c: warning: %s lacks %d CP437 glyphs, drawn as a "
			"replacement:", in, missing);
		for (int i = 0; i < missing; i++)
			fprintf(stderr, " %02X", missing_codes[i]);
		fprintf(stderr, "\npsf2c: default8x16.psf.gz (Debian console-data) "
			"has them all\n");
	}

	printf("/* Generated by tools/psf2c from %s: do not edit. */\n", in);
	printf("#include <stdint.h>\n\n");
	printf("extern const uint8_t %s[256 * %d];\n", name, f.height);
	printf("const uint8_t %s[256 * %d] = {\n", name, f.height);
	for (int c = 0; c < 256; c++) {
		const uint8_t *g = f.glyphs + (size_t)map[c] * f.bytes_per_glyph;
		printf("\t/* %02x */", c);
		/* Cell value 0 is blank whatever the font stores there. */
		for (int r = 0; r < f.height; r++)
			printf(" 0x%02x,", c ? g[r] : 0);
		printf("\n");
	}
	printf("};\n");
	free(buf);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "psf2c: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
