#include <stdlib.h>
#include <string.h>
#include "util/snapshot.h"

void snap_init(struct snap *s)
{
	memset(s, 0, sizeof(*s));
}

void snap_free(struct snap *s)
{
	if (s->cap)
		free(s->data);
	memset(s, 0, sizeof(*s));
}

void snap_open(struct snap *s, const uint8_t *data, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->data = (uint8_t *)data;
	s->len = len;
}

void snap_put_bytes(struct snap *s, const void *p, size_t n)
{
	if (s->error)
		return;
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		while (cap < s->len + n)
			cap *= 2;
		uint8_t *d = realloc(s->data, cap);
		if (!d) {
			s->error = true;
			return;
		}
		s->data = d;
		s->cap = cap;
	}
	memcpy(s->data + s->len, p, n);
	s->len += n;
}

void snap_get_bytes(struct snap *s, void *p, size_t n)
{
	if (s->error || n > s->len - s->pos) {
		s->error = true;
		memset(p, 0, n);
		return;
	}
	memcpy(p, s->data + s->pos, n);
	s->pos += n;
}

/* Fixed little-endian layout so snapshots move between hosts. */
void snap_put_u8(struct snap *s, uint8_t v) { snap_put_bytes(s, &v, 1); }

void snap_put_u16(struct snap *s, uint16_t v)
{
	uint8_t b[2] = { v, v >> 8 };
	snap_put_bytes(s, b, 2);
}

void snap_put_u32(struct snap *s, uint32_t v)
{
	snap_put_u16(s, v);
	snap_put_u16(s, v >> 16);
}

void snap_put_u64(struct snap *s, uint64_t v)
{
	snap_put_u32(s, v);
	snap_put_u32(s, v >> 32);
}

uint8_t snap_get_u8(struct snap *s)
{
	uint8_t v;
	snap_get_bytes(s, &v, 1);
	return v;
}

uint16_t snap_get_u16(struct snap *s)
{
	uint8_t b[2];
	snap_get_bytes(s, b, 2);
	return b[0] | b[1] << 8;
}

uint32_t snap_get_u32(struct snap *s)
{
	uint32_t lo = snap_get_u16(s);
	return lo | (uint32_t)snap_get_u16(s) << 16;
}

uint64_t snap_get_u64(struct snap *s)
{
	uint64_t lo = snap_get_u32(s);
	return lo | (uint64_t)snap_get_u32(s) << 32;
}
