/* What every device tells the machine about itself.  A device file defines
 * one const struct device_desc and hands it, with its instance, to
 * machine_add_device(); reset and snapshots then walk that list. */
#ifndef TANDEM_HW_DEVICE_H
#define TANDEM_HW_DEVICE_H

struct snap;

struct device_desc {
	const char *name;
	/* Hardware reset (power-on and system reset).  May be NULL. */
	void (*reset)(void *dev);
	/* Writes / reads every field that defines the device's state, in a
	 * fixed order.  load returns 0 or -EINVAL on a malformed stream. */
	void (*save)(void *dev, struct snap *s);
	int (*load)(void *dev, struct snap *s);
	void (*free)(void *dev);
};

#endif
