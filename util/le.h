/* Little-endian fields in byte buffers: firmware tables, PCI configuration
 * space, file headers.  Byte by byte, so any alignment and any host order. */
#ifndef TANDEM_UTIL_LE_H
#define TANDEM_UTIL_LE_H

#include <stdint.h>

static inline void le_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void le_put32(uint8_t *p, uint32_t v)
{
	le_put16(p, (uint16_t)v);
	le_put16(p + 2, (uint16_t)(v >> 16));
}

#endif
