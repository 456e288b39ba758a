/* Keyboard: i8042 controller (at) or 8255 PPI keyboard port (xt), with the
 * keyboard's own command handling behind it, and (at) a PS/2 mouse on the
 * aux port.
 *
 * Queues feed the output buffer: replies to keyboard commands first (a
 * BIOS waiting for FAh must not get a queued scan code instead), then scan
 * codes from the user, then the mouse's replies and packets.  Controller
 * replies bypass them all and go straight into the output buffer.  After
 * the guest takes a byte the next one follows about one keyboard-byte time
 * later, so handlers that read port 60h twice see the same byte, as on
 * hardware.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/kbd.h"
#include "hw/ps2mouse.h"
#include "util/snapshot.h"

#define KBD_REPLY_SIZE 16
#define KBD_SEQ_MAX 8		/* longest key sequence (set 1 or 2) */
/* 11 bits at ~11 kHz keyboard clock. */
#define KBD_BYTE_PS (1000ull * 1000 * 1000)
/* The XT keyboard resets when its clock is held low this long. */
#define KBD_XT_RESET_PS (10ull * 1000 * 1000 * 1000)
#define MS_PS (1000ull * 1000 * 1000)

enum {
	ST_OBF = 0x01, ST_SYS = 0x04, ST_CMD = 0x08, ST_UNLOCKED = 0x10, ST_AUX = 0x20,
	CCB_IRQ1 = 0x01, CCB_IRQ12 = 0x02, CCB_SYS = 0x04, CCB_KBD_OFF = 0x10,
	CCB_AUX_OFF = 0x20, CCB_XLAT = 0x40,
	OUT_RESET = 0x01, OUT_A20 = 0x02, OUT_OBF_KBD = 0x10, OUT_OBF_AUX = 0x20,
	PB_KBD_CLK = 0x40, PB_KBD_CLEAR = 0x80,
};

enum src { SRC_CTRL, SRC_KBD, SRC_AUX };

struct byteq {
	uint8_t buf[KBD_QUEUE_SIZE];
	uint8_t head, count, size;
};

struct kbd {
	struct clock *clk;
	struct irq_line *irq, *irq12;
	struct timer *timer, *rep_timer;
	struct kbd_callbacks cb;
	bool xt;
	struct byteq codes, replies;
	struct ps2mouse *mouse;	/* at only */
	uint8_t out;
	bool obf;
	uint8_t out_src;	/* enum src */
	bool delay;		/* the next byte waits for the timer */
	uint8_t ram[32];	/* ram[0] is the command byte */
	uint8_t outport;
	uint8_t pending_cmd;	/* controller command waiting for its data byte */
	uint8_t kbd_arg_cmd;	/* keyboard command waiting for its argument */
	bool last_was_cmd;
	bool scanning;
	uint8_t leds, typematic, scanset, last_sent;
	uint8_t port_b;		/* xt */
	uint64_t clk_low_since;
	/* The held key (set 1, as the frontend sent it) that typematic
	 * repeats; rep_len 0: none. */
	uint8_t rep_seq[KBD_SEQ_MAX], rep_len;
};

static bool q_push(struct byteq *q, uint8_t b)
{
	if (q->count >= q->size)
		return false;
	q->buf[(q->head + q->count) % q->size] = b;
	q->count++;
	return true;
}

static void q_push_front(struct byteq *q, uint8_t b)
{
	if (q->count >= q->size)
		q->count--;	/* lose the newest to keep the oldest */
	q->head = (q->head + q->size - 1) % q->size;
	q->buf[q->head] = b;
	q->count++;
}

static uint8_t q_pop(struct byteq *q)
{
	uint8_t b = q->buf[q->head];
	q->head = (q->head + 1) % q->size;
	q->count--;
	return b;
}

static void q_clear(struct byteq *q)
{
	q->head = 0;
	q->count = 0;
}

static int q_room(const struct byteq *q)
{
	return q->size - q->count;
}

