/* Save state files: building the payload from a machine, the compressed
 * container, parsing and validating into fresh buffers, and committing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "hw/machine.h"
#include "util/savestate.h"
#include "util/snapshot.h"

/* Container: this uncompressed header, then one zlib stream holding the
 * payload.  The header lets a loader name a foreign or truncated file
 * before inflating anything. */
static const char file_magic[8] = { 'T', 'A', 'N', 'D', 'E', 'M', 'S', 'S' };
#define HDR_LEN 28	/* magic 8, version 4, flags 4, payload length 8, crc 4 */
/* The payload of the largest machine (3 GiB RAM, compressed) plus room. */
#define MAX_PAYLOAD (4ull << 30)	/* not reached: zlib's 32-bit lengths cap first */

#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | \
			 (uint32_t)(d) << 24)
enum {
	SEC_CPU = TAG('C', 'P', 'U', ' '),
	SEC_CLOCK = TAG('C', 'L', 'K', ' '),
	SEC_RAM = TAG('R', 'A', 'M', ' '),
	SEC_DISKS = TAG('D', 'I', 'S', 'K'),
	SEC_DEVICES = TAG('D', 'E', 'V', 'S'),
	SEC_END = TAG('E', 'N', 'D', ' '),
	SEC_NCPUS = TAG('N', 'C', 'P', 'U'),
};

#define NSLOTS 5
static const char *const slot_names[NSLOTS] = { "fda", "fdb", "hda", "hdb", "cdrom" };
#define HASH_SPAN (1u << 20)

struct disk_id {
	bool present;
	char path[1024];
	uint64_t size;
	int64_t mtime_ns;
	uint64_t hash_first, hash_last;	/* FNV-1a 64 of the first / last MiB */
};

struct savestate {
	uint32_t version;
	char tandem_version[64], machine[16], cpu_model[64];
	uint64_t ram_bytes;
	int ncpus;			/* --smp (1 in files without NCPU) */
	struct x86_state cpu;
	struct clock_state clock;
	uint8_t *ram;
	struct disk_id disks[NSLOTS];
	uint8_t *devs;
	size_t devs_len;
};

static void put_str(struct snap *s, const char *str)
{
	size_t n = str ? strlen(str) : 0;
	if (n > 1023)
		n = 1023;
	snap_put_u16(s, (uint16_t)n);
	snap_put_bytes(s, str, n);
}

/* Reads a string into buf (size cap); fails the stream when it does not fit. */
static void get_str(struct snap *s, char *buf, size_t cap)
{
	uint16_t n = snap_get_u16(s);
	if (n >= cap || n > s->len - s->pos) {
		s->error = true;
		buf[0] = 0;
		return;
	}
	snap_get_bytes(s, buf, n);
	buf[n] = 0;
	if (memchr(buf, 0, n))
		s->error = true;
}

static void put_seg(struct snap *s, const struct x86_seg *g)
{
	snap_put_u16(s, g->sel);
	snap_put_u16(s, g->attr);
	snap_put_u32(s, g->limit);
	snap_put_u64(s, g->base);
}

static void get_seg(struct snap *s, struct x86_seg *g)
{
	g->sel = snap_get_u16(s);
	g->attr = snap_get_u16(s);
	g->limit = snap_get_u32(s);
	g->base = snap_get_u64(s);
}

