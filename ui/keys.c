/* --keys: the script is parsed into steps up front (so errors show at
 * start-up), then a virtual-time timer hands them to the keyboard one by
 * one.  A step the keyboard cannot take yet (FIFO full, scanning off) is
 * retried a gap later, so nothing typed is lost or reordered. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw/clock.h"
#include "hw/kbd.h"
#include "ui/hotkey.h"
#include "ui/keymap.h"
#include "ui/keys.h"

#define MS_PS (1000ull * 1000 * 1000)
#define MAX_WAIT_MS (24u * 3600 * 1000)

struct ui_keys {
	struct clock *clk;
	struct kbd *kbd;
	struct timer *timer;
	struct ui_key_step *steps;
	int n, next;
	void (*hotkey)(void *opaque, int hotkey);
	void *hotkey_opaque;
};

struct named {
	const char *name;
	int usage;
};

static const struct named names[] = {
	{ "enter", 0x28 }, { "return", 0x28 }, { "esc", 0x29 }, { "escape", 0x29 },
	{ "backspace", 0x2a }, { "bs", 0x2a }, { "tab", 0x2b }, { "space", 0x2c },
	{ "capslock", 0x39 }, { "f1", 0x3a }, { "f2", 0x3b }, { "f3", 0x3c }, { "f4", 0x3d },
	{ "f5", 0x3e }, { "f6", 0x3f }, { "f7", 0x40 }, { "f8", 0x41 }, { "f9", 0x42 },
	{ "f10", 0x43 }, { "f11", 0x44 }, { "f12", 0x45 }, { "printscreen", 0x46 },
	{ "scrolllock", 0x47 }, { "pause", 0x48 }, { "ins", 0x49 }, { "insert", 0x49 },
	{ "home", 0x4a }, { "pgup", 0x4b }, { "del", 0x4c }, { "delete", 0x4c },
	{ "end", 0x4d }, { "pgdn", 0x4e }, { "right", 0x4f }, { "left", 0x50 },
	{ "down", 0x51 }, { "up", 0x52 }, { "numlock", 0x53 }, { "kpenter", 0x58 },
	{ "menu", 0x65 }, { "ctrl", 0xe0 }, { "shift", 0xe1 }, { "alt", 0xe2 },
	{ "win", 0xe3 }, { "rctrl", 0xe4 }, { "rshift", 0xe5 }, { "ralt", 0xe6 },
};

static int lookup(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len && strncasecmp(names[i].name, s, len) == 0)
			return names[i].usage;
	if (len == 1 && s[0] > ' ' && s[0] < 0x7f)
		return -2 - (unsigned char)s[0];	/* a character key */
	return -1;
}

struct out {
	struct ui_key_step *steps;
	int max, n;
};

static int add(struct out *o, const uint8_t *codes, int n, uint32_t wait_ms)
{
	if (n > KEYS_SEQ_MAX)
		return -1;
	if (o->steps) {
		if (o->n >= o->max)
			return -1;
		struct ui_key_step *s = &o->steps[o->n];
		memset(s, 0, sizeof(*s));
		s->n = (uint8_t)n;
		if (n)
			memcpy(s->codes, codes, (size_t)n);
		s->wait_ms = wait_ms;
	}
	o->n++;
	return 0;
}

/* A character's press/release bytes split at the first break code, so
 * that the key is held for a while like a typist's. */
static int add_char(struct out *o, int ch)
{
	uint8_t seq[UI_KEYMAP_MAX];
	int n = ui_keymap_char(ch, seq);
	if (n <= 0)
		return -1;
	int split = 0;
	while (split < n && !(seq[split] & 0x80))
		split++;
	if (add(o, seq, split, KEYS_HOLD_MS) < 0)
		return -1;
	return add(o, seq + split, n - split, KEYS_GAP_MS);
}

/* {mouse:DX,DY[,BUTTONS[,WHEEL]]} */
static int add_mouse(struct out *o, const char *s, const char *end, char *err, size_t errlen)
{
	static const long lo[4] = { -1000, -1000, 0, -8 }, hi[4] = { 1000, 1000, 7, 7 };
	long v[4] = { 0, 0, 0, 0 };
	int k = 0;
	const char *p = s;
	while (p < end && k < 4) {
		char *e;
		v[k] = strtol(p, &e, 10);
		if (e == p || e > end || (*e != ',' && e != end) || v[k] < lo[k] || v[k] > hi[k])
			break;
		k++;
		p = e + (e < end);
		if (e == end)
			break;
	}
	if (k < 2 || p < end) {
		snprintf(err, errlen, "--keys: bad {mouse:%.*s}", (int)(end - s), s);
		return -1;
	}
	if (add(o, NULL, 0, KEYS_GAP_MS) < 0)
		return -1;
	if (o->steps) {
		struct ui_key_step *st = &o->steps[o->n - 1];
		st->mouse = true;
		st->dx = (int16_t)v[0];
		st->dy = (int16_t)v[1];
		st->buttons = (uint8_t)v[2];
		st->dz = (int8_t)v[3];
	}
	return 0;
}

