/* SDL2 window: one streaming texture with the rendered screen, scaled by
 * the renderer (keeping its aspect), and keyboard events translated to
 * scancode set 1 through ui/keymap.c.  SDL's scancodes are USB HID usage
 * IDs, which is what the keymap is indexed by. */
#ifdef HAVE_SDL
#include <SDL.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/keymap.h"
#include "ui/sdl.h"

_Static_assert(SDL_SCANCODE_A == 0x04 && SDL_SCANCODE_LCTRL == 0xe0 &&
	       SDL_SCANCODE_PRINTSCREEN == 0x46 && SDL_SCANCODE_NONUSBACKSLASH == 0x64,
	       "SDL scancodes are USB HID usages");

struct ui_sdl {
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Texture *tex;
	int w, h, scale;
	ui_sdl_key_fn key;
	void *opaque;
	/* Keys held down, so that losing focus can release them: the guest
	 * would otherwise see Alt stuck after an Alt+Tab. */
	uint8_t down[SDL_NUM_SCANCODES];
};

static int make_texture(struct ui_sdl *s, int w, int h)
{
	if (s->tex)
		SDL_DestroyTexture(s->tex);
	s->tex = SDL_CreateTexture(s->ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING,
				   w, h);
	if (!s->tex)
		return -1;
	s->w = w;
	s->h = h;
	SDL_RenderSetLogicalSize(s->ren, w, h);
	return 0;
}

/* Twice the VGA's size when the desktop has room for it, else 1:1. */
static int auto_scale(int w, int h)
{
	SDL_Rect r;
	if (SDL_GetDisplayUsableBounds(0, &r) == 0 && (r.w < 2 * w || r.h < 2 * h))
		return 1;
	return 2;
}

struct ui_sdl *ui_sdl_new(int w, int h, int scale, ui_sdl_key_fn key, void *opaque,
			  char *why, size_t why_len)
{
	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") && !getenv("SDL_VIDEODRIVER")) {
		snprintf(why, why_len, "no display (DISPLAY and WAYLAND_DISPLAY are unset)");
		return NULL;
	}
	/* The main loop owns SIGINT/SIGTERM. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	/* Only real displays: left to itself SDL would try every driver and
	 * end up "succeeding" with an offscreen one nobody can see. */
	bool chosen = getenv("SDL_VIDEODRIVER") != NULL;
	if (!chosen)
		SDL_SetHint(SDL_HINT_VIDEODRIVER,
			    getenv("WAYLAND_DISPLAY") ? "wayland,x11" : "x11");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		snprintf(why, why_len, "cannot open a window: %s", SDL_GetError());
		return NULL;
	}
	const char *driver = SDL_GetCurrentVideoDriver();
	if (!chosen && (!driver || !strcmp(driver, "offscreen") || !strcmp(driver, "dummy"))) {
		snprintf(why, why_len, "cannot open a window: no usable display");
		SDL_Quit();
		return NULL;
	}
	struct ui_sdl *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, why_len, "out of memory");
		SDL_Quit();
		return NULL;
	}
	if (scale <= 0)
		scale = auto_scale(w, h);
	s->scale = scale;
	s->key = key;
	s->opaque = opaque;
	s->win = SDL_CreateWindow("tandem", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
				  w * scale, h * scale, SDL_WINDOW_RESIZABLE);
	if (s->win)
		s->ren = SDL_CreateRenderer(s->win, -1, 0);
	if (!s->win || !s->ren || make_texture(s, w, h) < 0) {
		snprintf(why, why_len, "cannot open a window: %s", SDL_GetError());
		ui_sdl_free(s);
		return NULL;
	}
	SDL_SetRenderDrawColor(s->ren, 0, 0, 0, 255);
	SDL_RenderClear(s->ren);
	SDL_RenderPresent(s->ren);
	return s;
}

static void send_key(struct ui_sdl *s, int usage, int down)
{
	uint8_t codes[UI_KEYMAP_MAX];
	int n = ui_keymap_set1(usage, down, codes);
	if (n > 0)
		s->key(s->opaque, codes, n);
}

static void release_all(struct ui_sdl *s)
{
	for (int i = 0; i < SDL_NUM_SCANCODES; i++) {
		if (s->down[i]) {
			s->down[i] = 0;
			send_key(s, i, 0);
		}
	}
}

int ui_sdl_poll(struct ui_sdl *s)
{
	SDL_Event ev;
	int quit = 0;
	while (SDL_PollEvent(&ev)) {
		switch (ev.type) {
		case SDL_QUIT:
			quit = 1;
			break;
		case SDL_KEYDOWN:
		case SDL_KEYUP: {
			int sc = ev.key.keysym.scancode;
			int down = ev.type == SDL_KEYDOWN;
			if (sc < 0 || sc >= SDL_NUM_SCANCODES)
				break;
			/* A release for a key we never saw pressed (held when
			 * the window got focus) would confuse the guest. */
			if (!down && !s->down[sc])
				break;
			s->down[sc] = (uint8_t)down;
			/* Auto-repeat resends the make code, as typematic does. */
			send_key(s, sc, down);
			break;
		}
		case SDL_WINDOWEVENT:
			if (ev.window.event == SDL_WINDOWEVENT_FOCUS_LOST)
				release_all(s);
			else if (ev.window.event == SDL_WINDOWEVENT_EXPOSED && s->tex) {
				SDL_RenderClear(s->ren);
				SDL_RenderCopy(s->ren, s->tex, NULL, NULL);
				SDL_RenderPresent(s->ren);
			}
			break;
		default:
			break;
		}
	}
	return quit;
}

void ui_sdl_present(struct ui_sdl *s, const uint32_t *pix, int w, int h)
{
	if (w != s->w || h != s->h) {
		if (make_texture(s, w, h) < 0)
			return;
		SDL_SetWindowSize(s->win, w * s->scale, h * s->scale);
	}
	SDL_UpdateTexture(s->tex, NULL, pix, w * (int)sizeof(uint32_t));
	SDL_RenderClear(s->ren);
	SDL_RenderCopy(s->ren, s->tex, NULL, NULL);
	SDL_RenderPresent(s->ren);
}

void ui_sdl_free(struct ui_sdl *s)
{
	if (!s)
		return;
	if (s->tex)
		SDL_DestroyTexture(s->tex);
	if (s->ren)
		SDL_DestroyRenderer(s->ren);
	if (s->win)
		SDL_DestroyWindow(s->win);
	free(s);
	SDL_QuitSubSystem(SDL_INIT_VIDEO);
	SDL_Quit();
}
#endif