static void update_irq(struct kbd *k)
{
	if (k->xt) {
		irq_set(k->irq, k->obf);
		return;
	}
	bool aux = k->out_src == SRC_AUX;
	irq_set(k->irq, k->obf && !aux && (k->ram[0] & CCB_IRQ1));
	irq_set(k->irq12, k->obf && aux && (k->ram[0] & CCB_IRQ12));
}

static bool any_queued(const struct kbd *k)
{
	return k->replies.count || k->codes.count || (k->mouse && ps2mouse_pending(k->mouse));
}

static void deliver(struct kbd *k, uint8_t b, enum src src)
{
	k->out = b;
	if (src == SRC_KBD)
		k->last_sent = b;
	k->obf = true;
	k->out_src = src;
	update_irq(k);
}

static void try_fill(struct kbd *k)
{
	if (k->obf || k->delay)
		return;
	if (k->xt) {
		if (!(k->port_b & PB_KBD_CLK) || (k->port_b & PB_KBD_CLEAR))
			return;
	}
	if (k->xt || !(k->ram[0] & CCB_KBD_OFF)) {
		struct byteq *q = k->replies.count ? &k->replies : &k->codes;
		if (q->count) {
			deliver(k, q_pop(q), SRC_KBD);
			return;
		}
	}
	if (k->mouse && !(k->ram[0] & CCB_AUX_OFF) && ps2mouse_pending(k->mouse))
		deliver(k, ps2mouse_read(k->mouse), SRC_AUX);
}

/* The output buffer was emptied: the next byte follows after a delay. */
static void buffer_taken(struct kbd *k)
{
	k->obf = false;
	update_irq(k);
	if (any_queued(k) && !k->delay) {
		k->delay = true;
		timer_mod(k->timer, clock_now(k->clk) + KBD_BYTE_PS);
	}
}

static void delay_cb(void *opaque)
{
	struct kbd *k = opaque;
	k->delay = false;
	try_fill(k);
}

static void ctrl_reply(struct kbd *k, uint8_t v, enum src as)
{
	/* An unread device byte is not lost: it goes back in line. */
	if (k->obf && k->out_src == SRC_KBD)
		q_push_front(&k->codes, k->out);
	else if (k->obf && k->out_src == SRC_AUX && k->mouse)
		ps2mouse_unread(k->mouse, k->out);
	deliver(k, v, as);
}

static void kbd_reply(struct kbd *k, uint8_t v)
{
	q_push(&k->replies, v);
	try_fill(k);
}

/* --- scan code set 1 to set 2 ------------------------------------------ */

/* Set 2 make code of each set 1 make code 00h-58h (0: none).  The E0 keys
 * keep the same mapping behind their prefix. */
static const uint8_t set1_to_2[0x59] = {
	0x00, 0x76, 0x16, 0x1e, 0x26, 0x25, 0x2e, 0x36, 0x3d, 0x3e, 0x46, 0x45, 0x4e, 0x55,
	0x66, 0x0d, 0x15, 0x1d, 0x24, 0x2d, 0x2c, 0x35, 0x3c, 0x43, 0x44, 0x4d, 0x54, 0x5b,
	0x5a, 0x14, 0x1c, 0x1b, 0x23, 0x2b, 0x34, 0x33, 0x3b, 0x42, 0x4b, 0x4c, 0x52, 0x0e,
	0x12, 0x5d, 0x1a, 0x22, 0x21, 0x2a, 0x32, 0x31, 0x3a, 0x41, 0x49, 0x4a, 0x59, 0x7c,
	0x11, 0x29, 0x58, 0x05, 0x06, 0x04, 0x0c, 0x03, 0x0b, 0x83, 0x0a, 0x01, 0x09, 0x77,
	0x7e, 0x6c, 0x75, 0x7d, 0x7b, 0x6b, 0x73, 0x74, 0x79, 0x69, 0x72, 0x7a, 0x70, 0x71,
	0x84, 0x00, 0x61, 0x78, 0x07,
};