/* Modifiers and one key making a speed hot key: which one, or 0. */
static int combo_hotkey(const int *usage, int nk)
{
	bool ctrl = false, alt = false, shift = false;
	int key = -1;
	for (int i = 0; i < nk; i++) {
		int u = usage[i];
		if (u == 0xe0 || u == 0xe4)
			ctrl = true;
		else if (u == 0xe2 || u == 0xe6)
			alt = true;
		else if (u == 0xe1 || u == 0xe5)
			shift = true;
		else if (key >= 0)
			return 0;
		else
			key = u;
	}
	return ui_hotkey_match(ctrl, alt, shift, key);
}

/* {a+b+c}: press each in order, release in reverse. */
static int add_combo(struct out *o, const char *s, size_t len, char *err, size_t errlen)
{
	int usage[8], nk = 0;
	size_t at = 0;
	while (at <= len) {
		size_t end = at;
		while (end < len && s[end] != '+')
			end++;
		int u = lookup(s + at, end - at);
		if (u == -1 || nk == 8) {
			snprintf(err, errlen, "--keys: unknown key {%.*s}", (int)len, s);
			return -1;
		}
		if (u <= -2) {
			/* A letter or digit in a combination: its unshifted key. */
			uint8_t seq[UI_KEYMAP_MAX];
			int ch = -2 - u, m;
			if (ch >= 'A' && ch <= 'Z')
				ch += 'a' - 'A';
			m = ui_keymap_char(ch, seq);
			if (m != 2) {
				snprintf(err, errlen, "--keys: cannot combine '%c'", -2 - u);
				return -1;
			}
			u = 0x1000 | seq[0];	/* a raw set 1 code */
		}
		usage[nk++] = u;
		at = end + 1;
	}
	int hk = combo_hotkey(usage, nk);
	if (hk) {
		if (add(o, NULL, 0, KEYS_HOLD_MS) < 0 || add(o, NULL, 0, KEYS_GAP_MS) < 0) {
			snprintf(err, errlen, "--keys: script too long");
			return -1;
		}
		if (o->steps) {
			o->steps[o->n - 2].hotkey = (uint8_t)hk;
			if (hk == UI_HOTKEY_TURBO_ON)
				o->steps[o->n - 1].hotkey = UI_HOTKEY_TURBO_OFF;
		}
		return 0;
	}
	uint8_t down[KEYS_SEQ_MAX], up[KEYS_SEQ_MAX];
	int nd = 0, nu = 0;
	for (int i = 0; i < nk; i++) {
		uint8_t seq[UI_KEYMAP_MAX];
		int m;
		if (usage[i] & 0x1000) {
			seq[0] = (uint8_t)usage[i];
			m = 1;
		} else {
			m = ui_keymap_set1(usage[i], true, seq);
		}
		if (nd + m > KEYS_SEQ_MAX)
			return -1;
		memcpy(down + nd, seq, (size_t)m);
		nd += m;
	}
	for (int i = nk - 1; i >= 0; i--) {
		uint8_t seq[UI_KEYMAP_MAX];
		int m;
		if (usage[i] & 0x1000) {
			seq[0] = (uint8_t)(usage[i] | 0x80);
			m = 1;
		} else {
			m = ui_keymap_set1(usage[i], false, seq);
		}
		if (nu + m > KEYS_SEQ_MAX)
			return -1;
		memcpy(up + nu, seq, (size_t)m);
		nu += m;
	}
	if (add(o, down, nd, KEYS_HOLD_MS) < 0 || add(o, up, nu, KEYS_GAP_MS) < 0) {
		snprintf(err, errlen, "--keys: script too long");
		return -1;
	}
	return 0;
}

