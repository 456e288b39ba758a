/* The boards: "xt" (IBM 5160-like: 8088, one PIC, PPI, no RTC) and "at"
 * (PIC pair, RTC/CMOS, i8042, port 92h).  A board is the list of devices
 * and how they are wired; nothing else. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/acpi_fw_cfg.h"
#include "hw/apm_port.h"
#include "hw/biosdisk.h"
#include "hw/cdaudio.h"
#include "hw/cdimage.h"
#include "hw/cmos.h"
#include "hw/debug_exit.h"
#include "hw/debugcon.h"
#include "hw/disk.h"
#include "hw/dma8237.h"
#include "hw/fdc.h"
#include "hw/fw_cfg.h"
#include "hw/gameport.h"
#include "hw/ide.h"
#include "hw/pci.h"
#include "hw/pc_apic.h"
#include "hw/pc_virtio.h"
#include "hw/piix3.h"
#include "hw/irq.h"
#include "hw/kbd.h"
#include "hw/ne2000.h"
#include "hw/rtl8139.h"
#include "hw/sermouse.h"
#include "hw/machine.h"
#include "hw/pcspk.h"
#include "hw/sound.h"
#include "hw/speed.h"
#include "hw/pic.h"
#include "hw/pit.h"
#include "hw/post.h"
#include "hw/sysctl.h"
#include "hw/fpu_irq.h"
#include "hw/uart16550.h"
#include "hw/vga.h"
#include "net/net.h"
#include "util/chardev.h"
#include "util/log.h"

#define BIOS_MAX (128u << 10)

struct pc {
	struct machine m;	/* first: machine_free casts back */
	FILE *serial_out, *debugcon_out, *post_out;
	/* --serial stdio: bytes read from stdin wait here for COM1's FIFO. */
	bool serial_in, stdin_changed;
	int stdin_flags;
	uint8_t in_buf[256];
	int in_pos, in_len;
	struct uart_backend com1_be;
	struct irq_line irq[16];
	struct cdimage *cdrom;	/* --cdrom image, ISO or CUE (at board) */
	bool a20_kbd, a20_port92;
	struct net *net;
	struct irq_line nic_irq[NET_MAX_NICS];
	struct pci_bus *pci;	/* NULL on xt */
};

static void serial_input_start(struct pc *pc);

static void pc_kick(void *opaque)
{
	machine_kick(opaque);
}

static void pc_exit_device(void *opaque, int status)
{
	machine_request_stop(opaque, STOP_EXIT_DEVICE, status);
}

static void pc_power_off(void *opaque)
{
	machine_request_stop(opaque, STOP_POWER_OFF, 0);
}

static void pc_reset_line(void *opaque)
{
	machine_request_reset(opaque);
}

/* A20 is open when either the keyboard controller or port 92h opens it. */
static void pc_update_a20(struct pc *pc)
{
	bool on = pc->a20_kbd || pc->a20_port92;
	if (on != mem_a20(pc->m.mem)) {
		mem_set_a20(pc->m.mem, on);
		machine_kick(&pc->m);	/* engines drop cached host pointers */
	}
}

static void pc_a20_kbd(void *opaque, bool on)
{
	struct pc *pc = opaque;
	pc->a20_kbd = on;
	pc_update_a20(pc);
}

static void pc_a20_port92(void *opaque, bool on)
{
	struct pc *pc = opaque;
	pc->a20_port92 = on;
	pc_update_a20(pc);
}

static void pc_serial_write(void *opaque, uint8_t byte)
{
	FILE *f = opaque;
	fputc(byte, f);
	if (f == stdout)
		fflush(f);
}

/* Our BIOS lives next to the binary (a build tree) or in the data dir. */
static int default_bios_path(char *out, size_t len, bool xt)
{
	const char *name = xt ? "bios-xt.bin" : "bios.bin";
	char exe[PATH_MAX - 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			snprintf(out, len, "%s/bios/%s", exe, name);
			if (access(out, R_OK) == 0)
				return 0;
			/* An installed tree moved elsewhere: PREFIX/bin -> PREFIX/share. */
			snprintf(out, len, "%s/../share/tandem/%s", exe, name);
			if (access(out, R_OK) == 0)
				return 0;
		}
	}
	snprintf(out, len, "%s/%s", TANDEM_DATADIR, name);
	return access(out, R_OK) == 0 ? 0 : -ENOENT;
}

