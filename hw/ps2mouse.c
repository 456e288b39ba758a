/* PS/2 mouse protocol (see hw/ps2mouse.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ps2mouse.h"
#include "util/snapshot.h"

#define QSIZE 64

struct byteq {
	uint8_t buf[QSIZE];
	uint8_t head, count;
};

struct ps2mouse {
	bool enabled, remote, scale21;
	uint8_t rate, res, id, buttons;
	uint8_t arg_cmd;	/* command waiting for its argument */
	uint8_t knock[3];	/* the last three sample rates */
	int dx, dy, dz;		/* remote mode: movement not yet read */
	struct byteq replies, data;
};

static bool q_push(struct byteq *q, uint8_t b)
{
	if (q->count >= QSIZE)
		return false;
	q->buf[(q->head + q->count) % QSIZE] = b;
	q->count++;
	return true;
}

static uint8_t q_pop(struct byteq *q)
{
	uint8_t b = q->buf[q->head];
	q->head = (q->head + 1) % QSIZE;
	q->count--;
	return b;
}

static void q_clear(struct byteq *q)
{
	q->head = q->count = 0;
}

static void reply(struct ps2mouse *m, uint8_t v)
{
	q_push(&m->replies, v);
}

static void defaults(struct ps2mouse *m)
{
	m->enabled = false;
	m->remote = false;
	m->scale21 = false;
	m->rate = 100;
	m->res = 2;
	m->dx = m->dy = m->dz = 0;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* 2:1 scaling of one axis's count, as the mouse applies it to packets. */
static int scale21(int v)
{
	static const int small[6] = { 0, 1, 1, 3, 6, 9 };
	int a = v < 0 ? -v : v;
	int r = a < 6 ? small[a] : 2 * a;
	return v < 0 ? -r : r;
}

/* Queues one packet of the given movement (PS/2 directions: y up). */
static void packet(struct ps2mouse *m, int dx, int dy, int dz)
{
	int len = m->id == 3 ? 4 : 3;
	if (QSIZE - m->data.count < len)
		return;
	if (m->scale21) {
		dx = scale21(dx);
		dy = scale21(dy);
	}
	bool xo = dx < -256 || dx > 255, yo = dy < -256 || dy > 255;
	dx = clamp(dx, -256, 255);
	dy = clamp(dy, -256, 255);
	uint8_t b0 = 0x08 | (m->buttons & 7) | (dx < 0 ? 0x10 : 0) | (dy < 0 ? 0x20 : 0) |
		     (xo ? 0x40 : 0) | (yo ? 0x80 : 0);
	q_push(&m->data, b0);
	q_push(&m->data, (uint8_t)dx);
	q_push(&m->data, (uint8_t)dy);
	if (m->id == 3)
		q_push(&m->data, (uint8_t)clamp(dz, -8, 7));
}

void ps2mouse_write(struct ps2mouse *m, uint8_t v)
{
	uint8_t arg_cmd = m->arg_cmd;
	if (arg_cmd && v != 0xff) {
		m->arg_cmd = 0;
		if (arg_cmd == 0xf3) {
			m->rate = v;
			m->knock[0] = m->knock[1];
			m->knock[1] = m->knock[2];
			m->knock[2] = v;
			if (m->knock[0] == 200 && m->knock[1] == 100 && m->knock[2] == 80)
				m->id = 3;
		} else {
			m->res = v & 3;
		}
		reply(m, 0xfa);
		return;
	}
	m->arg_cmd = 0;
	switch (v) {
	case 0xe6:
		m->scale21 = false;
		reply(m, 0xfa);
		break;
	case 0xe7:
		m->scale21 = true;
		reply(m, 0xfa);
		break;
	case 0xe8:
	case 0xf3:
		m->arg_cmd = v;
		reply(m, 0xfa);
		break;
	case 0xe9:
		reply(m, 0xfa);
		reply(m, (m->remote ? 0x40 : 0) | (m->enabled ? 0x20 : 0) |
		      (m->scale21 ? 0x10 : 0) | (m->buttons & PS2MOUSE_LEFT ? 4 : 0) |
		      (m->buttons & PS2MOUSE_MIDDLE ? 2 : 0) |
		      (m->buttons & PS2MOUSE_RIGHT ? 1 : 0));
		reply(m, m->res);
		reply(m, m->rate);
		break;
	case 0xea:
		m->remote = false;
		reply(m, 0xfa);
		break;
	case 0xeb:
		reply(m, 0xfa);
		packet(m, m->dx, m->dy, m->dz);
		m->dx = m->dy = m->dz = 0;
		break;
	case 0xf0:
		m->remote = true;
		reply(m, 0xfa);
		break;
	case 0xf2:
		reply(m, 0xfa);
		reply(m, m->id);
		break;
	case 0xf4:
		m->enabled = true;
		reply(m, 0xfa);
		break;
	case 0xf5:
		m->enabled = false;
		q_clear(&m->data);
		reply(m, 0xfa);
		break;
	case 0xf6:
		defaults(m);
		reply(m, 0xfa);
		break;
	case 0xee: case 0xec:	/* wrap mode: not modelled, acknowledged */
		reply(m, 0xfa);
		break;
	case 0xff:
		ps2mouse_reset(m);
		reply(m, 0xfa);
		reply(m, 0xaa);
		reply(m, 0x00);
		break;
	default:
		reply(m, 0xfe);
		break;
	}
}

void ps2mouse_move(struct ps2mouse *m, int dx, int dy, int dz, unsigned buttons)
{
	bool changed = (buttons & 7) != m->buttons;
	m->buttons = buttons & 7;
	if (m->remote) {
		m->dx = clamp(m->dx + dx, -256, 255);
		m->dy = clamp(m->dy - dy, -256, 255);
		m->dz = clamp(m->dz + dz, -8, 7);
		return;
	}
	if (!m->enabled || (!dx && !dy && !dz && !changed))
		return;
	packet(m, dx, -dy, dz);
}

int ps2mouse_pending(const struct ps2mouse *m)
{
	return m->replies.count + m->data.count;
}

uint8_t ps2mouse_read(struct ps2mouse *m)
{
	if (m->replies.count)
		return q_pop(&m->replies);
	return m->data.count ? q_pop(&m->data) : 0;
}

void ps2mouse_unread(struct ps2mouse *m, uint8_t b)
{
	struct byteq *q = &m->data;
	if (q->count >= QSIZE)
		q->count--;	/* lose the newest to keep the oldest */
	q->head = (q->head + QSIZE - 1) % QSIZE;
	q->buf[q->head] = b;
	q->count++;
}

bool ps2mouse_streaming(const struct ps2mouse *m)
{
	return m->enabled;
}

void ps2mouse_reset(struct ps2mouse *m)
{
	defaults(m);
	m->id = 0;
	m->buttons = 0;
	m->arg_cmd = 0;
	memset(m->knock, 0, sizeof(m->knock));
	q_clear(&m->replies);
	q_clear(&m->data);
}

struct ps2mouse *ps2mouse_new(void)
{
	struct ps2mouse *m = calloc(1, sizeof(*m));
	if (m)
		ps2mouse_reset(m);
	return m;
}

void ps2mouse_free(struct ps2mouse *m)
{
	free(m);
}

static void q_save(const struct byteq *q, struct snap *s)
{
	snap_put_u8(s, q->count);
	for (int i = 0; i < q->count; i++)
		snap_put_u8(s, q->buf[(q->head + i) % QSIZE]);
}

static int q_load(struct byteq *q, struct snap *s)
{
	uint8_t n = snap_get_u8(s);
	if (n > QSIZE)
		return -EINVAL;
	q->head = 0;
	q->count = n;
	snap_get_bytes(s, q->buf, n);
	return 0;
}

void ps2mouse_save(const struct ps2mouse *m, struct snap *s)
{
	snap_put_u8(s, m->enabled | m->remote << 1 | m->scale21 << 2);
	snap_put_u8(s, m->rate);
	snap_put_u8(s, m->res);
	snap_put_u8(s, m->id);
	snap_put_u8(s, m->buttons);
	snap_put_u8(s, m->arg_cmd);
	snap_put_bytes(s, m->knock, sizeof(m->knock));
	snap_put_u16(s, (uint16_t)m->dx);
	snap_put_u16(s, (uint16_t)m->dy);
	snap_put_u8(s, (uint8_t)m->dz);
	q_save(&m->replies, s);
	q_save(&m->data, s);
}

int ps2mouse_load(struct ps2mouse *m, struct snap *s)
{
	uint8_t f = snap_get_u8(s);
	m->enabled = f & 1;
	m->remote = f & 2;
	m->scale21 = f & 4;
	m->rate = snap_get_u8(s);
	m->res = snap_get_u8(s) & 3;
	m->id = snap_get_u8(s);
	m->buttons = snap_get_u8(s) & 7;
	m->arg_cmd = snap_get_u8(s);
	snap_get_bytes(s, m->knock, sizeof(m->knock));
	m->dx = clamp((int16_t)snap_get_u16(s), -256, 255);
	m->dy = clamp((int16_t)snap_get_u16(s), -256, 255);
	m->dz = clamp((int8_t)snap_get_u8(s), -8, 7);
	if (q_load(&m->replies, s) < 0 || q_load(&m->data, s) < 0 || !snap_ok(s) ||
	    (m->id != 0 && m->id != 3) || (m->arg_cmd && m->arg_cmd != 0xe8 &&
					   m->arg_cmd != 0xf3)) {
		ps2mouse_reset(m);
		return -EINVAL;
	}
	return 0;
}
