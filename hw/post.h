/* POST code latch (port 80h): firmware writes progress codes here.  Each
 * write is logged, when a log is given, as one line "POST xx t=S.NNNNNNNNN"
 * (virtual time in seconds); reads return the last code. */
#ifndef TANDEM_HW_POST_H
#define TANDEM_HW_POST_H

#include <stdint.h>
#include <stdio.h>

#include "hw/device.h"

struct ioport_bus;
struct clock;
struct post;

/* log may be NULL.  Claims the one port. */
struct post *post_new(struct ioport_bus *io, uint16_t port, struct clock *clk, FILE *log);
uint8_t post_last_code(const struct post *p);

extern const struct device_desc post_desc;

#endif
