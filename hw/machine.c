/* Board-independent machine plumbing: device list, stop/reset requests,
 * device snapshots.  Boards (hw/pc.c) build the device set. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/machine.h"
#include "util/snapshot.h"

void machine_add_device(struct machine *m, const struct device_desc *desc, void *dev)
{
	struct machine_dev *d = realloc(m->devs, (m->ndevs + 1) * sizeof(*d));
	if (!d)
		abort();	/* a handful of small allocations at start-up */
	m->devs = d;
	m->devs[m->ndevs].desc = desc;
	m->devs[m->ndevs].dev = dev;
	m->ndevs++;
}

void machine_request_stop(struct machine *m, enum machine_stop why, int status)
{
	if (m->stop == STOP_NONE) {
		m->stop = why;
		m->stop_status = status;
	}
	machine_kick(m);
}

void machine_request_reset(struct machine *m)
{
	m->reset_requested = true;
	machine_kick(m);
}

void machine_reset_devices(struct machine *m)
{
	for (int i = 0; i < m->ndevs; i++)
		if (m->devs[i].desc->reset)
			m->devs[i].desc->reset(m->devs[i].dev);
}

/* Each device's record: name, length, bytes; so a loader can tell which
 * device a malformed stream belongs to. */
void machine_save_devices(struct machine *m, struct snap *s)
{
	for (int i = 0; i < m->ndevs; i++) {
		const struct device_desc *d = m->devs[i].desc;
		if (!d->save)
			continue;
		struct snap one;
		snap_init(&one);
		d->save(m->devs[i].dev, &one);
		size_t nlen = strlen(d->name);
		snap_put_u8(s, (uint8_t)nlen);
		snap_put_bytes(s, d->name, nlen);
		snap_put_u32(s, (uint32_t)one.len);
		snap_put_bytes(s, one.data, one.len);
		if (one.error)
			s->error = true;
		snap_free(&one);
	}
}

int machine_read_device_record(struct snap *s, char name[256], struct snap *one)
{
	uint8_t nlen = snap_get_u8(s);
	snap_get_bytes(s, name, nlen);
	name[nlen] = 0;
	uint32_t len = snap_get_u32(s);
	if (!snap_ok(s) || len > s->len - s->pos)
		return -EINVAL;
	snap_open(one, s->data + s->pos, len);
	s->pos += len;
	return 0;
}

int machine_load_devices(struct machine *m, struct snap *s, const char **bad)
{
	for (int i = 0; i < m->ndevs; i++) {
		const struct device_desc *d = m->devs[i].desc;
		if (!d->save)
			continue;
		char name[256];
		struct snap one;
		if (bad)
			*bad = d->name;
		if (machine_read_device_record(s, name, &one) < 0 || strcmp(name, d->name) ||
		    !d->load || d->load(m->devs[i].dev, &one) < 0 || !snap_ok(&one))
			return -EINVAL;
	}
	return 0;
}

void machine_free_devices(struct machine *m)
{
	for (int i = m->ndevs - 1; i >= 0; i--)
		if (m->devs[i].desc->free)
			m->devs[i].desc->free(m->devs[i].dev);
	free(m->devs);
	m->devs = NULL;
	m->ndevs = 0;
}
