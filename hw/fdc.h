/* Intel 82077AA floppy disk controller in PC/AT mode (ports base+0..5 and
 * base+7, normally 3F0h; 3F6h belongs to the IDE controller).
 *
 * Drives 0 and 1 are the disk images given (a drive exists when it has an
 * image); their geometry decides the data rate the media needs.  Commands,
 * result bytes and status bits follow the datasheet; docs/storage.md lists
 * exactly what is implemented and where tandem differs.
 */
#ifndef TANDEM_HW_FDC_H
#define TANDEM_HW_FDC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct clock;
struct irq_line;
struct dma;
struct disk;
struct fdc;

/* drives[0..1] may be NULL (no drive); they stay owned by the caller.
 * dma may be NULL (PIO only).  NULL on failure. */
struct fdc *fdc_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
		    struct irq_line *irq, struct dma *dma, int dma_channel,
		    struct disk *const drives[2]);

/* Tells the controller that the medium in drive n was changed (the disk
 * change line goes active until the next step pulse). */
void fdc_media_changed(struct fdc *f, int drive);

extern const struct device_desc fdc_desc;

#endif