static uint8_t set2_code(uint8_t make1, bool e0)
{
	if (e0) {
		switch (make1) {
		case 0x5b: return 0x1f;	/* left Windows */
		case 0x5c: return 0x27;	/* right Windows */
		case 0x5d: return 0x2f;	/* menu */
		case 0x5e: return 0x37;	/* power */
		case 0x5f: return 0x3f;	/* sleep */
		case 0x63: return 0x5e;	/* wake */
		default: break;
		}
	}
	return make1 < sizeof(set1_to_2) ? set1_to_2[make1] : 0;
}

/* Converts one set 1 sequence to set 2; returns the length (0: nothing
 * the keyboard could send). */
int kbd_set1_to_set2(const uint8_t *in, int n, uint8_t *out, int max)
{
	int len = 0;
	bool e0 = false;
	for (int i = 0; i < n; i++) {
		uint8_t b = in[i];
		if (b == 0xe0 || b == 0xe1) {
			if (len + 1 > max)
				return 0;
			out[len++] = b;
			e0 = b == 0xe0;
			continue;
		}
		uint8_t c = set2_code(b & 0x7f, e0);
		if (!c || len + 2 > max)
			return 0;
		if (b & 0x80)
			out[len++] = 0xf0;
		out[len++] = c;
		e0 = false;
	}
	return len;
}

static bool wants_set2(const struct kbd *k)
{
	return !k->xt && !(k->ram[0] & CCB_XLAT) && k->scanset != 1;
}

/* Queues a set 1 sequence as the guest should see it; false when the FIFO
 * lacks room. */
static bool queue_key(struct kbd *k, const uint8_t *codes, int n)
{
	uint8_t conv[2 * KBD_SEQ_MAX + 8];
	if (wants_set2(k)) {
		int m = kbd_set1_to_set2(codes, n, conv, (int)sizeof(conv));
		if (m == 0)
			return true;	/* no such key in set 2: nothing sent */
		codes = conv;
		n = m;
	}
	if (n > q_room(&k->codes))
		return false;
	for (int i = 0; i < n; i++)
		q_push(&k->codes, codes[i]);
	try_fill(k);
	return true;
}

/* --- typematic ---------------------------------------------------------- */

static uint64_t typematic_delay_ps(const struct kbd *k)
{
	return (uint64_t)(((k->typematic >> 5) & 3) + 1) * 250 * MS_PS;
}

/* Repeat period: (8 + A) * 2^B * 4.17 ms, A = bits 0-2, B = bits 3-4. */
static uint64_t typematic_period_ps(const struct kbd *k)
{
	uint64_t a = k->typematic & 7, b = (k->typematic >> 3) & 3;
	return (8 + a) * (1ull << b) * 4170 * (MS_PS / 1000);
}

static void repeat_cb(void *opaque)
{
	struct kbd *k = opaque;
	if (!k->rep_len || !k->scanning)
		return;
	queue_key(k, k->rep_seq, k->rep_len);	/* no room: this repeat is lost */
	timer_mod(k->rep_timer, clock_now(k->clk) + typematic_period_ps(k));
}

static void stop_repeat(struct kbd *k)
{
	k->rep_len = 0;
	timer_del(k->rep_timer);
}

/* Follows presses and releases of the frontend's set 1 sequences. */
static void track_typematic(struct kbd *k, const uint8_t *codes, int n)
{
	if (k->xt || n <= 0 || n > KBD_SEQ_MAX || codes[0] == 0xe1)
		return;		/* Pause does not repeat */
	uint8_t last = codes[n - 1];
	if (last & 0x80) {
		/* A break of the repeating key ends the repeat. */
		if (k->rep_len && (k->rep_seq[k->rep_len - 1] | 0x80) == last)
			stop_repeat(k);
		return;
	}
	memcpy(k->rep_seq, codes, (size_t)n);
	k->rep_len = (uint8_t)n;
	timer_mod(k->rep_timer, clock_now(k->clk) + typematic_delay_ps(k));
}

/* --- the mouse ---------------------------------------------------------- */

_Static_assert(KBD_MOUSE_LEFT == PS2MOUSE_LEFT && KBD_MOUSE_RIGHT == PS2MOUSE_RIGHT &&
	       KBD_MOUSE_MIDDLE == PS2MOUSE_MIDDLE, "mouse button bits");

