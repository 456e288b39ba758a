/* tandem's speed hot keys, as DOSBox users know them, in one place for the
 * SDL window and the --keys script (both name keys by USB HID usage, which
 * is what SDL's scancodes are):
 *   Ctrl+F11  slower: --cycles N down by 20%, or the CPU clock (--mhz or
 *             the model's own) down by 20%; not below 10% of where the
 *             run started (slow motion);
 *   Ctrl+F12  faster: up by 10%, up to 100 times the start;
 *   Alt+F12   turbo while held: virtual time runs as fast as the host can
 *             (no pacing to wall time); speed as before on release.
 * These keys are not passed to the guest. */
#ifndef TANDEM_UI_HOTKEY_H
#define TANDEM_UI_HOTKEY_H

#include <stdbool.h>

enum ui_hotkey {
	UI_HOTKEY_NONE = 0,
	UI_HOTKEY_SLOWER,
	UI_HOTKEY_FASTER,
	UI_HOTKEY_TURBO_ON,	/* Alt+F12 pressed */
	UI_HOTKEY_TURBO_OFF,	/* F12 released */
};

#define UI_USAGE_F11 0x44
#define UI_USAGE_F12 0x45

/* The hot key that pressing usage with exactly these modifiers is, or
 * UI_HOTKEY_NONE. */
enum ui_hotkey ui_hotkey_match(bool ctrl, bool alt, bool shift, int usage);

#endif
