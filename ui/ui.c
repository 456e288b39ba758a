/* The frontend the main loop drives: picks the SDL window or headless,
 * decides when a redraw is due, and routes keys to the keyboard. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "hw/gameport.h"
#include "hw/kbd.h"
#include "hw/machine.h"
#include "hw/mixer.h"
#include "hw/pcspk.h"
#include "hw/sermouse.h"
#include "hw/sound.h"
#include "hw/speed.h"
#include "hw/vga.h"
#include "ui/hotkey.h"
#include "ui/keys.h"
#include "ui/render.h"
#include "ui/sdl.h"
#include "ui/term.h"
#include "ui/ui.h"
#include "ui/wav.h"
#include "util/log.h"

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
	char err[256];		/* ui_error */
	struct ui_keys *keys;	/* --keys */
	/* Sound: the speaker renders into mix while someone listens. */
	struct mixer *mix;
	struct ui_wav *wav;	/* --audio-capture */
	/* Speed shown in the window title. */
	uint64_t speed_insns, speed_ns;
	bool speed_changed;	/* by a hot key: retitle now */
	int request;		/* UI_REQ_*, taken by ui_take_request */
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

static bool has_ps2_mouse(const struct machine *m);

static void mouse_to_guest(void *opaque, int dx, int dy, int dz, unsigned buttons)
{
	struct ui *u = opaque;
	unsigned b = (buttons & 1 ? KBD_MOUSE_LEFT : 0) | (buttons & 2 ? KBD_MOUSE_RIGHT : 0) |
		     (buttons & 4 ? KBD_MOUSE_MIDDLE : 0);
	if (u->m->sermouse)
		sermouse_event(u->m->sermouse, dx, dy, buttons & 3);
	if (has_ps2_mouse(u->m))
		kbd_mouse_event(u->m->kbd, dx, dy, dz, b);
}

/* The at board's keyboard controller has the PS/2 mouse; xt has none. */
static bool has_ps2_mouse(const struct machine *m)
{
	return m->kbd && !(m->cfg && m->cfg->machine && !strcmp(m->cfg->machine, "xt"));
}

static bool has_mouse(const struct machine *m)
{
	return has_ps2_mouse(m) || m->sermouse;
}

static int mouse_wanted(void *opaque)
{
	struct ui *u = opaque;
	/* A serial mouse cannot tell us whether a driver listens. */
	return u->m->sermouse || kbd_mouse_enabled(u->m->kbd);
}

static void state_key(void *opaque, int load)
{
	struct ui *u = opaque;
	u->request = load ? UI_REQ_LOAD_STATE : UI_REQ_SAVE_STATE;
}

static void joy_axis(void *opaque, int axis, int value)
{
	struct ui *u = opaque;
	if (u->m->gameport)
		gameport_set_axis(u->m->gameport, axis, value);
}

static void joy_button(void *opaque, int button, int down)
{
	struct ui *u = opaque;
	if (u->m->gameport)
		gameport_set_button(u->m->gameport, button, down);
}

/* Ctrl+Alt+S: tandem-YYYYMMDD-HHMMSS.png in the current directory. */
static void screenshot_key(void *opaque)
{
	struct ui *u = opaque;
	char name[64];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(name, sizeof(name), "tandem-%Y%m%d-%H%M%S.png", &tm);
	if (ui_screenshot_png(u->m, name) == 0)
		log_info("screenshot written to %s", name);
}
#endif

#ifdef HAVE_SDL
/* The shape a monitor gives the picture: VGA modes fill a 4:3 screen
 * (320x200 and 720x400 pixels are not square), VBE modes have square
 * pixels. */
static void display_size(struct ui *u, int w, int h, int *dw, int *dh)
{
	if (vga_vbe_enabled(u->m->vga) || w <= 0) {
		*dw = w;
		*dh = h;
		return;
	}
	*dw = w;
	*dh = w * 3 / 4;
}
#endif

/* The speed hot keys (ui/hotkey.h), from the window or from --keys: the
 * change is logged, and shown in the window title. */
static void speed_hotkey(void *opaque, int hotkey)
{
	struct ui *u = opaque;
	char d[128];
	switch (hotkey) {
	case UI_HOTKEY_SLOWER:
	case UI_HOTKEY_FASTER:
		speed_step(u->m, hotkey == UI_HOTKEY_SLOWER ? -1 : 1, d, sizeof(d));
		log_info("speed: %s", d);
		break;
	case UI_HOTKEY_TURBO_ON:
		if (!u->m->turbo)
			log_info("speed: turbo (as fast as the host can) while Alt+F12 is held");
		u->m->turbo = true;
		break;
	case UI_HOTKEY_TURBO_OFF:
		if (u->m->turbo) {
			speed_describe(u->m, d, sizeof(d));
			log_info("speed: turbo off, %s", d);
		}
		u->m->turbo = false;
		break;
	}
	u->speed_changed = true;
}

/* Moves the mixed sound to the audio device and the capture file. */
static void drain_audio(struct ui *u)
{
	if (!u->mix)
		return;
	int16_t buf[2 * 4096];
	size_t n;
	while ((n = mixer_read_stereo(u->mix, buf, 4096)) > 0) {
#ifdef HAVE_SDL
		if (u->sdl)
			ui_sdl_queue_audio(u->sdl, buf, n);
#endif
		if (u->wav)
			ui_wav_write(u->wav, buf, n);
	}
}

