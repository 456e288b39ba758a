/* Ethernet facts the cards share. */
#ifndef TANDEM_NET_ETH_H
#define TANDEM_NET_ETH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The multicast filter index of a destination address: the top 6 bits of
 * its Ethernet CRC-32 computed MSB-first (DP8390, RTL8139 and their
 * drivers' ether_crc() >> 26 agree on this). */
static inline unsigned eth_mcast_index(const uint8_t *mac)
{
	uint32_t crc = 0xffffffffu;
	for (int i = 0; i < 6; i++) {
		uint8_t b = mac[i];
		for (int bit = 0; bit < 8; bit++, b >>= 1) {
			uint32_t carry = ((crc >> 31) ^ b) & 1;
			crc <<= 1;
			if (carry)
				crc ^= 0x04c11db7u;
		}
	}
	return crc >> 26;
}

static inline bool eth_is_broadcast(const uint8_t *mac)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	return memcmp(mac, bcast, 6) == 0;
}

#endif