void kbd_mouse_event(struct kbd *k, int dx, int dy, int dz, unsigned buttons)
{
	if (!k->mouse)
		return;
	ps2mouse_move(k->mouse, dx, dy, dz, buttons);
	try_fill(k);
}

bool kbd_mouse_enabled(const struct kbd *k)
{
	return k->mouse && ps2mouse_streaming(k->mouse);
}

uint8_t kbd_leds(const struct kbd *k)
{
	return k->leds;
}

void kbd_set_aux_irq(struct kbd *k, struct irq_line *irq12)
{
	k->irq12 = irq12;
	update_irq(k);
}

/* --- keyboard and controller commands ------------------------------------ */

static void kbd_defaults(struct kbd *k)
{
	k->typematic = 0x2b;	/* 10.9 cps, 500 ms */
	k->scanset = 2;
	stop_repeat(k);
}

static void write_outport(struct kbd *k, uint8_t v)
{
	uint8_t old = k->outport;
	k->outport = (v | OUT_RESET) & ~(OUT_OBF_KBD | OUT_OBF_AUX);
	if ((old ^ v) & OUT_A20 && k->cb.set_a20)
		k->cb.set_a20(k->cb.opaque, v & OUT_A20);
	if (!(v & OUT_RESET) && k->cb.reset)
		k->cb.reset(k->cb.opaque);
}

static void keyboard_command(struct kbd *k, uint8_t v)
{
	uint8_t arg_cmd = k->kbd_arg_cmd;
	if (arg_cmd) {
		k->kbd_arg_cmd = 0;
		switch (arg_cmd) {
		case 0xed:
			k->leds = v & 7;
			kbd_reply(k, 0xfa);
			return;
		case 0xf3:
			k->typematic = v & 0x7f;
			kbd_reply(k, 0xfa);
			return;
		case 0xf0:
			if (v > 3) {
				kbd_reply(k, 0xfe);
			} else if (v == 0) {
				static const uint8_t xlat_id[4] = { 0, 0x43, 0x41, 0x3f };
				kbd_reply(k, 0xfa);
				kbd_reply(k, k->ram[0] & CCB_XLAT ? xlat_id[k->scanset] :
					  k->scanset);
			} else {
				k->scanset = v;
				kbd_reply(k, 0xfa);
			}
			return;
		}
	}
	switch (v) {
	case 0xed:
	case 0xf3:
	case 0xf0:
		k->kbd_arg_cmd = v;
		kbd_reply(k, 0xfa);
		break;
	case 0xee:
		kbd_reply(k, 0xee);
		break;
	case 0xf2:
		kbd_reply(k, 0xfa);
		kbd_reply(k, 0xab);
		kbd_reply(k, k->ram[0] & CCB_XLAT ? 0x41 : 0x83);
		break;
	case 0xf4:
		k->scanning = true;
		kbd_reply(k, 0xfa);
		break;
	case 0xf5:
		k->scanning = false;
		kbd_defaults(k);
		q_clear(&k->codes);
		kbd_reply(k, 0xfa);
		break;
	case 0xf6:
		kbd_defaults(k);
		kbd_reply(k, 0xfa);
		break;
	case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
		kbd_reply(k, 0xfa);	/* set 3 key types: accepted, no effect */
		break;
	case 0xfe:
		kbd_reply(k, k->last_sent);
		break;
	case 0xff:
		q_clear(&k->codes);
		q_clear(&k->replies);
		kbd_defaults(k);
		k->leds = 0;
		k->scanning = true;
		kbd_reply(k, 0xfa);
		kbd_reply(k, 0xaa);	/* basic assurance test passed */
		break;
	default:
		kbd_reply(k, 0xfe);
		break;
	}
}

