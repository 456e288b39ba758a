/* The SDL2 window (built only with HAVE_SDL). */
#ifndef TANDEM_UI_SDL_H
#define TANDEM_UI_SDL_H

#include <stdint.h>

struct ui_sdl;

/* Called with the set-1 bytes of each key press or release. */
typedef void (*ui_sdl_key_fn)(void *opaque, const uint8_t *codes, int n);

/* Opens a w x h picture window at scale (0: 2 when the desktop has room
 * for it, else 1); NULL with *why filled (why_len
 * bytes) when there is no display or SDL fails. */
struct ui_sdl *ui_sdl_new(int w, int h, int scale, ui_sdl_key_fn key, void *opaque,
			  char *why, size_t why_len);

/* Handles pending events; 1 when the window was closed. */
int ui_sdl_poll(struct ui_sdl *s);

/* Shows a w x h 0x00RRGGBB picture (the window follows size changes). */
void ui_sdl_present(struct ui_sdl *s, const uint32_t *pix, int w, int h);

void ui_sdl_free(struct ui_sdl *s);

#endif