int ui_keys_parse(const char *script, struct ui_key_step *steps, int max, char *err,
		  size_t errlen)
{
	struct out o = { steps, max, 0 };
	for (const char *p = script; *p;) {
		if (p[0] == '{' && p[1] == '{') {
			if (add_char(&o, '{') < 0)
				goto too_long;
			p += 2;
			continue;
		}
		if (*p != '{') {
			unsigned char c = (unsigned char)*p;
			if (c == '\n' ? add_char(&o, '\n') < 0 : add_char(&o, c) < 0) {
				if (o.steps && o.n >= o.max)
					goto too_long;
				snprintf(err, errlen, "--keys: no key types character %#x", c);
				return -1;
			}
			p++;
			continue;
		}
		const char *end = strchr(p, '}');
		if (!end) {
			snprintf(err, errlen, "--keys: unclosed { in \"%s\"", p);
			return -1;
		}
		const char *name = p + 1;
		size_t len = (size_t)(end - name);
		if (len > 5 && strncasecmp(name, "wait:", 5) == 0) {
			char *e;
			unsigned long ms = strtoul(name + 5, &e, 10);
			if (e != end || ms > MAX_WAIT_MS || name[5] == '-') {
				snprintf(err, errlen, "--keys: bad {%.*s}", (int)len, name);
				return -1;
			}
			if (add(&o, NULL, 0, (uint32_t)ms) < 0)
				goto too_long;
		} else if (len > 6 && strncasecmp(name, "mouse:", 6) == 0) {
			if (add_mouse(&o, name + 6, end, err, errlen) < 0) {
				if (o.steps && o.n >= o.max)
					goto too_long;
				return -1;
			}
		} else if (add_combo(&o, name, len, err, errlen) < 0) {
			return -1;
		}
		p = end + 1;
	}
	return o.n;
too_long:
	snprintf(err, errlen, "--keys: script too long");
	return -1;
}

static void step_cb(void *opaque)
{
	struct ui_keys *ks = opaque;
	uint64_t now = clock_now(ks->clk);
	while (ks->next < ks->n) {
		const struct ui_key_step *s = &ks->steps[ks->next];
		if (s->hotkey) {
			if (ks->hotkey)
				ks->hotkey(ks->hotkey_opaque, s->hotkey);
		} else if (s->mouse) {
			unsigned b = (s->buttons & 1 ? KBD_MOUSE_LEFT : 0) |
				     (s->buttons & 2 ? KBD_MOUSE_RIGHT : 0) |
				     (s->buttons & 4 ? KBD_MOUSE_MIDDLE : 0);
			kbd_mouse_event(ks->kbd, s->dx, s->dy, s->dz, b);
		} else if (s->n && kbd_put_scancodes(ks->kbd, s->codes, s->n) < 0) {
			/* Not taken (FIFO full or keyboard off): try again. */
			timer_mod(ks->timer, now + KEYS_GAP_MS * MS_PS);
			return;
		}
		ks->next++;
		if (s->wait_ms) {
			timer_mod(ks->timer, now + s->wait_ms * MS_PS);
			return;
		}
	}
}

struct ui_keys *ui_keys_new(struct clock *clk, struct kbd *k, const char *script, char *err,
			    size_t errlen)
{
	int n = ui_keys_parse(script, NULL, 0, err, errlen);
	if (n < 0)
		return NULL;
	struct ui_keys *ks = calloc(1, sizeof(*ks));
	if (ks)
		ks->steps = calloc((size_t)n + 1, sizeof(*ks->steps));
	if (ks && ks->steps)
		ks->timer = timer_new(clk, step_cb, ks);
	if (!ks || !ks->steps || !ks->timer) {
		snprintf(err, errlen, "--keys: out of memory");
		ui_keys_free(ks);
		return NULL;
	}
	ks->clk = clk;
	ks->kbd = k;
	ks->n = ui_keys_parse(script, ks->steps, n, err, errlen);
	if (ks->n != n) {
		ui_keys_free(ks);
		return NULL;
	}
	timer_mod(ks->timer, clock_now(clk));
	return ks;
}

void ui_keys_set_hotkey(struct ui_keys *ks, void (*fn)(void *opaque, int hotkey),
			void *opaque)
{
	ks->hotkey = fn;
	ks->hotkey_opaque = opaque;
}

int ui_keys_done(const struct ui_keys *ks)
{
	return ks->next >= ks->n;
}

void ui_keys_free(struct ui_keys *ks)
{
	if (!ks)
		return;
	if (ks->timer)
		timer_free(ks->timer);
	free(ks->steps);
	free(ks);
}
