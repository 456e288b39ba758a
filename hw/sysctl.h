/* System control ports: port B (61h) on both machines, port A (92h) on at,
 * and on xt the rest of the 8255 PPI (62h switches and status, 63h control).
 *
 * 61h: bit 0 PIT channel 2 gate, bit 1 speaker data, bits 2-3 parity and
 * channel check enables (stored); reads add bit 4, the DRAM refresh toggle
 * (flips every 15.085 us of virtual time, at only), and bit 5, PIT OUT2.
 * On xt bits 6 and 7 go to the keyboard (kbd_xt_port_b) and reads return
 * the PPI latch.
 * 62h (xt, 5160 style): bits 0-3 are SW1 switches 1-4, or 5-8 when 61h bit 3
 * is set; bit 5 is PIT OUT2.  The switch byte has the layout of the BIOS
 * equipment word: bit 0 floppy present, bit 1 8087, bits 2-3 RAM, bits 4-5
 * video, bits 6-7 floppies - 1 (sysctl_xt_switches builds it).
 * 92h (at): bit 1 A20 (through set_a20), bit 0 a 0->1 write resets the CPU.
 */
#ifndef TANDEM_HW_SYSCTL_H
#define TANDEM_HW_SYSCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct clock;
struct pit;
struct kbd;
struct sysctl;

struct sysctl_config {
	bool xt;
	uint8_t xt_switches;
	/* Port 92h bit 1, and false on reset; the board combines it with the
	 * keyboard controller's A20 output.  May be NULL. */
	void (*set_a20)(void *opaque, bool on);
	void (*reset)(void *opaque);	/* may be NULL */
	void *opaque;
};

enum sysctl_video { SYSCTL_VIDEO_EGA = 0, SYSCTL_VIDEO_CGA40, SYSCTL_VIDEO_CGA80,
		    SYSCTL_VIDEO_MDA };

/* XT SW1 byte: floppies 0-4, ram_kb rounded to the 256/512/576/640 KiB
 * settings of a 1986 XT board. */
uint8_t sysctl_xt_switches(int floppies, enum sysctl_video video, unsigned ram_kb,
			   bool fpu);

/* pit and kbd may be NULL (then gate/OUT2 and the keyboard bits are
 * inert).  Claims 61h, and 62h-63h (xt) or 92h (at). */
struct sysctl *sysctl_new(struct ioport_bus *io, struct clock *clk, struct pit *pit,
			  struct kbd *kbd, const struct sysctl_config *cfg);

/* Port 61h bits 0 (gate 2) and 1 (speaker data), for the PC speaker. */
uint8_t sysctl_speaker_bits(const struct sysctl *s);

extern const struct device_desc sysctl_desc;

#endif