static int load_bios(struct machine *m, const char *path)
{
	char def[PATH_MAX];
	if (!path) {
		if (default_bios_path(def, sizeof(def), strcmp(m->cfg->machine, "xt") == 0) < 0) {
			log_error("tandem's BIOS image not found (looked for bios/ next to the "
				  "program, ../share/tandem/ and %s/); run make, or pass --bios",
				  TANDEM_DATADIR);
			return -1;
		}
		path = def;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		log_error("cannot open BIOS image '%s': %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		log_error("BIOS image '%s' is not a regular file", path);
		fclose(f);
		return -1;
	}
	long size = st.st_size;
	if (size != (64 << 10) && size != (128 << 10)) {
		log_error("BIOS image '%s' has %ld bytes; it must be 64 KiB or 128 KiB", path,
			  size);
		fclose(f);
		return -1;
	}
	uint8_t *buf = malloc(size);
	if (!buf || fread(buf, 1, size, f) != (size_t)size) {
		log_error("cannot read BIOS image '%s'", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* Below 1 MiB, and aliased at the top of the address space where a
	 * 286+ fetches its first instruction. */
	int err = mem_map_rom(m->mem, 0x100000 - size, buf, size);
	if (!err)
		err = mem_map_rom(m->mem, (uint32_t)(0x100000000ull - size), buf, size);
	/* A CPU with a 24-bit bus (286) starts at FFFFF0h: the ROM shows up
	 * again at the top of 16 MiB, hiding any RAM there. */
	if (!err && m->model->addr_bits == 24) {
		err = mem_map_rom(m->mem, (uint32_t)(0x1000000 - size), buf, size);
		if (!err)
			m->rom_top16_bytes = (uint32_t)size;
	}
	free(buf);
	if (err) {
		log_error("cannot map the BIOS: %s", strerror(-err));
		return -1;
	}
	return 0;
}

static int open_disks(struct machine *m)
{
	const struct machine_config *c = m->cfg;
	const char *paths[4] = { c->fda, c->fdb, c->hda, c->hdb };
	const char *names[4] = { "--fda", "--fdb", "--hda", "--hdb" };
	char err[512];

	for (int i = 0; i < 4; i++) {
		if (!paths[i])
			continue;
		m->disks[i] = disk_open(paths[i], i < 2 ? DISK_FLOPPY : DISK_HARD, err,
					sizeof(err));
		if (!m->disks[i]) {
			log_error("%s: %s", names[i], err);
			return -1;
		}
		if (disk_readonly(m->disks[i]))
			log_warn("%s: '%s' is read-only: guest writes will fail", names[i],
				 paths[i]);
	}
	if (c->cdrom) {
		if (strcmp(c->machine, "at")) {
			log_error("--cdrom: the %s machine has no IDE controller", c->machine);
			return -1;
		}
		((struct pc *)m)->cdrom = cdimage_open(c->cdrom, err, sizeof(err));
		if (!((struct pc *)m)->cdrom) {
			log_error("--cdrom: %s", err);
			return -1;
		}
	}
	return 0;
}

/* CMOS contents a BIOS expects from setup (standard AT layout). */
static void fill_cmos(struct machine *m)
{
	struct cmos *c = m->cmos;
	uint8_t ft[2] = { 0, 0 };
	int floppies = 0;
	/* CPUs - 1, where QEMU keeps it: our BIOS's MP tables and MADT. */
	if (m->apic)
		cmos_set_byte(c, 0x5f, (uint8_t)(m->ncpus - 1));
	for (int i = 0; i < 2; i++) {
		if (m->disks[i]) {
			ft[i] = disk_geometry(m->disks[i])->floppy_type;
			floppies++;
		}
	}
	cmos_set_byte(c, 0x10, (uint8_t)(ft[0] << 4 | ft[1]));
	/* Type 15 in 12h means "see 19h/1Ah", where 47 is user-defined. */
	uint8_t hd = (m->disks[2] ? 0xf0 : 0) | (m->disks[3] ? 0x0f : 0);
	cmos_set_byte(c, 0x12, hd);
	cmos_set_byte(c, 0x19, m->disks[2] ? 47 : 0);
	cmos_set_byte(c, 0x1a, m->disks[3] ? 47 : 0);
	/* Equipment: floppies, VGA (00 = EGA/VGA), bit 1 the coprocessor. */
	uint8_t equip = floppies ? (uint8_t)(1 | (floppies - 1) << 6) : 0;
	if (fpu_irq_model(m))
		equip |= 2;
	cmos_set_byte(c, 0x14, equip);
	uint64_t ram_kb = m->cfg->ram_bytes >> 10;
	uint16_t base_kb = ram_kb < 640 ? (uint16_t)ram_kb : 640;
	cmos_set_byte(c, 0x15, base_kb & 0xff);
	cmos_set_byte(c, 0x16, base_kb >> 8);
	if (m->rom_top16_bytes && ram_kb > (16u << 10) - (m->rom_top16_bytes >> 10))
		ram_kb = (16u << 10) - (m->rom_top16_bytes >> 10);
	uint64_t ext_kb = ram_kb > 1024 ? ram_kb - 1024 : 0;
	if (ext_kb > 0xffff)
		ext_kb = 0xffff;
	cmos_set_byte(c, 0x17, ext_kb & 0xff);
	cmos_set_byte(c, 0x18, ext_kb >> 8);
	cmos_set_byte(c, 0x30, ext_kb & 0xff);
	cmos_set_byte(c, 0x31, ext_kb >> 8);
	uint64_t above16 = !m->rom_top16_bytes && m->cfg->ram_bytes > (16u << 20) ?
			   (m->cfg->ram_bytes - (16u << 20)) >> 16 : 0;
	if (above16 > 0xffff)
		above16 = 0xffff;
	cmos_set_byte(c, 0x34, above16 & 0xff);
	cmos_set_byte(c, 0x35, above16 >> 8);
	/* Boot order in QEMU's layout: 3Dh low nibble first, high nibble second;
	 * 1 floppy, 2 hard disk. */
	uint8_t order = 0x21;
	if (m->cfg->boot_order_given)
		order = m->cfg->boot == BOOT_HDD ? 0x02 : m->cfg->boot == BOOT_CDROM ? 0x03 : 0x01;
	cmos_set_byte(c, 0x3d, order);
	cmos_set_byte(c, 0x7e, m->cfg->headless ? 1 : 0);
	cmos_update_checksum(c);
}

/* --fw-cfg NAME=FILE: each file's contents become fw_cfg file NAME. */
static int add_fw_cfg_files(struct fw_cfg *fw, const struct machine_config *c)
{
	for (int i = 0; i < c->nfw_cfg_files; i++) {
		const char *spec = c->fw_cfg_files[i], *eq = strchr(spec, '=');
		char name[56];
		if (!eq || eq - spec >= (ptrdiff_t)sizeof(name))
			return -1;
		memcpy(name, spec, (size_t)(eq - spec));
		name[eq - spec] = 0;
		FILE *f = fopen(eq + 1, "rb");
		if (!f) {
			log_error("--fw-cfg: cannot open '%s': %s", eq + 1, strerror(errno));
			return -1;
		}
		size_t cap = 1u << 16, len = 0;
		uint8_t *buf = malloc(cap);
		size_t n;
		while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
			len += n;
			if (len == cap) {
				uint8_t *bigger = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
				if (!bigger) {
					free(buf);
					buf = NULL;
					break;
				}
				buf = bigger;
				cap *= 2;
			}
		}
		bool bad = !buf || ferror(f);
		fclose(f);
		if (bad || fw_cfg_add_file(fw, name, buf, (uint32_t)len) < 0) {
			log_error("--fw-cfg: cannot add '%s' (unreadable, over 64 MiB, or too "
				  "many files)", eq + 1);
			free(buf);
			return -1;
		}
		free(buf);
	}
	return 0;
}

/* DMA and floppy on both boards; the AT adds PCI, IDE and fw_cfg. */
static int create_storage(struct pc *pc, bool xt)
{
	struct machine *m = &pc->m;
	struct dma *dma = dma_new(m->io, m->mem, !xt);
	if (!dma)
		return -1;
	machine_add_device(m, &dma_desc, dma);
	struct fdc *fdc = fdc_new(m->io, 0x3f0, m->clock, &pc->irq[6], dma, 2, m->disks);
	if (!fdc)
		return -1;
	machine_add_device(m, &fdc_desc, fdc);
	if (xt) {
		if (m->cfg->nfw_cfg_files) {
			log_error("--fw-cfg: the xt machine has no fw_cfg device");
			return -1;
		}
		return 0;
	}

	struct pci_bus *pci = pci_bus_new(m->io, m->mem, pc_reset_line, m);
	if (!pci)
		return -1;
	machine_add_device(m, &pci_bus_desc, pci);
	pc->pci = pci;
	m->pci = pci;
	struct i440fx *host = i440fx_new(pci, m->mem);
	if (!host)
		return -1;
	machine_add_device(m, &i440fx_desc, host);
	struct ide_channel *ide[2] = {
		ide_new(m->io, 0x1f0, 0x3f6, &pc->irq[14], m->mem),
		ide_new(m->io, 0x170, 0x376, &pc->irq[15], m->mem),
	};
	if (!ide[0] || !ide[1]) {
		ide_desc.free(ide[0] ? ide[0] : ide[1]);
		return -1;
	}
	machine_add_device(m, &ide_desc, ide[0]);
	machine_add_device(m, &ide_desc, ide[1]);
	if (pc->cdrom) {
		m->cdaudio = cdaudio_new(m->clock, pc->cdrom);
		if (!m->cdaudio)
			return -1;
		machine_add_device(m, &cdaudio_desc, m->cdaudio);
	}
	if ((m->disks[2] && ide_attach(ide[0], 0, m->disks[2]) < 0) ||
	    (m->disks[3] && ide_attach(ide[0], 1, m->disks[3]) < 0) ||
	    (pc->cdrom && ide_attach_cd(ide[1], 0, pc->cdrom, m->cdaudio) < 0))
		return -1;
	struct irq_line *isa_irq[16];
	for (int i = 0; i < 16; i++)
		isa_irq[i] = &pc->irq[i];
	struct piix3 *piix = piix3_new(pci, m->io, isa_irq, ide);
	if (!piix)
		return -1;
	machine_add_device(m, &piix3_desc, piix);
	piix3_connect_pic(piix, m->pic);
	if (m->vga && vga_add_pci(m->vga, pci) < 0)
		return -1;

	struct fw_cfg *fw = fw_cfg_new(m->io, 0x510, m->mem);
	if (!fw)
		return -1;
	machine_add_device(m, &fw_cfg_desc, fw);
	m->fw_cfg = fw;
	/* QEMU firmware (SeaBIOS) logs to port 402h once it reads back E9h
	 * there: send that to --debugcon as well. */
	struct debugcon *fwlog = debugcon_new(m->io, 0x402, pc->debugcon_out, NULL, NULL);
	if (!fwlog)
		return -1;
	machine_add_device(m, &debugcon_desc, fwlog);
	static const char *const paths[] = {
		[BOOT_FLOPPY] = "/isa/fdc@03f0/floppy@0",
		[BOOT_HDD] = "/pci@i0cf8/ide@1,1/drive@0/disk@0",
		[BOOT_CDROM] = "/pci@i0cf8/ide@1,1/drive@1/disk@0",
	};
	const struct machine_config *c = m->cfg;
	char order[160];	/* QEMU's layout: one path a line, no final newline */
	if (c->boot_order_given)
		snprintf(order, sizeof(order), "%s", paths[c->boot]);
	else
		snprintf(order, sizeof(order), "%s\n%s", paths[BOOT_FLOPPY], paths[BOOT_HDD]);
	char boot = !c->boot_order_given ? 'a' : "acd"[c->boot];
	if (fw_cfg_add_pc_items(fw, c->ram_bytes, c->headless, boot, order) < 0)
		return -1;
	/* SeaBIOS's ACPI tables (our BIOS builds its own); --fw-cfg may
	 * replace them. */
	if (acpi_fw_cfg_add(fw, APM_PORT_PM1, APM_PM1_SLP_TYP_S5, m->apic ? m->ncpus : 0) < 0 ||
	    (m->apic && pc_apic_fw_cfg(m, fw) < 0))
		return -1;
	return add_fw_cfg_files(fw, c);
}

static void pc_nic_send(void *opaque, const uint8_t *frame, size_t len)
{
	net_client_send(opaque, frame, len);
}

/* A PCI card in slot 5 + n; the bus routes its INTA. */
static int add_pci_nic(struct pc *pc, int n, const struct net_nic_config *nc)
{
	struct machine *m = &pc->m;
	char err[256];
	if (!pc->pci) {
		log_error("--nic model=%s: the %s machine has no PCI bus", nc->model,
			  m->cfg->machine);
		return -1;
	}
	uint8_t devfn = PCI_DEVFN(5 + n, 0);
	void *dev;
	const struct device_desc *desc;
	net_rx_fn rx;
	if (strcmp(nc->model, "rtl8139") == 0) {
		struct rtl8139 *r = rtl8139_new(pc->pci, devfn, m->mem, m->clock, nc->mac);
		dev = r;
		desc = &rtl8139_desc;
		rx = rtl8139_rx;
	} else {
		dev = ne2000_new_pci(pc->pci, devfn, nc->mac);
		desc = &ne2000_desc;
		rx = ne2000_rx;
	}
	if (!dev) {
		log_error("--nic model=%s: PCI slot %d is taken", nc->model, 5 + n);
		return -1;
	}
	machine_add_device(m, desc, dev);
	struct net_client *nci = net_client_new(pc->net, nc, rx, dev, err, sizeof(err));
	if (!nci) {
		log_error("--nic: %s", err);
		return -1;
	}
	if (desc == &rtl8139_desc)
		rtl8139_set_send(dev, pc_nic_send, nci);
	else
		ne2000_set_send(dev, pc_nic_send, nci);
	return 0;
}

/* The --nic cards: ISA NE2000s at 300h, 280h, 340h, 2A0h, 2C0h with IRQ 3,
 * 10, 11, 9, 7 unless io=/irq= say otherwise (these stay clear of the COM
 * and LPT ports, the Sound Blaster's 220h/IRQ 5, MPU-401 330h, AdLib 388h
 * and the IDE, mouse and RTC IRQs); PCI cards (ne2k-pci, rtl8139) in slots
 * 5, 6 ... */
/* The game port, and a serial mouse on a COM port. */
static int add_input(struct machine *m)
{
	const struct machine_config *c = m->cfg;
	m->gameport = gameport_new(m->io, m->clock);
	if (!m->gameport)
		return -1;
	machine_add_device(m, &gameport_desc, m->gameport);
	if (c->joystick && gameport_apply_spec(m->gameport, c->joystick) < 0) {
		log_error("--joystick: '%s' is not X,Y[,X2,Y2][,bMASK] (-100..100)",
			  c->joystick);
		return -1;
	}
	if (c->serial_mouse) {
		struct uart *u = m->com[strcmp(c->serial_mouse, "com2") == 0];
		m->sermouse = sermouse_new(u, m->clock);
		if (!m->sermouse)
			return -1;
		machine_add_device(m, &sermouse_desc, m->sermouse);
	}
	return 0;
}

static int add_nics(struct pc *pc, bool xt)
{
	static const int def_io[] = { 0x300, 0x280, 0x340, 0x2a0, 0x2c0 };
	static const int def_irq[] = { 3, 10, 11, 9, 7 };
	int isa = 0;
	struct machine *m = &pc->m;
	const struct machine_config *c = m->cfg;
	char err[256];

	if (c->nnics == 0 && !c->net_dump)
		return 0;
	pc->net = net_new(m->clock, c->net_dump, err, sizeof(err));
	if (!pc->net) {
		log_error("%s", err);
		return -1;
	}
	machine_add_device(m, &net_desc, pc->net);	/* freed after the cards */
	for (int i = 0; i < c->nnics && i < NET_MAX_NICS; i++) {
		struct net_nic_config nc;
		if (net_nic_parse(c->nics[i], &nc, err, sizeof(err)) < 0) {
			log_error("%s", err);
			return -1;
		}
		if (!nc.mac_given)
			net_default_mac(i, nc.mac);
		if (pc_virtio_is_nic(nc.model))
			continue;	/* pc_virtio_create() */
		if (strcmp(nc.model, "ne2k-pci") == 0 || strcmp(nc.model, "rtl8139") == 0) {
			if (add_pci_nic(pc, i, &nc) < 0)
				return -1;
			continue;
		}
		if (strcmp(nc.model, "ne2k")) {
			log_error("--nic model=%s: not available in this build (ne2k, ne2k-pci, "
				  "rtl8139, virtio are)", nc.model);
			return -1;
		}
		int ndef = (int)(sizeof(def_io) / sizeof(def_io[0]));
		if ((nc.io < 0 || nc.irq < 0) && isa >= ndef) {
			log_error("--nic: give io= and irq= for an ISA card after the fifth");
			return -1;
		}
		int io = nc.io >= 0 ? nc.io : def_io[isa];
		int irq = nc.irq >= 0 ? nc.irq : def_irq[isa];
		isa++;
		if (xt && irq > 7) {
			log_error("--nic: IRQ %d does not exist on the xt machine (2-7)", irq);
			return -1;
		}
		if (m->apic)
			pc_apic_irq_line(m, irq, &pc->nic_irq[i]);
		else
			pic_irq_line(m->pic, irq, &pc->nic_irq[i]);
		struct ne2000 *ne = ne2000_new(m->io, (uint16_t)io, &pc->nic_irq[i], nc.mac);
		if (!ne) {
			log_error("--nic: ports %#x-%#x are taken by another device", io,
				  io + 0x1f);
			return -1;
		}
		machine_add_device(m, &ne2000_desc, ne);
		struct net_client *nci = net_client_new(pc->net, &nc, ne2000_rx, ne, err,
							sizeof(err));
		if (!nci) {
			log_error("--nic: %s", err);
			return -1;
		}
		ne2000_set_send(ne, pc_nic_send, nci);
	}
	return 0;
}

static int create_devices(struct pc *pc)
{
	struct machine *m = &pc->m;
	const struct machine_config *c = m->cfg;
	bool xt = strcmp(c->machine, "xt") == 0;

	/* With APICs the 8259A's INTR goes to LINT0 (hw/pc_apic.h). */
	bool apic = pc_apic_wanted(m);
	m->pic = pic_new(m->io, apic ? &m->pic_intr : &m->intr, 0x20, xt ? -1 : 0xa0);
	if (!m->pic)
		return -1;
	machine_add_device(m, &pic_desc, m->pic);
	for (int i = 0; i < 16; i++)
		pic_irq_line(m->pic, i, &pc->irq[i]);
	if (apic && pc_apic_create(m, pc->irq) < 0)
		return -1;

	m->pit = pit_new(m->io, 0x40, m->clock, &pc->irq[0]);
	if (!m->pit)
		return -1;
	machine_add_device(m, &pit_desc, m->pit);

	if (fpu_irq_model(m)) {
		m->fpu_irq = xt ? fpu_irq_new_xt(m->io, &m->cpu)
				: fpu_irq_new(m->io, &pc->irq[13]);
		if (!m->fpu_irq)
			return -1;
		machine_add_device(m, &fpu_irq_desc, m->fpu_irq);
	}

	if (!xt) {
		m->cmos = cmos_new(m->io, 0x70, m->clock, &pc->irq[8], c->rtc_base);
		if (!m->cmos)
			return -1;
		machine_add_device(m, &cmos_desc, m->cmos);
	}

	struct kbd_callbacks kcb = { .set_a20 = pc_a20_kbd, .reset = pc_reset_line,
				     .opaque = pc };
	m->kbd = kbd_new(m->io, m->clock, &pc->irq[1], xt, &kcb);
	if (!m->kbd)
		return -1;
	if (!xt)
		kbd_set_aux_irq(m->kbd, &pc->irq[12]);	/* PS/2 mouse */
	machine_add_device(m, &kbd_desc, m->kbd);

	int floppies = (m->disks[0] != NULL) + (m->disks[1] != NULL);
	struct sysctl_config scfg = {
		.xt = xt,
		.xt_switches = sysctl_xt_switches(floppies, SYSCTL_VIDEO_EGA,
						  (unsigned)(c->ram_bytes >> 10),
						  fpu_irq_model(m) != 0),
		.set_a20 = pc_a20_port92,
		.reset = pc_reset_line,
		.opaque = pc,
	};
	struct sysctl *sc = sysctl_new(m->io, m->clock, m->pit, m->kbd, &scfg);
	if (!sc)
		return -1;
	machine_add_device(m, &sysctl_desc, sc);
	m->pcspk = pcspk_new(m->clock, m->pit, sc);
	if (!m->pcspk)
		return -1;
	machine_add_device(m, &pcspk_desc, m->pcspk);

	pc->com1_be.write = pc_serial_write;
	pc->com1_be.opaque = pc->serial_out;
	m->com[0] = uart_new(m->io, 0x3f8, m->clock, &pc->irq[4],
			     pc->serial_out ? &pc->com1_be : NULL);
	m->com[1] = uart_new(m->io, 0x2f8, m->clock, &pc->irq[3], NULL);
	if (!m->com[0] || !m->com[1])
		return -1;
	machine_add_device(m, &uart_desc, m->com[0]);
	machine_add_device(m, &uart_desc, m->com[1]);

	m->vga = vga_new(m->io, m->mem, m->clock, false);
	if (!m->vga)
		return -1;
	machine_add_device(m, &vga_desc, m->vga);

	struct post *post = post_new(m->io, 0x80, m->clock, pc->post_out);
	struct debugcon *dc = debugcon_new(m->io, 0xe9, pc->debugcon_out, NULL, NULL);
	if (!post || !dc)
		return -1;
	machine_add_device(m, &post_desc, post);
	machine_add_device(m, &debugcon_desc, dc);
	struct apm_port *apm = apm_port_new(m->io, m->clock, pc_power_off, m);
	if (!apm)
		return -1;
	machine_add_device(m, &apm_port_desc, apm);
	if (c->exit_port >= 0) {
		struct debug_exit *de = debug_exit_new(m->io, (uint16_t)c->exit_port,
						       pc_exit_device, m);
		if (!de) {
			log_error("--exit-port %#x: port already taken by a device",
				  c->exit_port);
			return -1;
		}
		machine_add_device(m, &debug_exit_desc, de);
	}

	m->biosdisk = biosdisk_new(m->io, m->mem, m->disks);
	if (!m->biosdisk)
		return -1;
	machine_add_device(m, &biosdisk_desc, m->biosdisk);

	if (create_storage(pc, xt) < 0)
		return -1;

	if (add_nics(pc, xt) < 0)
		return -1;

	if (sound_create(m, pc->irq) < 0)
		return -1;
	if (add_input(m) < 0)
		return -1;
	if (pc_virtio_create(m, pc->pci, pc->irq, pc->net) < 0)
		return -1;
	if (c->cycles_per_ms) {
		struct speed *sp = speed_new(m, c->cycles_per_ms);
		if (!sp)
			return -1;
		machine_add_device(m, &speed_desc, sp);
	}

	if (m->cmos)
		fill_cmos(m);
	return 0;
}

struct machine *machine_new(const struct machine_config *cfg)
{
	struct pc *pc = calloc(1, sizeof(*pc));
	if (!pc)
		return NULL;
	struct machine *m = &pc->m;
	m->cfg = cfg;
	m->model = cfg->cpu;
	m->ncpus = cfg->smp > 1 ? cfg->smp : 1;
	if (m->ncpus > 1 && !pc_apic_wanted(m)) {
		log_error("--smp %d: more CPUs need local APICs: the at machine with --cpu "
			  "pentium or later", m->ncpus);
		goto fail;
	}

	if (strcmp(cfg->machine, "xt") && strcmp(cfg->machine, "at")) {
		log_error("unknown machine '%s'", cfg->machine);
		goto fail;
	}
	m->mem = mem_new(cfg->ram_bytes < (1u << 20) ? (1u << 20) : cfg->ram_bytes);
	m->io = ioport_bus_new();
	uint64_t hz = cfg->cpu_hz ? cfg->cpu_hz : cfg->cpu->default_hz;
	m->clock = clock_new(&m->cpu.cycles, hz, pc_kick, m);
	if (!m->mem || !m->io || !m->clock) {
		log_error("out of memory creating the machine");
		goto fail;
	}
	/* Conventional RAM ends at 640K (or less with -m); A0000h-FFFFFh is
	 * the adapter area. */
	uint32_t low_end = cfg->ram_bytes < (640u << 10) ? (uint32_t)cfg->ram_bytes
							  : (640u << 10);
	mem_reserve_hole(m->mem, low_end, 0x100000 - low_end);

	if (chardev_open(cfg->serial, "--serial", &pc->serial_out) < 0 ||
	    chardev_open(cfg->debugcon, "--debugcon", &pc->debugcon_out) < 0)
		goto fail;
	if (cfg->post_log) {
		pc->post_out = fopen(cfg->post_log, "w");
		if (!pc->post_out) {
			log_error("--post-log: cannot write '%s': %s", cfg->post_log,
				  strerror(errno));
			goto fail;
		}
		setvbuf(pc->post_out, NULL, _IOLBF, 0);
	}
	if (load_bios(m, cfg->bios_path) < 0 || open_disks(m) < 0)
		goto fail;
	if (create_devices(pc) < 0) {
		log_error("cannot create the %s machine's devices", cfg->machine);
		goto fail;
	}
	serial_input_start(pc);
	machine_reset_devices(m);
	if (m->cmos)
		fill_cmos(m);
	return m;
fail:
	machine_free(m);
	return NULL;
}

/* Feeds COM1 from stdin when --serial stdio, as a terminal or a pipe would:
 * bytes the UART's FIFO cannot take yet wait for the next poll. */
void machine_poll_host_input(struct machine *m)
{
	struct pc *pc = (struct pc *)m;
	if (!pc->serial_in || !m->com[0])
		return;
	if (pc->in_pos == pc->in_len) {
		ssize_t n = read(STDIN_FILENO, pc->in_buf, sizeof(pc->in_buf));
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			pc->serial_in = false;	/* end of input */
			return;
		}
		if (n < 0)
			return;
		pc->in_pos = 0;
		pc->in_len = (int)n;
	}
	int k = uart_receive(m->com[0], pc->in_buf + pc->in_pos, pc->in_len - pc->in_pos);
	if (k > 0)
		pc->in_pos += k;
}

static void serial_input_start(struct pc *pc)
{
	if (!pc->m.cfg->serial || strcmp(pc->m.cfg->serial, "stdio") != 0)
		return;
	int fl = fcntl(STDIN_FILENO, F_GETFL);
	if (fl < 0 || fcntl(STDIN_FILENO, F_SETFL, fl | O_NONBLOCK) < 0)
		return;
	pc->stdin_flags = fl;
	pc->stdin_changed = true;
	pc->serial_in = true;
}

void machine_set_headless(struct machine *m, bool headless)
{
	if (m->cmos)
		cmos_set_byte(m->cmos, 0x7e, headless ? 1 : 0);
}

bool machine_shutdown_resets(struct machine *m)
{
	return m->cmos && cmos_get_byte(m->cmos, 0x0f) != 0;
}

int machine_free(struct machine *m)
{
	if (!m)
		return 0;
	struct pc *pc = (struct pc *)m;
	int ret = 0;
	machine_free_devices(m);
	cdimage_close(pc->cdrom);
	for (int i = 0; i < 4; i++) {
		if (m->disks[i] && disk_close(m->disks[i]) < 0) {
			log_error("flushing '%s' failed: guest writes may be lost",
				  disk_path(m->disks[i]));
			ret = -EIO;
		}
	}
	if (pc->stdin_changed)
		fcntl(STDIN_FILENO, F_SETFL, pc->stdin_flags);
	chardev_close(pc->serial_out);
	chardev_close(pc->debugcon_out);
	if (pc->post_out)
		fclose(pc->post_out);
	clock_free(m->clock);
	ioport_bus_free(m->io);
	mem_free(m->mem);
	free(pc);
	return ret;
}
