/* SDL2 window: one streaming texture with the rendered screen, scaled by
 * the renderer to the mode's display aspect, keyboard events translated to
 * scancode set 1 through ui/keymap.c, relative mouse motion while the mouse
 * is captured, and queued audio.  SDL's scancodes are USB HID usage IDs,
 * which is what the keymap is indexed by. */
#ifdef HAVE_SDL
#include <SDL.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/mixer.h"
#include "ui/hotkey.h"
#include "ui/keymap.h"
#include "ui/sdl.h"
#include "ui/sdl_dl.h"

/* SDL, opened by the first ui_sdl_new that has a display to open. */
static const struct sdl_dl *sdl;

_Static_assert(SDL_SCANCODE_A == 0x04 && SDL_SCANCODE_LCTRL == 0xe0 &&
	       SDL_SCANCODE_PRINTSCREEN == 0x46 && SDL_SCANCODE_NONUSBACKSLASH == 0x64,
	       "SDL scancodes are USB HID usages");

/* Audio queued beyond this is dropped: latency stays bounded when the
 * machine runs faster than real time. */
#define AUDIO_MAX_QUEUED_MS 150

struct ui_sdl {
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Texture *tex;
	int w, h, disp_w, disp_h, scale;
	bool auto_scale;	/* the scale follows the picture size */
	struct ui_sdl_callbacks cb;
	bool grabbed, fullscreen;
	bool turbo;		/* Alt+F12 held */
	unsigned buttons;
	SDL_AudioDeviceID audio;
	char status[128];
	/* Keys held down, so that losing focus can release them: the guest
	 * would otherwise see Alt stuck after an Alt+Tab. */
	uint8_t down[SDL_NUM_SCANCODES];
	/* Instance ids of the (up to) two sticks on the game port. */
	SDL_JoystickID joy[2];
	int njoy;
};

static int make_texture(struct ui_sdl *s, int w, int h)
{
	if (s->tex)
		sdl->SDL_DestroyTexture(s->tex);
	s->tex = sdl->SDL_CreateTexture(s->ren, SDL_PIXELFORMAT_RGB888,
					SDL_TEXTUREACCESS_STREAMING, w, h);
	if (!s->tex)
		return -1;
	s->w = w;
	s->h = h;
	return 0;
}

/* The largest whole scale, up to 4, at which a w x h picture fits the
 * desktop (2 when the desktop size is unknown); at least 1. */
static int auto_scale(int w, int h)
{
	SDL_Rect r;
	if (w <= 0 || h <= 0 || sdl->SDL_GetDisplayUsableBounds(0, &r) != 0)
		return 2;
	int s = 4;
	while (s > 1 && (s * w > r.w || s * h > r.h))
		s--;
	return s;
}

static void update_title(struct ui_sdl *s)
{
	char t[256];
	snprintf(t, sizeof(t), "tandem%s%s%s", s->status[0] ? " - " : "", s->status,
		 s->grabbed ? " - Ctrl+Alt releases the mouse" : "");
	sdl->SDL_SetWindowTitle(s->win, t);
}

