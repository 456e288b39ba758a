/* pngcmp A.png B.png: compares two PNG pictures pixel for pixel (as 8-bit
 * RGB, whatever their encoding).  Exit 0 when equal; 1 when they differ,
 * after printing the sizes or the number of differing pixels and the
 * first one; 2 when a file cannot be read.  Standalone (libpng only) so
 * that the guest test runner can build it with one cc command. */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct pic {
	png_uint_32 w, h;
	uint8_t *rgb;
};

static int load(const char *path, struct pic *p)
{
	png_image img = { .version = PNG_IMAGE_VERSION };
	if (!png_image_begin_read_from_file(&img, path)) {
		fprintf(stderr, "pngcmp: %s: %s\n", path, img.message);
		return -1;
	}
	img.format = PNG_FORMAT_RGB;
	p->w = img.width;
	p->h = img.height;
	p->rgb = malloc(PNG_IMAGE_SIZE(img));
	if (!p->rgb || !png_image_finish_read(&img, NULL, p->rgb, 0, NULL)) {
		fprintf(stderr, "pngcmp: %s: %s\n", path, p->rgb ? img.message : "no memory");
		png_image_free(&img);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct pic a, b;
	if (argc != 3) {
		fprintf(stderr, "usage: pngcmp A.png B.png\n");
		return 2;
	}
	if (load(argv[1], &a) < 0 || load(argv[2], &b) < 0)
		return 2;
	if (a.w != b.w || a.h != b.h) {
		printf("size %ux%u vs %ux%u\n", (unsigned)a.w, (unsigned)a.h, (unsigned)b.w,
		       (unsigned)b.h);
		return 1;
	}
	unsigned long diff = 0;
	long first = -1;
	for (size_t i = 0; i < (size_t)a.w * a.h; i++) {
		const uint8_t *x = a.rgb + i * 3, *y = b.rgb + i * 3;
		if (x[0] != y[0] || x[1] != y[1] || x[2] != y[2]) {
			if (first < 0)
				first = (long)i;
			diff++;
		}
	}
	if (diff) {
		const uint8_t *x = a.rgb + first * 3, *y = b.rgb + first * 3;
		printf("%lu pixels differ, first at (%ld,%ld): %02x%02x%02x vs %02x%02x%02x\n",
		       diff, first % (long)a.w, first / (long)a.w, x[0], x[1], x[2], y[0], y[1],
		       y[2]);
	}
	free(a.rgb);
	free(b.rgb);
	return diff ? 1 : 0;
}