static void controller_data(struct kbd *k, uint8_t cmd, uint8_t v)
{
	switch (cmd) {
	case 0xd1:
		write_outport(k, v);
		break;
	case 0xd2:
		ctrl_reply(k, v, SRC_KBD);
		break;
	case 0xd3:
		ctrl_reply(k, v, SRC_AUX);
		break;
	case 0xd4:
		if (k->mouse) {
			ps2mouse_write(k->mouse, v);
			try_fill(k);
		}
		break;
	default:		/* 60h-7Fh: controller RAM, 60h the command byte */
		k->ram[cmd & 0x1f] = v;
		if (cmd == 0x60) {
			update_irq(k);
			try_fill(k);
		}
		break;
	}
}

static void controller_command(struct kbd *k, uint8_t v)
{
	if (v >= 0x20 && v <= 0x3f) {
		ctrl_reply(k, k->ram[v & 0x1f], SRC_CTRL);
		return;
	}
	if ((v >= 0x60 && v <= 0x7f) || (v >= 0xd1 && v <= 0xd4)) {
		k->pending_cmd = v;
		return;
	}
	if (v >= 0xf0) {
		/* Pulse the output port bits whose mask bit is 0; only bit 0
		 * (CPU reset) is wired to anything. */
		if (!(v & 1) && k->cb.reset)
			k->cb.reset(k->cb.opaque);
		return;
	}
	switch (v) {
	case 0xa4:
		ctrl_reply(k, 0xf1, SRC_CTRL);	/* no password installed */
		break;
	case 0xa7:
		k->ram[0] |= CCB_AUX_OFF;
		break;
	case 0xa8:
		k->ram[0] &= ~CCB_AUX_OFF;
		try_fill(k);
		break;
	case 0xa9:
		ctrl_reply(k, 0x00, SRC_CTRL);	/* aux interface OK */
		break;
	case 0xaa:
		ctrl_reply(k, 0x55, SRC_CTRL);
		break;
	case 0xab:
		ctrl_reply(k, 0x00, SRC_CTRL);	/* keyboard interface OK */
		break;
	case 0xad:
		k->ram[0] |= CCB_KBD_OFF;
		break;
	case 0xae:
		k->ram[0] &= ~CCB_KBD_OFF;
		try_fill(k);
		break;
	case 0xc0:
		/* Keyboard not inhibited, colour display, no jumper. */
		ctrl_reply(k, 0xb0, SRC_CTRL);
		break;
	case 0xd0:
		ctrl_reply(k, k->outport | (k->obf && k->out_src == SRC_KBD ? OUT_OBF_KBD : 0) |
			   (k->obf && k->out_src == SRC_AUX ? OUT_OBF_AUX : 0), SRC_CTRL);
		break;
	case 0xdd:
		write_outport(k, k->outport & ~OUT_A20);
		break;
	case 0xdf:
		write_outport(k, k->outport | OUT_A20);
		break;
	case 0xe0:
		ctrl_reply(k, 0x00, SRC_CTRL);
		break;
	default:
		break;
	}
}

static uint32_t kbd_port_read(void *opaque, uint16_t port, int size)
{
	struct kbd *k = opaque;
	(void)size;
	if (port == 0x64 && !k->xt) {
		return (k->obf ? ST_OBF : 0) | (k->ram[0] & CCB_SYS ? ST_SYS : 0) |
			(k->last_was_cmd ? ST_CMD : 0) | ST_UNLOCKED |
			(k->obf && k->out_src == SRC_AUX ? ST_AUX : 0);
	}
	uint8_t v = k->out;
	/* xt: the latch is cleared only through port B bit 7. */
	if (!k->xt && k->obf)
		buffer_taken(k);
	return v;
}

static void kbd_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct kbd *k = opaque;
	(void)size;
	if (k->xt)
		return;		/* PPI port A is an input */
	if (port == 0x64) {
		k->last_was_cmd = true;
		k->pending_cmd = 0;
		controller_command(k, val);
		return;
	}
	k->last_was_cmd = false;
	if (k->pending_cmd) {
		uint8_t cmd = k->pending_cmd;
		k->pending_cmd = 0;
		controller_data(k, cmd, val);
		return;
	}
	keyboard_command(k, val);
}

static const struct ioport_ops kbd_ops = {
	.read = kbd_port_read,
	.write = kbd_port_write,
	.widths = 1,
};