void savestate_put_cpu(struct snap *s, const struct x86_state *c)
{
	for (int i = 0; i < X86_NR_GPR; i++)
		snap_put_u64(s, c->gpr[i]);
	snap_put_u64(s, c->rip);
	snap_put_u64(s, c->rflags);
	for (int i = 0; i < X86_NR_SREG; i++)
		put_seg(s, &c->seg[i]);
	put_seg(s, &c->ldtr);
	put_seg(s, &c->tr);
	snap_put_u64(s, c->gdtr.base);
	snap_put_u16(s, c->gdtr.limit);
	snap_put_u64(s, c->idtr.base);
	snap_put_u16(s, c->idtr.limit);
	snap_put_u64(s, c->cr0);
	snap_put_u64(s, c->cr2);
	snap_put_u64(s, c->cr3);
	snap_put_u64(s, c->cr4);
	snap_put_u64(s, c->cr8);
	for (int i = 0; i < 8; i++)
		snap_put_u64(s, c->dr[i]);
	snap_put_u64(s, c->efer);
	snap_put_u64(s, c->tsc);
	snap_put_u64(s, c->apic_base);
	snap_put_u64(s, c->sysenter_cs);
	snap_put_u64(s, c->sysenter_esp);
	snap_put_u64(s, c->sysenter_eip);
	snap_put_bytes(s, c->fxsave, sizeof(c->fxsave));
	snap_put_u8(s, (uint8_t)c->run_state);
	snap_put_u8(s, c->intr_shadow);
	snap_put_u8(s, c->nmi_pending);
	snap_put_u8(s, c->nmi_blocked);
	snap_put_u64(s, c->cycles);
	snap_put_u64(s, c->insns);
	snap_put_u8(s, c->biu.valid);
	snap_put_u8(s, c->biu.q);
	snap_put_u8(s, c->biu.odd_fetch);
	snap_put_u8(s, c->biu.bus);
	snap_put_u8(s, c->biu.bus_nb);
	snap_put_u8(s, c->biu.bus_discard);
	snap_put_u8(s, c->biu.last);
	snap_put_u16(s, (uint16_t)c->biu.bus_t1);
	snap_put_u16(s, (uint16_t)c->biu.last_t1);
	snap_put_u16(s, (uint16_t)c->biu.last_t4);
	snap_put_u16(s, (uint16_t)c->biu.sched);
	snap_put_u16(s, (uint16_t)c->biu.qready);
	snap_put_u64(s, c->kvm_system_time);
	snap_put_u64(s, c->kvm_wall_clock);
	snap_put_u64(s, (uint64_t)c->kvmclock_offset_ns);
}

int savestate_get_cpu(struct snap *s, struct x86_state *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < X86_NR_GPR; i++)
		c->gpr[i] = snap_get_u64(s);
	c->rip = snap_get_u64(s);
	c->rflags = snap_get_u64(s);
	for (int i = 0; i < X86_NR_SREG; i++)
		get_seg(s, &c->seg[i]);
	get_seg(s, &c->ldtr);
	get_seg(s, &c->tr);
	c->gdtr.base = snap_get_u64(s);
	c->gdtr.limit = snap_get_u16(s);
	c->idtr.base = snap_get_u64(s);
	c->idtr.limit = snap_get_u16(s);
	c->cr0 = snap_get_u64(s);
	c->cr2 = snap_get_u64(s);
	c->cr3 = snap_get_u64(s);
	c->cr4 = snap_get_u64(s);
	c->cr8 = snap_get_u64(s);
	for (int i = 0; i < 8; i++)
		c->dr[i] = snap_get_u64(s);
	c->efer = snap_get_u64(s);
	c->tsc = snap_get_u64(s);
	c->apic_base = snap_get_u64(s);
	c->sysenter_cs = snap_get_u64(s);
	c->sysenter_esp = snap_get_u64(s);
	c->sysenter_eip = snap_get_u64(s);
	snap_get_bytes(s, c->fxsave, sizeof(c->fxsave));
	uint8_t rs = snap_get_u8(s);
	c->intr_shadow = snap_get_u8(s);
	c->nmi_pending = snap_get_u8(s);
	c->nmi_blocked = snap_get_u8(s);
	c->cycles = snap_get_u64(s);
	c->insns = snap_get_u64(s);
	/* The 8086/8088 bus unit came later: states without it start the
	 * bus afresh (valid stays 0). */
	if (s->pos < s->len) {
		c->biu.valid = snap_get_u8(s);
		c->biu.q = snap_get_u8(s);
		c->biu.odd_fetch = snap_get_u8(s);
		c->biu.bus = snap_get_u8(s);
		c->biu.bus_nb = snap_get_u8(s);
		c->biu.bus_discard = snap_get_u8(s);
		c->biu.last = snap_get_u8(s);
		c->biu.bus_t1 = (int16_t)snap_get_u16(s);
		c->biu.last_t1 = (int16_t)snap_get_u16(s);
		c->biu.last_t4 = (int16_t)snap_get_u16(s);
		c->biu.sched = (int16_t)snap_get_u16(s);
		c->biu.qready = (int16_t)snap_get_u16(s);
		if (c->biu.valid > 1 || c->biu.q > 6 || c->biu.bus_nb > 2)
			return -1;
	}
	/* kvmclock came later still: older states have it off. */
	if (s->pos < s->len) {
		c->kvm_system_time = snap_get_u64(s);
		c->kvm_wall_clock = snap_get_u64(s);
		c->kvmclock_offset_ns = (int64_t)snap_get_u64(s);
	}
	if (!snap_ok(s) || rs > X86_SHUTDOWN || c->intr_shadow > 1 || c->nmi_pending > 1 ||
	    c->nmi_blocked > 1)
		return -1;
	c->run_state = (enum x86_run_state)rs;
	return 0;
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Hashes one span of a file; a short read hashes what is there. */
static int hash_span(FILE *f, uint64_t off, uint64_t len, uint64_t *out)
{
	static uint8_t buf[65536];
	uint64_t h = 0xcbf29ce484222325ull;
	if (fseeko(f, (off_t)off, SEEK_SET) < 0)
		return -1;
	while (len) {
		size_t n = fread(buf, 1, len < sizeof(buf) ? (size_t)len : sizeof(buf), f);
		if (n == 0)
			break;
		h = fnv1a(h, buf, n);
		len -= n;
	}
	*out = h;
	return ferror(f) ? -1 : 0;
}

