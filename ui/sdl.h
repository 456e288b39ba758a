/* The SDL2 window (built only with HAVE_SDL).
 *
 * Hot keys (documented in the README): clicking in the window captures the
 * mouse for the guest (once it enabled its mouse); Ctrl+Alt releases it.  Ctrl+Alt+F toggles full
 * screen, Ctrl+Alt+S writes a screenshot (the ui names the file).  Keys
 * typed with Ctrl+Alt+F/S are not passed to the guest.  Ctrl+Alt+F5 saves
 * the machine's state and Ctrl+Alt+F9 loads it (the main loop does it);
 * with Shift too they work where X takes Ctrl+Alt+Fn for console switching.
 * Ctrl+F11/Ctrl+F12 and Alt+F12 are the speed keys of ui/hotkey.h. */
#ifndef TANDEM_UI_SDL_H
#define TANDEM_UI_SDL_H

#include <stddef.h>
#include <stdint.h>

struct ui_sdl;

/* Called with the set-1 bytes of each key press or release. */
typedef void (*ui_sdl_key_fn)(void *opaque, const uint8_t *codes, int n);
/* Relative mouse motion (dx right, dy down), wheel dz (positive towards the
 * user) and the buttons held (bit 0 left, 1 right, 2 middle), while the
 * mouse is captured. */
typedef void (*ui_sdl_mouse_fn)(void *opaque, int dx, int dy, int dz, unsigned buttons);
/* Ctrl+Alt+S was pressed. */
typedef void (*ui_sdl_shot_fn)(void *opaque);

struct ui_sdl_callbacks {
	ui_sdl_key_fn key;
	ui_sdl_mouse_fn mouse;	/* may be NULL: no capture */
	/* Whether the guest listens to the mouse now (may be NULL: always):
	 * a click captures the mouse only then. */
	int (*mouse_wanted)(void *opaque);
	ui_sdl_shot_fn screenshot;	/* may be NULL */
	/* Ctrl+Alt+F5 (load 0: save the machine) and Ctrl+Alt+F9 (load 1). */
	void (*state)(void *opaque, int load);	/* may be NULL */
	/* Game controllers and joysticks (the first two): axis 0-3 is stick A
	 * x, y, stick B x, y (-32768..32767), button 0-3 is A1, A2, B1, B2. */
	void (*joy_axis)(void *opaque, int axis, int value);	/* may be NULL */
	void (*joy_button)(void *opaque, int button, int down);
	/* The speed hot keys (ui/hotkey.h): an enum ui_hotkey. */
	void (*speed)(void *opaque, int hotkey);	/* may be NULL */
	void *opaque;
};

/* Opens a window showing a w x h picture as disp_w x disp_h (the display
 * aspect) at scale (0: 2 when the desktop has room for it, else 1); NULL
 * with *why filled (why_len bytes) when there is no display or SDL fails.
 * Audio output is opened too when possible (ui_sdl_has_audio). */
struct ui_sdl *ui_sdl_new(int w, int h, int disp_w, int disp_h, int scale,
			  const struct ui_sdl_callbacks *cb, char *why, size_t why_len);

/* Handles pending events; 1 when the window was closed. */
int ui_sdl_poll(struct ui_sdl *s);

/* Shows a w x h 0x00RRGGBB picture stretched to the display aspect
 * disp_w x disp_h (the window follows size changes). */
void ui_sdl_present(struct ui_sdl *s, const uint32_t *pix, int w, int h, int disp_w,
		    int disp_h);

/* Sets the title after "tandem" (e.g. the speed); NULL for none. */
void ui_sdl_set_status(struct ui_sdl *s, const char *status);

/* Whether an audio device is open, and queues n stereo frames (left,
 * right) at MIXER_RATE to it (dropped when more than ~150 ms are already
 * queued: the emulator runs ahead of the sound card in turbo). */
int ui_sdl_has_audio(const struct ui_sdl *s);
void ui_sdl_queue_audio(struct ui_sdl *s, const int16_t *samples, size_t n);

void ui_sdl_free(struct ui_sdl *s);

#endif
