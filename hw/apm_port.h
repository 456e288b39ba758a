/* Power-off ports for the firmware and guests:
 *   8900h    the Bochs/QEMU "Shutdown" port: writing the eight characters
 *            "Shutdown" in sequence powers the machine off (our BIOS's APM
 *            set-power-state 0003h uses it);
 *   600h-60Bh an ACPI PM1a block as our BIOS's FADT describes it: PM1a_EVT
 *            (600h status, 602h enable), PM1a_CNT (604h; writing SLP_EN with
 *            SLP_TYP 5 = \_S5 powers off) and the 24-bit PM timer at 608h
 *            (3.579545 MHz).
 * Both call the off callback; nothing else of ACPI (no SCI, no GPE) exists. */
#ifndef TANDEM_HW_APM_PORT_H
#define TANDEM_HW_APM_PORT_H

#include <stdint.h>

#include "hw/device.h"

#define APM_PORT_SHUTDOWN 0x8900
#define APM_PORT_PM1 0x600	/* PM1a_EVT; PM1a_CNT at +4, PM_TMR at +8 */
#define APM_PM1_SLP_TYP_S5 5	/* what the BIOS's \_S5 package says */

struct ioport_bus;
struct clock;
struct apm_port;

/* NULL when the ports are taken or memory is short. */
struct apm_port *apm_port_new(struct ioport_bus *io, struct clock *clk,
			      void (*off)(void *opaque), void *opaque);

extern const struct device_desc apm_port_desc;

#endif
