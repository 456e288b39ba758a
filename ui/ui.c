/* The frontend the main loop drives: picks the SDL window or headless,
 * decides when a redraw is due, and routes keys to the keyboard. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "hw/kbd.h"
#include "hw/machine.h"
#include "hw/vga.h"
#include "ui/render.h"
#include "ui/sdl.h"
#include "ui/term.h"
#include "ui/ui.h"

#define WINDOW_HZ 60
#define TERM_HZ 10

struct ui {
	struct machine *m;
	struct ui_config cfg;
	struct ui_sdl *sdl;	/* NULL: headless */
	bool live;		/* headless, drawing on the terminal */
	bool live_started;
	uint64_t last_gen;
	uint64_t last_phase;	/* cursor blink half-periods (frame / 8) */
	bool drawn;
	uint64_t last_draw_ns;
	/* Key sequences the keyboard FIFO had no room for yet, oldest first,
	 * each as a length byte then the codes: retried on every poll so
	 * that no release is lost (a lost break code sticks a key). */
	uint8_t pending[512];
	int npending;
	struct vga_text snap;
	uint32_t *fb;		/* the window's picture */
	char why[256];
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t ui_frame_now(struct machine *m)
{
	if (!m->clock)
		return 0;
	return clock_now(m->clock) / (CLOCK_PS_PER_SEC / UI_FRAME_HZ);
}

/* Hands queued sequences to the keyboard while it takes them. */
static void flush_keys(struct ui *u)
{
	int at = 0;
	while (at < u->npending) {
		int n = u->pending[at];
		if (kbd_put_scancodes(u->m->kbd, &u->pending[at + 1], n) == -ENOSPC)
			break;
		/* Taken, or refused for good (keyboard disabled): drop it. */
		at += 1 + n;
	}
	memmove(u->pending, u->pending + at, (size_t)(u->npending - at));
	u->npending -= at;
}

#ifdef HAVE_SDL
static void key_to_guest(void *opaque, const uint8_t *codes, int n)
{
	struct ui *u = opaque;
	if (!u->m->kbd || n <= 0 || n > 255)
		return;
	if ((size_t)u->npending + 1 + n > sizeof(u->pending))
		return;		/* the guest stopped reading keys long ago */
	u->pending[u->npending++] = (uint8_t)n;
	memcpy(&u->pending[u->npending], codes, (size_t)n);
	u->npending += n;
	flush_keys(u);
}
#endif

/* Whether the guest's serial port or debug console writes to stdout:
 * redrawing the screen there would tear their output apart. */
static bool stdio_taken(const struct machine *m)
{
	const struct machine_config *c = m->cfg;
	return c && ((c->serial && !strcmp(c->serial, "stdio")) ||
		     (c->debugcon && !strcmp(c->debugcon, "stdio")));
}

struct ui *ui_new(struct machine *m, const struct ui_config *cfg, const char **why)
{
	struct ui *u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	*why = NULL;
	u->m = m;
	u->cfg = *cfg;
	if (u->cfg.scale < 0)
		u->cfg.scale = 0;
	if (u->cfg.scale > 8)
		u->cfg.scale = 8;
	if (!cfg->headless) {
#ifdef HAVE_SDL
		/* Room for any picture the renderer draws, so that mode changes
		 * need no reallocation (untouched pages cost nothing). */
		u->fb = malloc(UI_SCREEN_MAX_PIXELS * sizeof(uint32_t));
		if (!u->fb) {
			free(u);
			return NULL;
		}
		int w = 720, h = 400;
		if (m->vga) {
			vga_text_snapshot(m->vga, &u->snap);
			ui_render_size(&u->snap, &w, &h);
		}
		char reason[200];
		u->sdl = ui_sdl_new(w, h, u->cfg.scale, key_to_guest, u, reason, sizeof(reason));
		if (!u->sdl) {
			snprintf(u->why, sizeof(u->why), "running headless: %s", reason);
			*why = u->why;
		}
#else
		snprintf(u->why, sizeof(u->why),
			 "running headless: this tandem was built without SDL");
		*why = u->why;
#endif
	}
	u->live = !u->sdl && !cfg->no_live_text && !stdio_taken(m) && isatty(STDOUT_FILENO);
	return u;
}

bool ui_has_window(const struct ui *u)
{
	return u->sdl != NULL;
}

int ui_poll(struct ui *u)
{
	if (u->npending)
		flush_keys(u);
#ifdef HAVE_SDL
	if (u->sdl)
		return ui_sdl_poll(u->sdl);
#endif
	return 0;
}

static void terminal_size(int *cols, int *rows)
{
	struct winsize ws;
	*cols = *rows = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

void ui_refresh(struct ui *u)
{
	if (!u->m->vga || (!u->sdl && !u->live))
		return;
	uint64_t t = now_ns();
	uint64_t min_gap = 1000000000u / (u->sdl ? WINDOW_HZ : TERM_HZ);
	if (u->drawn && t - u->last_draw_ns < min_gap)
		return;
	uint64_t gen = vga_generation(u->m->vga);
	uint64_t frame = ui_frame_now(u->m);
	/* The terminal blinks its own cursor: only the window follows the
	 * blink phases. */
	bool phase_turned = u->sdl && frame / 8 != u->last_phase;
	if (u->drawn && gen == u->last_gen && !phase_turned)
		return;
	u->drawn = true;
	u->last_gen = gen;
	u->last_phase = frame / 8;
	u->last_draw_ns = t;
	vga_text_snapshot(u->m->vga, &u->snap);
#ifdef HAVE_SDL
	if (u->sdl) {
		int w, h;
		ui_render_screen(u->m->vga, &u->snap, frame, u->fb, &w, &h);
		ui_sdl_present(u->sdl, u->fb, w, h);
		return;
	}
#endif
	int cols, rows;
	terminal_size(&cols, &rows);
	ui_term_draw_ansi(stdout, &u->snap, cols, rows, !u->live_started);
	u->live_started = true;
}

void ui_final(struct ui *u)
{
	if (u->sdl || !u->m->vga)
		return;
	if (u->live_started) {
		int cols, rows;
		/* Show the very last state before handing the terminal back. */
		u->drawn = false;
		u->last_draw_ns = 0;
		ui_refresh(u);
		terminal_size(&cols, &rows);
		ui_term_end_ansi(stdout, &u->snap, rows);
		return;
	}
	if (u->cfg.no_final_text)
		return;
	vga_text_snapshot(u->m->vga, &u->snap);
	ui_term_print_text(stdout, &u->snap);
}

void ui_free(struct ui *u)
{
	if (!u)
		return;
#ifdef HAVE_SDL
	ui_sdl_free(u->sdl);
#endif
	free(u->fb);
	free(u);
}
