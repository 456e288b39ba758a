/* PNG files of the screen, through libpng. */
#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/machine.h"
#include "hw/vga.h"
#include "ui/png.h"
#include "ui/render.h"
#include "ui/ui.h"
#include "util/log.h"

/* libpng's default handlers print to stderr; we report errors ourselves. */
static void png_quiet_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_quiet_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* libpng reports errors by longjmp; the state it may clobber is kept in
 * volatile locals or allocated before setjmp. */
int ui_png_write(const char *path, const uint32_t *pix, int w, int h)
{
	if (w <= 0 || h <= 0)
		return -EINVAL;
	FILE *f = fopen(path, "wb");
	if (!f) {
		int e = errno;
		log_error("cannot write screenshot %s: %s", path, strerror(e));
		return -e;
	}
	uint8_t *row = malloc((size_t)w * 3);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_quiet_error,
						  png_quiet_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!row || !png || !info) {
		png_destroy_write_struct(&png, &info);
		free(row);
		fclose(f);
		log_error("cannot write screenshot %s: out of memory", path);
		return -ENOMEM;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		fclose(f);
		remove(path);
		log_error("cannot write screenshot %s: libpng failed", path);
		return -EIO;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		const uint32_t *p = pix + (size_t)y * w;
		for (int x = 0; x < w; x++) {
			row[x * 3 + 0] = (uint8_t)(p[x] >> 16);
			row[x * 3 + 1] = (uint8_t)(p[x] >> 8);
			row[x * 3 + 2] = (uint8_t)p[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	if (fclose(f) != 0) {
		int e = errno;
		log_error("cannot write screenshot %s: %s", path, strerror(e));
		remove(path);
		return -e;
	}
	return 0;
}

int ui_png_read(const char *path, uint32_t **pix_out, int *w_out, int *h_out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_quiet_error,
						 png_quiet_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	uint8_t *volatile row = NULL;
	uint32_t *volatile pix = NULL;
	if (!png || !info) {
		png_destroy_read_struct(&png, &info, NULL);
		fclose(f);
		return -ENOMEM;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		free(row);
		free(pix);
		fclose(f);
		return -EIO;
	}
	png_init_io(png, f);
	png_read_info(png, info);
	/* Whatever the file holds, read it as 8-bit RGB. */
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_strip_alpha(png);
	png_set_gray_to_rgb(png);
	png_read_update_info(png, info);
	png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
	if (w == 0 || h == 0 || w > 16384 || h > 16384 ||
	    png_get_rowbytes(png, info) != (size_t)w * 3) {
		png_destroy_read_struct(&png, &info, NULL);
		fclose(f);
		return -EINVAL;
	}
	row = malloc((size_t)w * 3);
	pix = malloc((size_t)w * h * sizeof(uint32_t));
	if (!row || !pix)
		png_error(png, "out of memory");
	for (png_uint_32 y = 0; y < h; y++) {
		png_read_row(png, row, NULL);
		for (png_uint_32 x = 0; x < w; x++)
			pix[(size_t)y * w + x] = (uint32_t)row[x * 3] << 16 |
						 (uint32_t)row[x * 3 + 1] << 8 | row[x * 3 + 2];
	}
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	free(row);
	fclose(f);
	*pix_out = pix;
	*w_out = (int)w;
	*h_out = (int)h;
	return 0;
}

int ui_screenshot_png(struct machine *m, const char *path)
{
	if (!m->vga) {
		log_error("cannot write screenshot %s: this machine has no display", path);
		return -ENODEV;
	}
	struct vga_text *t = malloc(sizeof(*t));
	uint32_t *pix = malloc(UI_SCREEN_MAX_PIXELS * sizeof(uint32_t));
	int r = -ENOMEM;
	if (t && pix) {
		int w, h;
		ui_render_screen(m->vga, t, ui_frame_now(m), pix, &w, &h);
		r = ui_png_write(path, pix, w, h);
	}
	if (!pix || !t)
		log_error("cannot write screenshot %s: out of memory", path);
	free(pix);
	free(t);
	return r;
}