int kbd_put_scancodes(struct kbd *k, const uint8_t *codes, int n)
{
	if (!k->scanning)
		return -EAGAIN;
	if (n < 0 || n > k->codes.size - k->codes.count)
		return -ENOSPC;
	if (!queue_key(k, codes, n))
		return -ENOSPC;
	track_typematic(k, codes, n);
	return 0;
}

void kbd_xt_port_b(struct kbd *k, uint8_t val)
{
	uint8_t old = k->port_b;
	uint64_t now = clock_now(k->clk);
	k->port_b = val;
	if (!k->xt)
		return;
	if ((old & PB_KBD_CLK) && !(val & PB_KBD_CLK))
		k->clk_low_since = now;
	if (!(old & PB_KBD_CLK) && (val & PB_KBD_CLK) &&
	    now - k->clk_low_since >= KBD_XT_RESET_PS) {
		q_clear(&k->codes);
		q_clear(&k->replies);
		q_push(&k->replies, 0xaa);
	}
	if (val & PB_KBD_CLEAR) {
		if (k->obf)
			buffer_taken(k);
		return;
	}
	try_fill(k);
}

static void kbd_reset(void *opaque)
{
	struct kbd *k = opaque;
	q_clear(&k->codes);
	q_clear(&k->replies);
	k->obf = false;
	k->out = 0;
	k->out_src = SRC_CTRL;
	k->delay = false;
	timer_del(k->timer);
	/* The system flag survives a reset: a BIOS reads it to tell a CPU
	 * reset (the 286 way back to real mode) from power-on. */
	uint8_t sys = k->ram[0] & CCB_SYS;
	memset(k->ram, 0, sizeof(k->ram));
	k->ram[0] = CCB_IRQ1 | CCB_AUX_OFF | CCB_XLAT | sys;
	k->pending_cmd = 0;
	k->kbd_arg_cmd = 0;
	k->last_was_cmd = false;
	k->scanning = true;
	k->leds = 0;
	k->last_sent = 0;
	kbd_defaults(k);
	if (k->mouse)
		ps2mouse_reset(k->mouse);
	k->port_b = PB_KBD_CLK;
	k->clk_low_since = 0;
	/* Output port: every pin high after reset, as on the real 8042, so
	 * A20 is open and a 286+ can fetch its first instruction from the top
	 * of the address space; the BIOS closes it during POST. */
	k->outport = 0xcf;
	if (!k->xt && k->cb.set_a20)
		k->cb.set_a20(k->cb.opaque, true);
	update_irq(k);
}

struct kbd *kbd_new(struct ioport_bus *io, struct clock *clk, struct irq_line *irq1,
		    bool xt, const struct kbd_callbacks *cb)
{
	struct kbd *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->clk = clk;
	k->irq = irq1;
	k->xt = xt;
	k->codes.size = KBD_QUEUE_SIZE;
	k->replies.size = KBD_REPLY_SIZE;
	if (cb)
		k->cb = *cb;
	if (!xt && !(k->mouse = ps2mouse_new()))
		goto fail;
	if (!(k->timer = timer_new(clk, delay_cb, k)))
		goto fail;
	if (!(k->rep_timer = timer_new(clk, repeat_cb, k)))
		goto fail;
	if (ioport_register(io, 0x60, 1, &kbd_ops, k) < 0)
		goto fail;
	if (!xt && ioport_register(io, 0x64, 1, &kbd_ops, k) < 0)
		goto fail;	/* 60h stays claimed: the board gives up anyway */
	kbd_reset(k);
	return k;
fail:
	if (k->timer)
		timer_free(k->timer);
	if (k->rep_timer)
		timer_free(k->rep_timer);
	ps2mouse_free(k->mouse);
	free(k);
	return NULL;
}

static void q_save(const struct byteq *q, struct snap *s)
{
	snap_put_u8(s, q->count);
	for (int i = 0; i < q->count; i++)
		snap_put_u8(s, q->buf[(q->head + i) % q->size]);
}

