/* PNG encoding and decoding of 0x00RRGGBB framebuffers (libpng). */
#ifndef TANDEM_UI_PNG_H
#define TANDEM_UI_PNG_H

#include <stdint.h>

/* Writes w x h pixels as an 8-bit RGB PNG; 0 or -errno (and a message). */
int ui_png_write(const char *path, const uint32_t *pix, int w, int h);

/* Reads any PNG as 8-bit RGB into a malloc'ed framebuffer the caller
 * frees; 0 or -errno (silent: used by tests and comparisons). */
int ui_png_read(const char *path, uint32_t **pix, int *w, int *h);

#endif