static int disk_identity(const char *path, struct disk_id *id, char *err, size_t errlen)
{
	struct stat st;
	memset(id, 0, sizeof(*id));
	if (!path)
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st) < 0) {
		snprintf(err, errlen, "cannot read disk image '%s': %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	id->present = true;
	snprintf(id->path, sizeof(id->path), "%s", path);
	id->size = (uint64_t)st.st_size;
	id->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	uint64_t last = id->size > HASH_SPAN ? id->size - HASH_SPAN : 0;
	int r = hash_span(f, 0, HASH_SPAN, &id->hash_first);
	if (r == 0)
		r = hash_span(f, last, HASH_SPAN, &id->hash_last);
	fclose(f);
	if (r < 0)
		snprintf(err, errlen, "cannot read disk image '%s'", path);
	return r;
}

static const char *slot_path(const struct machine *m, int slot)
{
	const struct machine_config *c = m->cfg;
	const char *p[NSLOTS] = { c->fda, c->fdb, c->hda, c->hdb, c->cdrom };
	return p[slot];
}

static void begin_section(struct snap *s, uint32_t tag, size_t *at)
{
	snap_put_u32(s, tag);
	*at = s->len;
	snap_put_u32(s, 0);	/* patched by end_section */
}

static void end_section(struct snap *s, size_t at)
{
	size_t n = s->len - at - 4;
	if (s->error || n > UINT32_MAX) {
		s->error = true;
		return;
	}
	for (int i = 0; i < 4; i++)
		s->data[at + i] = (uint8_t)(n >> (8 * i));
}

int savestate_save_mem(struct machine *m, const struct x86_state *cpu, struct snap *s,
		       char *err, size_t errlen)
{
	size_t at;
	snap_put_u32(s, SAVESTATE_VERSION);
	put_str(s, TANDEM_VERSION);
	put_str(s, m->cfg->machine);
	put_str(s, m->model->name);
	snap_put_u64(s, mem_ram_size(m->mem));

	begin_section(s, SEC_CPU, &at);
	savestate_put_cpu(s, cpu);
	end_section(s, at);
	/* The APs' states are the "smp" device's record (accel/smp.h); the
	 * count is here, so that a loader names a --smp mismatch first. */
	begin_section(s, SEC_NCPUS, &at);
	snap_put_u32(s, (uint32_t)(m->ncpus > 1 ? m->ncpus : 1));
	end_section(s, at);

	/* The clock reads the cycle counter of the state being saved. */
	struct clock_state cs;
	clock_save_state(m->clock, &cs);
	begin_section(s, SEC_CLOCK, &at);
	snap_put_u64(s, cs.base_ps);
	snap_put_u64(s, cs.base_cycles);
	snap_put_u64(s, cs.hz);
	end_section(s, at);

	uint64_t ram = mem_ram_size(m->mem);
	uLongf zlen = compressBound((uLong)ram);
	uint8_t *z = malloc(zlen);
	if (!z || compress2(z, &zlen, mem_ram_ptr(m->mem), (uLong)ram, Z_BEST_SPEED) != Z_OK) {
		free(z);
		snprintf(err, errlen, "out of memory compressing RAM");
		return -1;
	}
	begin_section(s, SEC_RAM, &at);
	snap_put_u64(s, ram);
	snap_put_u64(s, zlen);
	snap_put_bytes(s, z, zlen);
	end_section(s, at);
	free(z);

	begin_section(s, SEC_DISKS, &at);
	for (int i = 0; i < NSLOTS; i++) {
		struct disk_id id;
		if (disk_identity(slot_path(m, i), &id, err, errlen) < 0)
			return -1;
		snap_put_u8(s, id.present);
		if (!id.present)
			continue;
		put_str(s, id.path);
		snap_put_u64(s, id.size);
		snap_put_u64(s, (uint64_t)id.mtime_ns);
		snap_put_u64(s, id.hash_first);
		snap_put_u64(s, id.hash_last);
	}
	end_section(s, at);

	begin_section(s, SEC_DEVICES, &at);
	machine_save_devices(m, s);
	end_section(s, at);

	begin_section(s, SEC_END, &at);
	end_section(s, at);
	if (!snap_ok(s)) {
		snprintf(err, errlen, "a device could not save its state");
		return -1;
	}
	return 0;
}

int savestate_pack(const uint8_t *payload, size_t len, uint8_t **out, size_t *outlen)
{
	uLongf zlen = compressBound((uLong)len);
	uint8_t *buf = malloc(HDR_LEN + zlen);
	if (!buf)
		return -1;
	if (compress2(buf + HDR_LEN, &zlen, payload, (uLong)len, Z_DEFAULT_COMPRESSION) != Z_OK) {
		free(buf);
		return -1;
	}
	struct snap h;
	snap_init(&h);
	snap_put_bytes(&h, file_magic, sizeof(file_magic));
	snap_put_u32(&h, SAVESTATE_VERSION);
	snap_put_u32(&h, 0);
	snap_put_u64(&h, len);
	snap_put_u32(&h, (uint32_t)crc32_z(crc32(0, Z_NULL, 0), payload, len));
	if (!snap_ok(&h) || h.len != HDR_LEN) {
		snap_free(&h);
		free(buf);
		return -1;
	}
	memcpy(buf, h.data, HDR_LEN);
	snap_free(&h);
	*out = buf;
	*outlen = HDR_LEN + zlen;
	return 0;
}

int savestate_unpack(const uint8_t *file, size_t len, uint8_t **payload, size_t *plen,
		     char *err, size_t errlen)
{
	if (len < sizeof(file_magic) || memcmp(file, file_magic, sizeof(file_magic))) {
		snprintf(err, errlen, "not a tandem save state (bad magic)");
		return -1;
	}
	if (len < HDR_LEN) {
		snprintf(err, errlen, "truncated save state (%zu bytes)", len);
		return -1;
	}
	struct snap h;
	snap_open(&h, file + sizeof(file_magic), HDR_LEN - sizeof(file_magic));
	uint32_t version = snap_get_u32(&h);
	uint32_t flags = snap_get_u32(&h);
	uint64_t n = snap_get_u64(&h);
	uint32_t crc = snap_get_u32(&h);
	if (version == 0 || version > SAVESTATE_VERSION) {
		snprintf(err, errlen, "save state format version %u; this tandem reads up to %u",
			 version, SAVESTATE_VERSION);
		return -1;
	}
	/* zlib counts in 32 bits: one inflate call must see it all. */
	/* Deflate cannot expand by more than about 1032:1: a header claiming
	 * more is lying, and must not make us allocate it. */
	if (flags || n == 0 || n > MAX_PAYLOAD || n > UINT32_MAX || len - HDR_LEN > UINT32_MAX ||
	    n > (uint64_t)(len - HDR_LEN) * 1100 + 65536) {
		snprintf(err, errlen, "corrupt save state (bad header)");
		return -1;
	}
	uint8_t *p = malloc(n);
	if (!p) {
		snprintf(err, errlen, "out of memory (%llu-byte save state)",
			 (unsigned long long)n);
		return -1;
	}
	z_stream z = { 0 };
	int r = inflateInit(&z);
	if (r == Z_OK) {
		z.next_in = (Bytef *)(file + HDR_LEN);
		z.avail_in = (uInt)(len - HDR_LEN);
		z.next_out = p;
		z.avail_out = (uInt)n;
		r = inflate(&z, Z_FINISH);
		inflateEnd(&z);
	}
	/* Exactly n bytes, and the stream ends where the file does. */
	if (r != Z_STREAM_END || z.total_out != n || z.avail_in != 0) {
		free(p);
		snprintf(err, errlen, r == Z_BUF_ERROR ? "truncated save state" :
			 "corrupt save state (compressed data)");
		return -1;
	}
	if ((uint32_t)crc32_z(crc32(0, Z_NULL, 0), p, n) != crc) {
		free(p);
		snprintf(err, errlen, "corrupt save state (checksum mismatch)");
		return -1;
	}
	*payload = p;
	*plen = n;
	return 0;
}

void savestate_free(struct savestate *st)
{
	if (!st)
		return;
	free(st->ram);
	free(st->devs);
	free(st);
}

static int parse_disks(struct snap *s, struct savestate *st)
{
	for (int i = 0; i < NSLOTS; i++) {
		struct disk_id *d = &st->disks[i];
		uint8_t present = snap_get_u8(s);
		if (present > 1)
			return -1;
		d->present = present;
		if (!present)
			continue;
		get_str(s, d->path, sizeof(d->path));
		d->size = snap_get_u64(s);
		d->mtime_ns = (int64_t)snap_get_u64(s);
		d->hash_first = snap_get_u64(s);
		d->hash_last = snap_get_u64(s);
	}
	return snap_ok(s) && s->pos == s->len ? 0 : -1;
}

static int parse_ram(struct snap *s, struct savestate *st, char *err, size_t errlen)
{
	uint64_t ram = snap_get_u64(s);
	uint64_t zlen = snap_get_u64(s);
	if (!snap_ok(s) || ram != st->ram_bytes || zlen != s->len - s->pos)
		return -1;
	st->ram = malloc(ram ? ram : 1);
	if (!st->ram) {
		snprintf(err, errlen, "out of memory for %llu bytes of RAM",
			 (unsigned long long)ram);
		return -2;
	}
	uLongf out = (uLongf)ram;
	if (uncompress(st->ram, &out, s->data + s->pos, (uLong)zlen) != Z_OK || out != ram)
		return -1;
	s->pos = s->len;
	return 0;
}

struct savestate *savestate_parse(const uint8_t *payload, size_t len, char *err,
				  size_t errlen)
{
	struct savestate *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct snap s;
	snap_open(&s, payload, len);
	st->version = snap_get_u32(&s);
	get_str(&s, st->tandem_version, sizeof(st->tandem_version));
	get_str(&s, st->machine, sizeof(st->machine));
	get_str(&s, st->cpu_model, sizeof(st->cpu_model));
	st->ram_bytes = snap_get_u64(&s);
	if (!snap_ok(&s) || st->version == 0 || st->version > SAVESTATE_VERSION ||
	    st->ram_bytes == 0 || st->ram_bytes > (4ull << 30)) {
		snprintf(err, errlen, "corrupt save state (bad machine header)");
		goto fail;
	}
	unsigned seen = 0;
	st->ncpus = 1;
	for (;;) {
		uint32_t tag = snap_get_u32(&s);
		uint32_t n = snap_get_u32(&s);
		if (!snap_ok(&s) || n > s.len - s.pos) {
			snprintf(err, errlen, "truncated save state (section runs past the end)");
			goto fail;
		}
		struct snap sec;
		snap_open(&sec, s.data + s.pos, n);
		s.pos += n;
		const char *what = NULL;
		int r = 0;
		switch (tag) {
		case SEC_CPU:
			what = "CPU";
			seen |= 1;
			if (savestate_get_cpu(&sec, &st->cpu) < 0 || sec.pos != sec.len)
				r = -1;
			break;
		case SEC_NCPUS:
			what = "CPU count";
			st->ncpus = (int)snap_get_u32(&sec);
			if (!snap_ok(&sec) || sec.pos != sec.len || st->ncpus < 1 ||
			    st->ncpus > MACHINE_MAX_CPUS)
				r = -1;
			break;
		case SEC_CLOCK:
			what = "clock";
			seen |= 2;
			st->clock.base_ps = snap_get_u64(&sec);
			st->clock.base_cycles = snap_get_u64(&sec);
			st->clock.hz = snap_get_u64(&sec);
			if (!snap_ok(&sec) || sec.pos != sec.len || st->clock.hz == 0)
				r = -1;
			break;
		case SEC_RAM:
			what = "RAM";
			seen |= 4;
			if (st->ram) {
				r = -1;
				break;
			}
			r = parse_ram(&sec, st, err, errlen);
			if (r == -2)
				goto fail;
			break;
		case SEC_DISKS:
			what = "disk";
			seen |= 8;
			r = parse_disks(&sec, st);
			break;
		case SEC_DEVICES:
			what = "device";
			seen |= 16;
			if (st->devs) {
				r = -1;
				break;
			}
			st->devs = malloc(n ? n : 1);
			if (!st->devs) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			memcpy(st->devs, sec.data, n);
			st->devs_len = n;
			break;
		case SEC_END:
			if (n || s.pos != s.len) {
				snprintf(err, errlen, "corrupt save state (data after the end)");
				goto fail;
			}
			if (seen != 31) {
				snprintf(err, errlen, "corrupt save state (a section is missing)");
				goto fail;
			}
			return st;
		default:
			/* A section from a later minor revision: skipped. */
			break;
		}
		if (r < 0) {
			snprintf(err, errlen, "corrupt save state (%s section)", what);
			goto fail;
		}
	}
fail:
	savestate_free(st);
	return NULL;
}

struct savestate *savestate_read(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	if (!f || fstat(fileno(f), &sb) < 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "cannot read save state '%s': %s", path,
			 f ? "not a regular file" : strerror(errno));
		if (f)
			fclose(f);
		return NULL;
	}
	if ((uint64_t)sb.st_size > MAX_PAYLOAD) {
		fclose(f);
		snprintf(err, errlen, "'%s' is too large to be a save state", path);
		return NULL;
	}
	size_t len = (size_t)sb.st_size;
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf || fread(buf, 1, len, f) != len) {
		fclose(f);
		free(buf);
		snprintf(err, errlen, "cannot read save state '%s'", path);
		return NULL;
	}
	fclose(f);
	uint8_t *payload;
	size_t plen;
	char why[200];
	int r = savestate_unpack(buf, len, &payload, &plen, why, sizeof(why));
	free(buf);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		return NULL;
	}
	struct savestate *st = savestate_parse(payload, plen, why, sizeof(why));
	free(payload);
	if (!st)
		snprintf(err, errlen, "%s: %s", path, why);
	return st;
}