static void open_audio(struct ui_sdl *s)
{
	if (sdl->SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
		return;
	SDL_AudioSpec want = { .freq = MIXER_RATE, .format = AUDIO_S16SYS, .channels = 2,
			       .samples = 1024 }, have;
	s->audio = sdl->SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (s->audio)
		sdl->SDL_PauseAudioDevice(s->audio, 0);
	else
		sdl->SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

struct ui_sdl *ui_sdl_new(int w, int h, int disp_w, int disp_h, int scale,
			  const struct ui_sdl_callbacks *cb, char *why, size_t why_len)
{
	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") && !getenv("SDL_VIDEODRIVER")) {
		snprintf(why, why_len, "no display (DISPLAY and WAYLAND_DISPLAY are unset)");
		return NULL;
	}
	char dl_why[256];
	sdl = sdl_dl_get(dl_why, sizeof(dl_why));
	if (!sdl) {
		snprintf(why, why_len, "cannot open a window: cannot load SDL2: %s", dl_why);
		return NULL;
	}
	/* The main loop owns SIGINT/SIGTERM. */
	sdl->SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	/* Only real displays: left to itself SDL would try every driver and
	 * end up "succeeding" with an offscreen one nobody can see. */
	bool chosen = getenv("SDL_VIDEODRIVER") != NULL;
	if (!chosen)
		sdl->SDL_SetHint(SDL_HINT_VIDEODRIVER,
				 getenv("WAYLAND_DISPLAY") ? "wayland,x11" : "x11");
	if (sdl->SDL_Init(SDL_INIT_VIDEO) != 0) {
		snprintf(why, why_len, "cannot open a window: %s", sdl->SDL_GetError());
		return NULL;
	}
	/* Game port sticks: optional, devices arrive as SDL_JOYDEVICEADDED. */
	sdl->SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER);
	const char *driver = sdl->SDL_GetCurrentVideoDriver();
	if (!chosen && (!driver || !strcmp(driver, "offscreen") || !strcmp(driver, "dummy"))) {
		snprintf(why, why_len, "cannot open a window: no usable display");
		sdl->SDL_Quit();
		return NULL;
	}
	struct ui_sdl *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, why_len, "out of memory");
		sdl->SDL_Quit();
		return NULL;
	}
	s->auto_scale = scale <= 0;
	if (scale <= 0)
		scale = auto_scale(disp_w, disp_h);
	s->scale = scale;
	s->cb = *cb;
	s->disp_w = disp_w;
	s->disp_h = disp_h;
	s->win = sdl->SDL_CreateWindow("tandem", SDL_WINDOWPOS_CENTERED,
				       SDL_WINDOWPOS_CENTERED, disp_w * scale, disp_h * scale,
				       SDL_WINDOW_RESIZABLE);
	if (s->win)
		s->ren = sdl->SDL_CreateRenderer(s->win, -1, 0);
	if (!s->win || !s->ren || make_texture(s, w, h) < 0) {
		snprintf(why, why_len, "cannot open a window: %s", sdl->SDL_GetError());
		ui_sdl_free(s);
		return NULL;
	}
	sdl->SDL_RenderSetLogicalSize(s->ren, disp_w, disp_h);
	sdl->SDL_SetRenderDrawColor(s->ren, 0, 0, 0, 255);
	sdl->SDL_RenderClear(s->ren);
	sdl->SDL_RenderPresent(s->ren);
	open_audio(s);
	update_title(s);
	return s;
}

