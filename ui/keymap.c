/* USB HID keyboard usages to scancode set 1.  One row per key: the make
 * code, and whether it carries the E0 prefix (the keys the 101-key board
 * added or duplicated: cursor block, right Ctrl/Alt, keypad Enter and /).
 * The break code is the make code with bit 7 set, prefix kept.  Print
 * Screen and Pause are the two keys with longer sequences. */
#include <stddef.h>

#include "ui/keymap.h"

struct key {
	uint8_t code;
	uint8_t e0;
};

#define K(c) { (c), 0 }
#define E(c) { (c), 1 }

static const struct key usage_keys[256] = {
	/* 04 */ [0x04] = K(0x1e), K(0x30), K(0x2e), K(0x20),		/* A-D */
	/* 08 */ K(0x12), K(0x21), K(0x22), K(0x23),			/* E-H */
	/* 0C */ K(0x17), K(0x24), K(0x25), K(0x26),			/* I-L */
	/* 10 */ K(0x32), K(0x31), K(0x18), K(0x19),			/* M-P */
	/* 14 */ K(0x10), K(0x13), K(0x1f), K(0x14),			/* Q-T */
	/* 18 */ K(0x16), K(0x2f), K(0x11), K(0x2d),			/* U-X */
	/* 1C */ K(0x15), K(0x2c),					/* Y Z */
	/* 1E */ K(0x02), K(0x03), K(0x04), K(0x05), K(0x06),		/* 1-5 */
	/* 23 */ K(0x07), K(0x08), K(0x09), K(0x0a), K(0x0b),		/* 6-0 */
	/* 28 */ K(0x1c), K(0x01), K(0x0e), K(0x0f),	/* Enter Esc BkSp Tab */
	/* 2C */ K(0x39), K(0x0c), K(0x0d), K(0x1a),	/* Space - = [ */
	/* 30 */ K(0x1b), K(0x2b), K(0x2b), K(0x27),	/* ] \ non-US# ; */
	/* 34 */ K(0x28), K(0x29), K(0x33), K(0x34),	/* ' ` , . */
	/* 38 */ K(0x35), K(0x3a),			/* / CapsLock */
	/* 3A */ K(0x3b), K(0x3c), K(0x3d), K(0x3e),	/* F1-F4 */
	/* 3E */ K(0x3f), K(0x40), K(0x41), K(0x42),	/* F5-F8 */
	/* 42 */ K(0x43), K(0x44), K(0x57), K(0x58),	/* F9-F12 */
	/* 46: Print Screen, special */
	/* 47 */ [0x47] = K(0x46),			/* Scroll Lock */
	/* 48: Pause, special */
	/* 49 */ [0x49] = E(0x52), E(0x47), E(0x49),	/* Insert Home PgUp */
	/* 4C */ E(0x53), E(0x4f), E(0x51),		/* Delete End PgDn */
	/* 4F */ E(0x4d), E(0x4b), E(0x50), E(0x48),	/* Right Left Down Up */
	/* 53 */ K(0x45), E(0x35), K(0x37), K(0x4a),	/* NumLock KP/ KP* KP- */
	/* 57 */ K(0x4e), E(0x1c),			/* KP+ KPEnter */
	/* 59 */ K(0x4f), K(0x50), K(0x51), K(0x4b),	/* KP1-KP4 */
	/* 5D */ K(0x4c), K(0x4d), K(0x47), K(0x48),	/* KP5-KP8 */
	/* 61 */ K(0x49), K(0x52), K(0x53),		/* KP9 KP0 KP. */
	/* 64 */ K(0x56), E(0x5d),			/* 102nd key, Menu */
	/* 87 */ [0x87] = K(0x73), K(0x70), K(0x7d),	/* Ro Katakana Yen */
	/* 8A */ K(0x79), K(0x7b),			/* Henkan Muhenkan */
	/* 9A */ [0x9a] = K(0x54),			/* SysRq (Alt+PrtSc) */
	/* E0 */ [0xe0] = K(0x1d), K(0x2a), K(0x38), E(0x5b),	/* LCtrl LShift LAlt LWin */
	/* E4 */ E(0x1d), K(0x36), E(0x38), E(0x5c),	/* RCtrl RShift RAlt RWin */
};

#define USAGE_PRINT_SCREEN 0x46
#define USAGE_PAUSE 0x48

int ui_keymap_set1(int usage, bool down, uint8_t out[UI_KEYMAP_MAX])
{
	static const uint8_t prtsc_make[] = { 0xe0, 0x2a, 0xe0, 0x37 };
	static const uint8_t prtsc_break[] = { 0xe0, 0xb7, 0xe0, 0xaa };
	static const uint8_t pause[] = { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };
	const uint8_t *seq = NULL;
	int n = 0;

	if (usage == USAGE_PRINT_SCREEN) {
		seq = down ? prtsc_make : prtsc_break;
		n = 4;
	} else if (usage == USAGE_PAUSE) {
		seq = pause;
		n = down ? 6 : 0;
	}
	if (seq) {
		for (int i = 0; i < n; i++)
			out[i] = seq[i];
		return n;
	}
	if (usage < 0 || usage > 255 || !usage_keys[usage].code)
		return 0;
	const struct key *k = &usage_keys[usage];
	n = 0;
	if (k->e0)
		out[n++] = 0xe0;
	out[n++] = (uint8_t)(k->code | (down ? 0 : 0x80));
	return n;
}

/* US layout: the unshifted and shifted character on each key of the main
 * block, by set-1 code. */
static const char plain_chars[0x3a] =
	"\0\x1b" "1234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0\0\0 ";
static const char shift_chars[0x3a] =
	"\0\0" "!@#$%^&*()_+\0\0QWERTYUIOP{}\0\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0\0\0\0";

int ui_keymap_char(int ch, uint8_t out[UI_KEYMAP_MAX])
{
	if (ch <= 0 || ch > 0x7e)
		return 0;
	for (int code = 1; code < 0x3a; code++) {
		int n = 0;
		if (plain_chars[code] == ch) {
			out[n++] = (uint8_t)code;
			out[n++] = (uint8_t)(code | 0x80);
			return n;
		}
		if (shift_chars[code] == ch) {
			out[n++] = 0x2a;
			out[n++] = (uint8_t)code;
			out[n++] = (uint8_t)(code | 0x80);
			out[n++] = 0xaa;
			return n;
		}
	}
	return 0;
}