static void finish_wav(struct ui *u)
{
	if (!u->wav)
		return;
	if (u->m->pcspk)
		pcspk_flush(u->m->pcspk);
	mixer_flush(u->mix);	/* the mixer's timeline trails by a few ms */
	drain_audio(u);
	if (ui_wav_close(u->wav) < 0)
		log_error("--audio-capture: writing the WAV file failed");
	u->wav = NULL;
}

/* Starts --keys and --audio-capture; sets u->err on failure. */
static void start_extras(struct ui *u, const struct ui_config *cfg)
{
	if (cfg->keys) {
		if (!u->m->kbd || !u->m->clock)
			snprintf(u->err, sizeof(u->err), "--keys: this machine has no keyboard");
		else
			u->keys = ui_keys_new(u->m->clock, u->m->kbd, cfg->keys, u->err,
					      sizeof(u->err));
		if (!u->keys)
			return;
		ui_keys_set_hotkey(u->keys, speed_hotkey, u);
	}
	if (cfg->audio_capture) {
		u->wav = ui_wav_open(cfg->audio_capture);
		if (!u->wav) {
			snprintf(u->err, sizeof(u->err), "--audio-capture: cannot write '%s': %s",
				 cfg->audio_capture, strerror(errno));
			return;
		}
	}
	bool listen = u->wav != NULL;
#ifdef HAVE_SDL
	listen |= u->sdl && ui_sdl_has_audio(u->sdl);
#endif
	if (listen && u->m->pcspk) {
		u->mix = mixer_new(MIXER_RATE);	/* one second */
		if (u->mix) {
			pcspk_set_mixer(u->m->pcspk, u->mix);
			sound_set_mixer(u->m, u->mix);	/* SB, OPL, MPU-401 */
		}
	}
}

const char *ui_error(const struct ui *u)
{
	return u->err[0] ? u->err : NULL;
}

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
		int w = 720, h = 400, dw, dh;
		if (m->vga)
			ui_render_screen(m->vga, &u->snap, 0, u->fb, &w, &h);
		display_size(u, w, h, &dw, &dh);
		char reason[200];
		struct ui_sdl_callbacks cb = { .key = key_to_guest,
					       .mouse = has_mouse(m) ? mouse_to_guest : NULL,
					       .mouse_wanted = mouse_wanted,
					       .screenshot = screenshot_key, .state = state_key,
					       .joy_axis = joy_axis, .joy_button = joy_button,
					       .speed = speed_hotkey, .opaque = u };
		u->sdl = ui_sdl_new(w, h, dw, dh, u->cfg.scale, &cb, reason, sizeof(reason));
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
	start_extras(u, cfg);
	return u;
}

bool ui_has_window(const struct ui *u)
{
	return u->sdl != NULL;
}

#ifdef HAVE_SDL
/* The window title shows the guest's speed and the keyboard LEDs, once a
 * second. */
static void update_speed(struct ui *u)
{
	uint64_t t = now_ns(), insns = u->m->cpu.insns;
	if (!u->speed_ns) {
		u->speed_ns = t;
		u->speed_insns = insns;
		return;
	}
	if (t - u->speed_ns < 1000000000u && !u->speed_changed)
		return;
	u->speed_changed = false;
	char s[160], set[64];
	double mips = (double)(insns - u->speed_insns) * 1e3 /
		      (double)(t - u->speed_ns ? t - u->speed_ns : 1);
	uint8_t leds = u->m->kbd ? kbd_leds(u->m->kbd) : 0;
	/* The speed in force (Ctrl+F11/F12 change it), what the host makes
	 * of it, and the keyboard LEDs as the guest set them. */
	speed_describe(u->m, set, sizeof(set));
	snprintf(s, sizeof(s), "%s%s, %.1f MIPS%s%s%s", set, u->m->turbo ? " turbo" : "",
		 mips, leds & 2 ? " [Num]" : "", leds & 4 ? " [Caps]" : "",
		 leds & 1 ? " [Scroll]" : "");
	ui_sdl_set_status(u->sdl, s);
	u->speed_ns = t;
	u->speed_insns = insns;
}
#endif

int ui_poll(struct ui *u)
{
	if (u->npending)
		flush_keys(u);
	drain_audio(u);
#ifdef HAVE_SDL
	if (u->sdl) {
		update_speed(u);
		return ui_sdl_poll(u->sdl);
	}
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
#ifdef HAVE_SDL
	if (u->sdl) {
		int w, h, dw, dh;
		ui_render_screen(u->m->vga, &u->snap, frame, u->fb, &w, &h);
		display_size(u, w, h, &dw, &dh);
		ui_sdl_present(u->sdl, u->fb, w, h, dw, dh);
		return;
	}
#endif
	vga_text_snapshot(u->m->vga, &u->snap);
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
	finish_wav(u);
	if (u->mix && u->m->pcspk)
		pcspk_set_mixer(u->m->pcspk, NULL);
	if (u->mix)
		sound_set_mixer(u->m, NULL);
	mixer_free(u->mix);
	ui_keys_free(u->keys);
#ifdef HAVE_SDL
	ui_sdl_free(u->sdl);
#endif
	free(u->fb);
	free(u);
}

int ui_take_request(struct ui *u)
{
	int r = u ? u->request : UI_REQ_NONE;
	if (u)
		u->request = UI_REQ_NONE;
	return r;
}
