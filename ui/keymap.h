/* Host keys to PC/XT scancode set 1 (what the 8042 hands the guest after
 * translation, and what an XT keyboard sends).  Keys are named by USB HID
 * usage IDs (keyboard page 07h), which is also what SDL2's scancode numbers
 * are, so this needs no SDL header and tests can call it directly. */
#ifndef TANDEM_UI_KEYMAP_H
#define TANDEM_UI_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

/* Longest sequence one call produces (Pause: E1 1D 45 E1 9D C5). */
#define UI_KEYMAP_MAX 8

/* The set-1 bytes for pressing (down) or releasing key usage; returns how
 * many (0 for keys a 101/102-key keyboard lacks, and for releasing Pause,
 * which sends everything on press). */
int ui_keymap_set1(int usage, bool down, uint8_t out[UI_KEYMAP_MAX]);

/* The bytes that type ASCII character ch on a US layout: press and
 * release, inside Left Shift when the character needs it.  \n is Enter,
 * \t Tab, \b Backspace, 1Bh Esc.  Returns how many, 0 when no key types
 * ch. */
int ui_keymap_char(int ch, uint8_t out[UI_KEYMAP_MAX]);

#endif
