/* Scripted keyboard input (--keys): text and named keys typed into the
 * guest at a steady rate of emulated time, so that tests can drive it.
 *
 * Syntax: characters type themselves (US layout, Shift added when needed);
 * {name} presses and releases a named key: enter esc tab backspace space
 * f1-f12 up down left right home end pgup pgdn ins del printscreen pause
 * scrolllock numlock capslock ctrl alt shift rctrl ralt rshift win menu
 * kpenter; modifiers combine with +, e.g. {ctrl+alt+del}, {alt+x}, {shift+f1};
 * {wait:N} waits N milliseconds of emulated time; {mouse:DX,DY[,BUTTONS[,WHEEL]]}
 * moves the PS/2 mouse (DX right, DY down, BUTTONS bit 0 left, 1 right,
 * 2 middle, WHEEL positive towards the user); {{ is a literal {.
 * Each key is held KEYS_HOLD_MS and followed by KEYS_GAP_MS.
 * The speed hot keys (ui/hotkey.h: {ctrl+f11}, {ctrl+f12}, {alt+f12}) are
 * not typed: they act on the emulator as in the window, through the
 * function given to ui_keys_set_hotkey. */
#ifndef TANDEM_UI_KEYS_H
#define TANDEM_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct clock;
struct kbd;
struct ui_keys;

#define KEYS_HOLD_MS 20
#define KEYS_GAP_MS 20
#define KEYS_SEQ_MAX 32

/* One step: send codes (n bytes of set 1, possibly none) or, when mouse
 * is set, a mouse event; then wait wait_ms of emulated time before the
 * next step. */
struct ui_key_step {
	uint8_t n;
	uint8_t codes[KEYS_SEQ_MAX];
	uint32_t wait_ms;
	bool mouse;
	int16_t dx, dy;
	int8_t dz;
	uint8_t buttons;
	uint8_t hotkey;		/* enum ui_hotkey, or 0 */
};

/* Parses script into at most max steps (steps may be NULL to count).
 * Returns the number of steps, or -1 with a message in err. */
int ui_keys_parse(const char *script, struct ui_key_step *steps, int max, char *err,
		  size_t errlen);

/* Starts typing script into k, timed by clk (from now).  NULL with err
 * set when the script does not parse (or on out of memory). */
struct ui_keys *ui_keys_new(struct clock *clk, struct kbd *k, const char *script, char *err,
			    size_t errlen);
/* Hot key steps call fn(opaque, enum ui_hotkey) when they fall due. */
void ui_keys_set_hotkey(struct ui_keys *ks, void (*fn)(void *opaque, int hotkey),
			void *opaque);
/* Whether every step has been sent. */
int ui_keys_done(const struct ui_keys *ks);
void ui_keys_free(struct ui_keys *ks);

#endif
