/* Two 8237A DMA controllers with their page registers, as on the PC/AT.
 *
 * Controller 1 (ports 00h-0Fh) has the 8-bit channels 0-3, controller 2
 * (C0h-DFh, registers on even ports) the 16-bit channels 4-7, with channel
 * 4 cascading controller 1.  Page registers sit at 81h-8Fh (80h is the POST
 * port).  The `xt` board has controller 1 only.
 *
 * There is no bus timing: a device that has data calls dma_transfer(),
 * which moves as much as the channel's programmed count allows at once
 * (single, block and demand modes all end the same way here) and reports
 * terminal count.  See docs/storage.md for the exact rules.
 */
#ifndef TANDEM_HW_DMA8237_H
#define TANDEM_HW_DMA8237_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct mem;
struct dma;

/* What the device wants: DMA_TO_MEM for a disk read (the 8237's "write
 * transfer"), DMA_FROM_MEM for a disk write ("read transfer"). */
enum dma_dir { DMA_TO_MEM = 0, DMA_FROM_MEM = 1 };

/* second: also create controller 2 (channels 4-7, ports C0h-DFh).
 * NULL when a port is taken or memory runs out. */
struct dma *dma_new(struct ioport_bus *io, struct mem *mem, bool second);

/* Moves up to len bytes between buf and guest memory on channel ch (0-7),
 * as the channel is programmed: the mode's transfer type decides what
 * happens to memory (a verify transfer, or a type that disagrees with dir,
 * touches neither memory nor buf but still counts).  Stops at terminal
 * count, then sets TC in the status register and either reloads (auto-init)
 * or masks the channel.  Returns the bytes done (0 when the channel is
 * masked, the controller disabled, or ch is a cascade channel).  On 16-bit
 * channels len is rounded down to whole words. */
uint32_t dma_transfer(struct dma *d, int ch, void *buf, uint32_t len, enum dma_dir dir);

/* Whether channel ch reached terminal count in its last dma_transfer. */
bool dma_tc(const struct dma *d, int ch);
/* Whether channel ch is unmasked and its controller enabled. */
bool dma_ready(const struct dma *d, int ch);
/* Bytes the channel can still move before terminal count. */
uint32_t dma_remaining(const struct dma *d, int ch);

extern const struct device_desc dma_desc;

#endif