static int q_load(struct byteq *q, struct snap *s)
{
	uint8_t n = snap_get_u8(s);
	if (n > q->size)
		return -EINVAL;
	q->head = 0;
	q->count = n;
	snap_get_bytes(s, q->buf, n);
	return 0;
}

static void put_timer(struct snap *s, const struct timer *t)
{
	snap_put_u64(s, timer_pending(t) ? timer_expires(t) : CLOCK_NEVER);
}

static void kbd_save(void *opaque, struct snap *s)
{
	struct kbd *k = opaque;
	snap_put_u8(s, k->xt);
	q_save(&k->codes, s);
	q_save(&k->replies, s);
	snap_put_u8(s, k->out);
	snap_put_u8(s, k->out_src);
	snap_put_u8(s, k->obf | k->delay << 2 | k->last_was_cmd << 3 | k->scanning << 4);
	snap_put_bytes(s, k->ram, sizeof(k->ram));
	snap_put_u8(s, k->outport);
	snap_put_u8(s, k->pending_cmd);
	snap_put_u8(s, k->kbd_arg_cmd);
	snap_put_u8(s, k->leds);
	snap_put_u8(s, k->typematic);
	snap_put_u8(s, k->scanset);
	snap_put_u8(s, k->last_sent);
	snap_put_u8(s, k->port_b);
	snap_put_u64(s, k->clk_low_since);
	put_timer(s, k->timer);
	snap_put_u8(s, k->rep_len);
	snap_put_bytes(s, k->rep_seq, sizeof(k->rep_seq));
	put_timer(s, k->rep_timer);
	if (k->mouse)
		ps2mouse_save(k->mouse, s);
}

static void get_timer(struct snap *s, struct timer *t)
{
	uint64_t when = snap_get_u64(s);
	if (when != CLOCK_NEVER && snap_ok(s))
		timer_mod(t, when);
	else
		timer_del(t);
}

static int kbd_load(void *opaque, struct snap *s)
{
	struct kbd *k = opaque;
	if (snap_get_u8(s) != k->xt)
		return -EINVAL;
	if (q_load(&k->codes, s) < 0 || q_load(&k->replies, s) < 0)
		return -EINVAL;
	k->out = snap_get_u8(s);
	k->out_src = snap_get_u8(s);
	uint8_t f = snap_get_u8(s);
	k->obf = f & 1;
	k->delay = f & 4;
	k->last_was_cmd = f & 8;
	k->scanning = f & 16;
	snap_get_bytes(s, k->ram, sizeof(k->ram));
	k->outport = snap_get_u8(s);
	k->pending_cmd = snap_get_u8(s);
	k->kbd_arg_cmd = snap_get_u8(s);
	k->leds = snap_get_u8(s);
	k->typematic = snap_get_u8(s);
	k->scanset = snap_get_u8(s);
	k->last_sent = snap_get_u8(s);
	k->port_b = snap_get_u8(s);
	k->clk_low_since = snap_get_u64(s);
	get_timer(s, k->timer);
	k->rep_len = snap_get_u8(s);
	snap_get_bytes(s, k->rep_seq, sizeof(k->rep_seq));
	get_timer(s, k->rep_timer);
	int mouse_err = k->mouse ? ps2mouse_load(k->mouse, s) : 0;
	if (!snap_ok(s) || mouse_err || k->scanset > 3 || k->out_src > SRC_AUX ||
	    k->rep_len > KBD_SEQ_MAX) {
		timer_del(k->timer);
		timer_del(k->rep_timer);
		k->rep_len = 0;
		return -EINVAL;
	}
	if (k->delay && !timer_pending(k->timer))
		k->delay = false;
	update_irq(k);
	return 0;
}

static void kbd_free(void *opaque)
{
	struct kbd *k = opaque;
	timer_free(k->timer);
	timer_free(k->rep_timer);
	ps2mouse_free(k->mouse);
	free(k);
}

const struct device_desc kbd_desc = {
	.name = "i8042",
	.reset = kbd_reset,
	.save = kbd_save,
	.load = kbd_load,
	.free = kbd_free,
};
