#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/post.h"
#include "util/snapshot.h"

struct post {
	struct clock *clk;
	FILE *log;
	uint8_t code;
};

static uint32_t post_read(void *opaque, uint16_t port, int size)
{
	struct post *p = opaque;
	(void)port;
	(void)size;
	return p->code;
}

static void post_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct post *p = opaque;
	(void)port;
	(void)size;
	p->code = val;
	if (p->log) {
		uint64_t t = clock_now(p->clk);
		fprintf(p->log, "POST %02x t=%" PRIu64 ".%09" PRIu64 "\n", p->code,
			(uint64_t)(t / CLOCK_PS_PER_SEC),
			(uint64_t)(t % CLOCK_PS_PER_SEC / 1000));
		/* The last code before a hang is the one that matters. */
		fflush(p->log);
	}
}

static const struct ioport_ops post_ops = {
	.read = post_read,
	.write = post_write,
	.widths = 1,
};

struct post *post_new(struct ioport_bus *io, uint16_t port, struct clock *clk, FILE *log)
{
	struct post *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->clk = clk;
	p->log = log;
	if (ioport_register(io, port, 1, &post_ops, p) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

uint8_t post_last_code(const struct post *p)
{
	return p->code;
}

static void post_reset(void *opaque)
{
	struct post *p = opaque;
	p->code = 0;
}

static void post_save(void *opaque, struct snap *s)
{
	struct post *p = opaque;
	snap_put_u8(s, p->code);
}

static int post_load(void *opaque, struct snap *s)
{
	struct post *p = opaque;
	p->code = snap_get_u8(s);
	return snap_ok(s) ? 0 : -EINVAL;
}

static void post_free(void *opaque)
{
	free(opaque);
}

const struct device_desc post_desc = {
	.name = "post",
	.reset = post_reset,
	.save = post_save,
	.load = post_load,
	.free = post_free,
};
