/* A growable byte buffer that devices write their state into and read it
 * back from.  Readers never fail loudly: reading past the end sets
 * ->error and returns zeros, and the caller checks snap_ok() once. */
#ifndef TANDEM_UTIL_SNAPSHOT_H
#define TANDEM_UTIL_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct snap {
	uint8_t *data;
	size_t len, cap, pos;
	bool error;
};

void snap_init(struct snap *s);
void snap_free(struct snap *s);
/* Starts reading an existing buffer (not copied, not freed by snap_free). */
void snap_open(struct snap *s, const uint8_t *data, size_t len);

void snap_put_u8(struct snap *s, uint8_t v);
void snap_put_u16(struct snap *s, uint16_t v);
void snap_put_u32(struct snap *s, uint32_t v);
void snap_put_u64(struct snap *s, uint64_t v);
void snap_put_bytes(struct snap *s, const void *p, size_t n);

uint8_t snap_get_u8(struct snap *s);
uint16_t snap_get_u16(struct snap *s);
uint32_t snap_get_u32(struct snap *s);
uint64_t snap_get_u64(struct snap *s);
void snap_get_bytes(struct snap *s, void *p, size_t n);

static inline bool snap_ok(const struct snap *s) { return !s->error; }

#endif