int savestate_save(struct machine *m, const struct x86_state *cpu, const char *path,
		   char *err, size_t errlen)
{
	struct snap s;
	snap_init(&s);
	if (savestate_save_mem(m, cpu, &s, err, errlen) < 0) {
		snap_free(&s);
		return -1;
	}
	uint8_t *file;
	size_t flen;
	int r = savestate_pack(s.data, s.len, &file, &flen);
	snap_free(&s);
	if (r < 0) {
		snprintf(err, errlen, "out of memory compressing the state");
		return -1;
	}
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	bool ok = f && fwrite(file, 1, flen, f) == flen;
	if (f && fclose(f) != 0)
		ok = false;
	free(file);
	if (!ok || rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot write save state '%s': %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Walks the device records without loading them: the same devices, in the
 * same order, each record inside the section. */
static int check_devices(struct machine *m, const struct savestate *st, char *err,
			 size_t errlen)
{
	struct snap s;
	snap_open(&s, st->devs, st->devs_len);
	for (int i = 0; i < m->ndevs; i++) {
		const struct device_desc *d = m->devs[i].desc;
		if (!d->save)
			continue;
		char name[256];
		struct snap one;
		if (machine_read_device_record(&s, name, &one) < 0) {
			snprintf(err, errlen, "corrupt save state (device records end early, "
				 "at %s)", d->name);
			return -1;
		}
		if (strcmp(name, d->name)) {
			snprintf(err, errlen, "the state's device %d is '%s', this machine's is "
				 "'%s' (were the same options used?)", i, name, d->name);
			return -1;
		}
	}
	if (s.pos != s.len) {
		snprintf(err, errlen, "the state has more devices than this machine (were the "
			 "same options used?)");
		return -1;
	}
	return 0;
}

int savestate_check(struct machine *m, const struct savestate *st, bool force,
		    char *err, size_t errlen)
{
	if (strcmp(st->machine, m->cfg->machine) || strcmp(st->cpu_model, m->model->name) ||
	    st->ram_bytes != mem_ram_size(m->mem)) {
		snprintf(err, errlen, "the state is of a %s machine with a %s and %llu KiB; this "
			 "one is %s with a %s and %llu KiB", st->machine, st->cpu_model,
			 (unsigned long long)(st->ram_bytes >> 10), m->cfg->machine,
			 m->model->name, (unsigned long long)(mem_ram_size(m->mem) >> 10));
		return -1;
	}
	int ncpus = m->ncpus > 1 ? m->ncpus : 1;
	if (st->ncpus != ncpus) {
		snprintf(err, errlen, "the state has %d CPU%s, this machine %d: load it with "
			 "--smp %d", st->ncpus, st->ncpus > 1 ? "s" : "", ncpus, st->ncpus);
		return -1;
	}
	if (check_devices(m, st, err, errlen) < 0)
		return -1;
	for (int i = 0; i < NSLOTS; i++) {
		const struct disk_id *want = &st->disks[i];
		struct disk_id have;
		if (disk_identity(slot_path(m, i), &have, err, errlen) < 0)
			return -1;
		const char *why = NULL;
		if (want->present != have.present)
			why = want->present ? "is not attached now" : "was not attached";
		else if (!want->present)
			continue;
		else if (want->size != have.size)
			why = "has a different size";
		else if (want->hash_first != have.hash_first || want->hash_last != have.hash_last)
			why = "has different contents";
		else if (want->mtime_ns != have.mtime_ns)
			why = "was modified since the state was saved";
		if (!why)
			continue;
		snprintf(err, errlen, "--%s %s %s (saved with '%s')%s", slot_names[i],
			 have.present ? have.path : "", why,
			 want->present ? want->path : "nothing",
			 force ? "" : "; --force-load-state loads anyway");
		if (!force)
			return -1;
		fprintf(stderr, "tandem: warning: %s\n", err);
	}
	err[0] = 0;
	return 0;
}

int savestate_apply(struct machine *m, const struct savestate *st,
		    void (*set_cpu)(void *opaque, const struct x86_state *s), void *opaque,
		    char *err, size_t errlen)
{
	memcpy(mem_ram_ptr(m->mem), st->ram, st->ram_bytes);
	set_cpu(opaque, &st->cpu);
	/* Before the devices: they re-arm their timers from clock_now(). */
	clock_load_state(m->clock, &st->clock);
	/* The records were walked by check_devices(): same devices, same order;
	 * what can still fail is a device refusing its record. */
	struct snap s;
	const char *bad = NULL;
	snap_open(&s, st->devs, st->devs_len);
	if (machine_load_devices(m, &s, &bad) < 0) {
		snprintf(err, errlen, "corrupt save state (device %s rejected its record)",
			 bad ? bad : "?");
		return -1;
	}
	return 0;
}

int savestate_apply_running(struct machine *m, const struct savestate *st,
			    const struct x86_state *cur,
			    void (*set_cpu)(void *opaque, const struct x86_state *s), void *opaque,
			    char *err, size_t errlen)
{
	struct snap back;
	char why[256];
	snap_init(&back);
	if (savestate_save_mem(m, cur, &back, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "cannot keep the current state to go back to: %s", why);
		snap_free(&back);
		return -1;
	}
	int r = savestate_apply(m, st, set_cpu, opaque, err, errlen);
	if (r < 0) {
		struct savestate *b = savestate_parse(back.data, back.len, why, sizeof(why));
		if (!b || savestate_apply(m, b, set_cpu, opaque, why, sizeof(why)) < 0)
			r = -2;
		savestate_free(b);
	}
	snap_free(&back);
	return r;
}