static void send_key(struct ui_sdl *s, int usage, int down)
{
	uint8_t codes[UI_KEYMAP_MAX];
	int n = ui_keymap_set1(usage, down, codes);
	if (n > 0)
		s->cb.key(s->cb.opaque, codes, n);
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

static void set_grab(struct ui_sdl *s, bool on)
{
	if (on == s->grabbed)
		return;
	if (sdl->SDL_SetRelativeMouseMode(on ? SDL_TRUE : SDL_FALSE) != 0 && on)
		return;
	s->grabbed = on;
	update_title(s);
}

static unsigned sdl_buttons(Uint32 state)
{
	return (state & SDL_BUTTON_LMASK ? 1u : 0) | (state & SDL_BUTTON_RMASK ? 2u : 0) |
	       (state & SDL_BUTTON_MMASK ? 4u : 0);
}

static unsigned button_bit(Uint8 button)
{
	switch (button) {
	case SDL_BUTTON_LEFT: return 1;
	case SDL_BUTTON_RIGHT: return 2;
	case SDL_BUTTON_MIDDLE: return 4;
	default: return 0;
	}
}

/* The speed keys of ui/hotkey.h; true when the event was one. */
static bool speed_key(struct ui_sdl *s, const SDL_KeyboardEvent *k)
{
	Uint16 mod = k->keysym.mod;
	int sc = k->keysym.scancode;
	if (k->type == SDL_KEYUP && sc == SDL_SCANCODE_F12 && s->turbo) {
		/* However Alt and F12 are let go, turbo ends with F12. */
		s->turbo = false;
		if (s->cb.speed)
			s->cb.speed(s->cb.opaque, UI_HOTKEY_TURBO_OFF);
		return true;
	}
	enum ui_hotkey h = ui_hotkey_match(mod & KMOD_CTRL, mod & KMOD_ALT, mod & KMOD_SHIFT, sc);
	if (h == UI_HOTKEY_NONE)
		return false;
	if (k->type == SDL_KEYDOWN && (!k->repeat || h != UI_HOTKEY_TURBO_ON)) {
		s->turbo |= h == UI_HOTKEY_TURBO_ON;
		if (s->cb.speed)
			s->cb.speed(s->cb.opaque, h);
	}
	return true;
}

/* Ctrl+Alt hot keys; true when the event was one (not for the guest). */
static bool hot_key(struct ui_sdl *s, const SDL_KeyboardEvent *k)
{
	Uint16 mod = k->keysym.mod;
	if (speed_key(s, k))
		return true;
	if (!(mod & KMOD_CTRL) || !(mod & KMOD_ALT))
		return false;
	int sc = k->keysym.scancode;
	if ((sc == SDL_SCANCODE_F5 || sc == SDL_SCANCODE_F9) && s->cb.state) {
		if (k->type == SDL_KEYDOWN && !k->repeat)
			s->cb.state(s->cb.opaque, sc == SDL_SCANCODE_F9);
		return true;
	}
	if (sc == SDL_SCANCODE_F || sc == SDL_SCANCODE_S) {
		if (k->type == SDL_KEYDOWN && !k->repeat) {
			if (sc == SDL_SCANCODE_F) {
				s->fullscreen = !s->fullscreen;
				sdl->SDL_SetWindowFullscreen(s->win, s->fullscreen ?
							SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
			} else if (s->cb.screenshot) {
				s->cb.screenshot(s->cb.opaque);
			}
		}
		return true;
	}
	/* Ctrl and Alt both down (the second just pressed): release. */
	bool is_mod = sc == SDL_SCANCODE_LCTRL || sc == SDL_SCANCODE_RCTRL ||
		      sc == SDL_SCANCODE_LALT || sc == SDL_SCANCODE_RALT;
	if (is_mod && k->type == SDL_KEYDOWN && s->grabbed)
		set_grab(s, false);
	return false;
}

/* Which game-port stick an SDL joystick is (-1: a third one, ignored). */
static int joy_slot(struct ui_sdl *s, SDL_JoystickID id)
{
	for (int i = 0; i < s->njoy; i++)
		if (s->joy[i] == id)
			return i;
	return -1;
}

/* A new device: game controllers through the controller mapping (left
 * stick, A and B), others as a plain joystick (axes 0-1, buttons 0-1). */
static void joy_added(struct ui_sdl *s, int index)
{
	SDL_Joystick *j = NULL;
	if (s->njoy >= 2)
		return;
	if (sdl->SDL_IsGameController(index)) {
		SDL_GameController *gc = sdl->SDL_GameControllerOpen(index);
		j = gc ? sdl->SDL_GameControllerGetJoystick(gc) : NULL;
	} else {
		j = sdl->SDL_JoystickOpen(index);
	}
	if (j && joy_slot(s, sdl->SDL_JoystickInstanceID(j)) < 0)
		s->joy[s->njoy++] = sdl->SDL_JoystickInstanceID(j);
}

static void joy_event(struct ui_sdl *s, const SDL_Event *ev)
{
	int slot;
	switch (ev->type) {
	case SDL_JOYDEVICEADDED:
		joy_added(s, ev->jdevice.which);
		break;
	case SDL_JOYDEVICEREMOVED:
		/* which is the instance id here; a re-plugged device comes back
		 * with a new one and takes the free stick. */
		slot = joy_slot(s, ev->jdevice.which);
		if (slot >= 0) {
			s->joy[slot] = s->joy[1];
			s->njoy--;
		}
		break;
	case SDL_CONTROLLERAXISMOTION:
		slot = joy_slot(s, ev->caxis.which);
		if (slot >= 0 && ev->caxis.axis <= SDL_CONTROLLER_AXIS_LEFTY && s->cb.joy_axis)
			s->cb.joy_axis(s->cb.opaque, slot * 2 + ev->caxis.axis, ev->caxis.value);
		break;
	case SDL_CONTROLLERBUTTONDOWN:
	case SDL_CONTROLLERBUTTONUP:
		slot = joy_slot(s, ev->cbutton.which);
		if (slot >= 0 && ev->cbutton.button <= SDL_CONTROLLER_BUTTON_B && s->cb.joy_button)
			s->cb.joy_button(s->cb.opaque, slot * 2 + ev->cbutton.button,
					 ev->type == SDL_CONTROLLERBUTTONDOWN);
		break;
	case SDL_JOYAXISMOTION:
		/* Controllers report through their mapping above instead. */
		slot = joy_slot(s, ev->jaxis.which);
		if (slot >= 0 && ev->jaxis.axis < 2 && s->cb.joy_axis &&
		    !sdl->SDL_GameControllerFromInstanceID(ev->jaxis.which))
			s->cb.joy_axis(s->cb.opaque, slot * 2 + ev->jaxis.axis, ev->jaxis.value);
		break;
	case SDL_JOYBUTTONDOWN:
	case SDL_JOYBUTTONUP:
		slot = joy_slot(s, ev->jbutton.which);
		if (slot >= 0 && ev->jbutton.button < 2 && s->cb.joy_button &&
		    !sdl->SDL_GameControllerFromInstanceID(ev->jbutton.which))
			s->cb.joy_button(s->cb.opaque, slot * 2 + ev->jbutton.button,
					 ev->type == SDL_JOYBUTTONDOWN);
		break;
	}
}

int ui_sdl_poll(struct ui_sdl *s)
{
	SDL_Event ev;
	int quit = 0;
	while (sdl->SDL_PollEvent(&ev)) {
		joy_event(s, &ev);
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
			if (hot_key(s, &ev.key))
				break;
			/* The keyboard repeats held keys itself (typematic). */
			if (ev.key.repeat)
				break;
			/* A release for a key we never saw pressed (held when
			 * the window got focus) would confuse the guest. */
			if (!down && !s->down[sc])
				break;
			s->down[sc] = (uint8_t)down;
			send_key(s, sc, down);
			break;
		}
		case SDL_MOUSEBUTTONDOWN:
			if (!s->grabbed) {
				if (s->cb.mouse && (!s->cb.mouse_wanted ||
						    s->cb.mouse_wanted(s->cb.opaque)))
					set_grab(s, true);
				break;
			}
			/* fall through */
		case SDL_MOUSEBUTTONUP:
			if (s->grabbed && s->cb.mouse) {
				unsigned bit = button_bit(ev.button.button);
				if (ev.type == SDL_MOUSEBUTTONDOWN)
					s->buttons |= bit;
				else
					s->buttons &= ~bit;
				s->cb.mouse(s->cb.opaque, 0, 0, 0, s->buttons);
			}
			break;
		case SDL_MOUSEMOTION:
			if (s->grabbed && s->cb.mouse) {
				s->buttons = sdl_buttons(ev.motion.state);
				s->cb.mouse(s->cb.opaque, ev.motion.xrel, ev.motion.yrel, 0,
					    s->buttons);
			}
			break;
		case SDL_MOUSEWHEEL:
			if (s->grabbed && s->cb.mouse) {
				int dz = ev.wheel.direction == SDL_MOUSEWHEEL_FLIPPED ?
					 ev.wheel.y : -ev.wheel.y;
				s->cb.mouse(s->cb.opaque, 0, 0, dz, s->buttons);
			}
			break;
		case SDL_WINDOWEVENT:
			if (ev.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
				release_all(s);
				set_grab(s, false);
			} else if (ev.window.event == SDL_WINDOWEVENT_EXPOSED && s->tex) {
				sdl->SDL_RenderClear(s->ren);
				sdl->SDL_RenderCopy(s->ren, s->tex, NULL, NULL);
				sdl->SDL_RenderPresent(s->ren);
			}
			break;
		default:
			break;
		}
	}
	return quit;
}

