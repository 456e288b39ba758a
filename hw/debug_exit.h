/* isa-debug-exit compatible exit device: a write of v (any width) to its
 * four ports ends the run with status (v << 1) | 1. */
#ifndef TANDEM_HW_DEBUG_EXIT_H
#define TANDEM_HW_DEBUG_EXIT_H

#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct debug_exit;

/* Claims port..port+3.  stop receives the exit status (the board passes
 * one that calls machine_request_stop(m, STOP_EXIT_DEVICE, status)). */
struct debug_exit *debug_exit_new(struct ioport_bus *io, uint16_t port,
				  void (*stop)(void *opaque, int status), void *opaque);

extern const struct device_desc debug_exit_desc;

#endif