void ui_sdl_present(struct ui_sdl *s, const uint32_t *pix, int w, int h, int disp_w,
		    int disp_h)
{
	if (w != s->w || h != s->h) {
		if (make_texture(s, w, h) < 0)
			return;
	}
	if (disp_w != s->disp_w || disp_h != s->disp_h) {
		s->disp_w = disp_w;
		s->disp_h = disp_h;
		sdl->SDL_RenderSetLogicalSize(s->ren, disp_w, disp_h);
		if (s->auto_scale)
			s->scale = auto_scale(disp_w, disp_h);
		if (!s->fullscreen)
			sdl->SDL_SetWindowSize(s->win, disp_w * s->scale, disp_h * s->scale);
	}
	sdl->SDL_UpdateTexture(s->tex, NULL, pix, w * (int)sizeof(uint32_t));
	sdl->SDL_RenderClear(s->ren);
	sdl->SDL_RenderCopy(s->ren, s->tex, NULL, NULL);
	sdl->SDL_RenderPresent(s->ren);
}

void ui_sdl_set_status(struct ui_sdl *s, const char *status)
{
	snprintf(s->status, sizeof(s->status), "%s", status ? status : "");
	update_title(s);
}

int ui_sdl_has_audio(const struct ui_sdl *s)
{
	return s->audio != 0;
}

void ui_sdl_queue_audio(struct ui_sdl *s, const int16_t *samples, size_t n)
{
	if (!s->audio || !n)
		return;
	Uint32 queued = sdl->SDL_GetQueuedAudioSize(s->audio);
	if (queued > MIXER_RATE * 2 * sizeof(int16_t) * AUDIO_MAX_QUEUED_MS / 1000)
		return;
	sdl->SDL_QueueAudio(s->audio, samples, (Uint32)(n * 2 * sizeof(int16_t)));
}

void ui_sdl_free(struct ui_sdl *s)
{
	if (!s)
		return;
	if (s->grabbed)
		sdl->SDL_SetRelativeMouseMode(SDL_FALSE);
	if (s->audio) {
		sdl->SDL_CloseAudioDevice(s->audio);
		sdl->SDL_QuitSubSystem(SDL_INIT_AUDIO);
	}
	if (s->tex)
		sdl->SDL_DestroyTexture(s->tex);
	if (s->ren)
		sdl->SDL_DestroyRenderer(s->ren);
	if (s->win)
		sdl->SDL_DestroyWindow(s->win);
	free(s);
	sdl->SDL_QuitSubSystem(SDL_INIT_VIDEO);
	sdl->SDL_Quit();
}
#endif
