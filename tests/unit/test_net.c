/* net/: the pcap writer (read back), the hub's frame format, --nic parsing,
 * two members of an internal network in one process, the client layer with
 * its dump and poll timer. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/backend.h"
#include "net/hub.h"
#include "net/net.h"
#include "net/pcap.h"
#include "tests/unit/hw_harness.h"

static char tmpdir[64];

/* Every test gets its own runtime directory, so the hub never touches
 * another process's segments. */
static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tandem-net-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	setenv("XDG_RUNTIME_DIR", tmpdir, 1);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void frame(uint8_t *f, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		f[i] = (uint8_t)(seed ^ (i * 31));
	f[0] &= 0xfe;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

START_TEST(net_pcap_read_back)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/dump.pcap", tmpdir);
	struct pcap_writer *w = pcap_open(path);
	ck_assert_ptr_nonnull(w);
	uint8_t a[60], b[1514];
	frame(a, sizeof(a), 1);
	frame(b, sizeof(b), 2);
	ck_assert_int_eq(pcap_write(w, 1250000000000ull, a, sizeof(a)), 0);
	ck_assert_int_eq(pcap_write(w, 2000000000000ull, b, sizeof(b)), 0);
	ck_assert_int_eq(pcap_close(w), 0);

	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	static uint8_t buf[4096];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_uint_eq(n, 24 + 16 + 60 + 16 + 1514);
	ck_assert_uint_eq(get32(buf), 0xa1b2c3d4u);
	ck_assert_uint_eq(buf[4] | buf[5] << 8, 2);		/* version 2.4 */
	ck_assert_uint_eq(buf[6] | buf[7] << 8, 4);
	ck_assert_uint_eq(get32(buf + 16), 65535);		/* snaplen */
	ck_assert_uint_eq(get32(buf + 20), 1);			/* Ethernet */
	const uint8_t *r = buf + 24;
	ck_assert_uint_eq(get32(r), 1);				/* 1.25 s */
	ck_assert_uint_eq(get32(r + 4), 250000);
	ck_assert_uint_eq(get32(r + 8), 60);
	ck_assert_uint_eq(get32(r + 12), 60);
	ck_assert_mem_eq(r + 16, a, 60);
	r += 16 + 60;
	ck_assert_uint_eq(get32(r), 2);
	ck_assert_uint_eq(get32(r + 4), 0);
	ck_assert_uint_eq(get32(r + 8), 1514);
	ck_assert_mem_eq(r + 16, b, 1514);
	ck_assert_ptr_null(pcap_open("/nonexistent-dir/x.pcap"));
}
END_TEST

START_TEST(net_hub_frame_format)
{
	uint8_t f[64], d[HUB_HDR_LEN + NET_FRAME_MAX + 8];
	const uint8_t *out;
	frame(f, sizeof(f), 3);
	size_t n = hub_encode(d, sizeof(d), f, sizeof(f));
	ck_assert_uint_eq(n, HUB_HDR_LEN + 64);
	ck_assert_mem_eq(d, "TNET\x01\x00\x00\x40", 8);
	ck_assert_int_eq(hub_decode(d, n, &out), 64);
	ck_assert_ptr_eq(out, d + 8);
	ck_assert_mem_eq(out, f, 64);
	/* Malformed datagrams. */
	ck_assert_int_eq(hub_decode(d, n - 1, &out), -1);	/* length mismatch */
	ck_assert_int_eq(hub_decode(d, 7, &out), -1);		/* no header */
	d[4] = 2;
	ck_assert_int_eq(hub_decode(d, n, &out), -1);		/* version */
	d[4] = 1;
	d[0] = 'X';
	ck_assert_int_eq(hub_decode(d, n, &out), -1);		/* magic */
	d[0] = 'T';
	d[6] = 0x10;						/* 4160 bytes */
	ck_assert_int_eq(hub_decode(d, n, &out), -1);
	/* Sizes the encoder refuses. */
	ck_assert_uint_eq(hub_encode(d, sizeof(d), f, 13), 0);
	static uint8_t big[NET_FRAME_MAX + 1];
	ck_assert_uint_eq(hub_encode(d, sizeof(d), big, sizeof(big)), 0);
	ck_assert_uint_eq(hub_encode(d, 20, f, 64), 0);
	ck_assert_uint_eq(hub_encode(d, sizeof(d), big, NET_FRAME_MAX),
			  HUB_HDR_LEN + NET_FRAME_MAX);
}
END_TEST

START_TEST(net_nic_strings)
{
	struct net_nic_config c;
	char err[256];
	ck_assert_int_eq(net_nic_parse("internal,name=lab", &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.mode, NET_INTERNAL);
	ck_assert_str_eq(c.name, "lab");
	ck_assert_str_eq(c.model, "ne2k");
	ck_assert_int_eq(c.io, -1);
	ck_assert_int_eq(net_nic_parse("model=ne2k,mode=nat,mac=02:00:00:aa:bb:cc,io=0x320,"
				       "irq=5,hostfwd=tcp::8080-:80,hostfwd=udp:127.0.0.1:5353-"
				       "10.0.2.15:53", &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.mode, NET_NAT);
	ck_assert(c.mac_given);
	ck_assert_uint_eq(c.mac[5], 0xcc);
	ck_assert_int_eq(c.io, 0x320);
	ck_assert_int_eq(c.irq, 5);
	ck_assert_int_eq(c.nfwd, 2);
	ck_assert(!c.fwd[0].udp);
	ck_assert_uint_eq(c.fwd[0].host_port, 8080);
	ck_assert_uint_eq(c.fwd[0].guest_port, 80);
	ck_assert(c.fwd[1].udp);
	ck_assert_uint_eq(c.fwd[1].host_addr, 0x7f000001);
	ck_assert_uint_eq(c.fwd[1].guest_addr, 0x0a00020f);
	ck_assert_int_eq(net_nic_parse("bridged,tap=tap0", &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.tap, "tap0");
	ck_assert_int_eq(net_nic_parse("internal", &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.name, "default");
	ck_assert_int_eq(net_nic_parse("model=virtio,none", &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.model, "virtio");

	static const char *const bad[] = {
		"model=e1000", "model=virtio-net", "model=virtio,io=0x300", "mode=wifi",
		"internal,name=../x", "internal,name=",
		"mac=01:00:00:00:00:01", "mac=52:54:00:12:34", "io=0x301", "io=0x10000",
		"irq=2", "irq=16", "hostfwd=tcp::0-:80", "hostfwd=tcp:8080-80",
		"internal,hostfwd=tcp::1-:2", "bridged", "nat,tap=tap0", "nat,name=x",
		"colour=blue", "nat,internal", "hostfwd=sctp::1-:2", "model=rtl8139,irq=5",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ck_assert_msg(net_nic_parse(bad[i], &c, err, sizeof(err)) < 0, "%s", bad[i]);
		ck_assert_msg(strncmp(err, "--nic: ", 7) == 0, "%s: %s", bad[i], err);
		ck_assert_ptr_null(strchr(err, '\n'));
	}
}
END_TEST

START_TEST(net_hub_two_members)
{
	char err[256];
	struct net_hub *a = hub_open("seg1", err, sizeof(err));
	struct net_hub *b = hub_open("seg1", err, sizeof(err));
	struct net_hub *c = hub_open("seg2", err, sizeof(err));
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	uint8_t f[100], got[NET_FRAME_MAX];
	frame(f, sizeof(f), 4);
	ck_assert_int_eq(hub_send(a, f, sizeof(f)), 1);		/* b only */
	ck_assert_int_eq(hub_recv(b, got, sizeof(got)), 100);
	ck_assert_mem_eq(got, f, 100);
	ck_assert_int_eq(hub_recv(b, got, sizeof(got)), 0);
	ck_assert_int_eq(hub_recv(a, got, sizeof(got)), 0);	/* not to itself */
	ck_assert_int_eq(hub_recv(c, got, sizeof(got)), 0);	/* other segment */
	/* A dead member's socket is cleaned up on the next send. */
	hub_close(b);
	ck_assert_int_eq(hub_send(a, f, sizeof(f)), 0);
	ck_assert_ptr_null(hub_open("../etc", err, sizeof(err)));
	hub_close(a);
	hub_close(c);
}
END_TEST

struct sink {
	int n;
	size_t len;
	uint8_t last[NET_FRAME_MAX];
	bool accept;
};

static bool sink_rx(void *opaque, const uint8_t *f, size_t len)
{
	struct sink *s = opaque;
	s->n++;
	s->len = len;
	memcpy(s->last, f, len);
	return s->accept;
}

START_TEST(net_clients_internal_with_dump)
{
	struct hw_env env;
	hw_env_init(&env);
	char err[256], path[128];
	snprintf(path, sizeof(path), "%s/both.pcap", tmpdir);
	struct net *n = net_new(env.clk, path, err, sizeof(err));
	ck_assert_msg(n != NULL, "%s", err);
	struct net_nic_config cfg;
	ck_assert_int_eq(net_nic_parse("internal,name=lan", &cfg, err, sizeof(err)), 0);
	struct sink sa = { .accept = true }, sb = { .accept = true };
	struct net_client *a = net_client_new(n, &cfg, sink_rx, &sa, err, sizeof(err));
	struct net_client *b = net_client_new(n, &cfg, sink_rx, &sb, err, sizeof(err));
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	uint8_t f[200];
	frame(f, sizeof(f), 5);
	net_client_send(a, f, sizeof(f));
	net_client_send(a, f, 10);			/* too short: dropped */
	ck_assert_int_eq(sb.n, 0);
	/* Delivery happens on the poll timer, 1 ms of virtual time later. */
	hw_advance_ns(&env, 1000000);
	ck_assert_int_eq(sb.n, 1);
	ck_assert_int_eq(sa.n, 0);
	ck_assert_uint_eq(sb.len, 200);
	ck_assert_mem_eq(sb.last, f, 200);
	struct net_stats st;
	net_client_stats(a, &st);
	ck_assert_uint_eq(st.tx_frames, 1);
	ck_assert_uint_eq(st.tx_dropped, 1);
	net_client_stats(b, &st);
	ck_assert_uint_eq(st.rx_frames, 1);
	sb.accept = false;				/* the card's ring is full */
	net_client_send(a, f, sizeof(f));
	hw_advance_ns(&env, 1000000);
	net_client_stats(b, &st);
	ck_assert_uint_eq(st.rx_dropped, 1);
	/* A snapshot load re-arms the poll timer from the new now. */
	struct snap snp;
	snap_init(&snp);
	net_desc.save(n, &snp);
	struct snap rd;
	snap_open(&rd, snp.data, snp.len);
	ck_assert_int_eq(net_desc.load(n, &rd), 0);
	sb.accept = true;
	net_client_send(a, f, sizeof(f));
	hw_advance_ns(&env, 1000000);
	ck_assert_int_eq(sb.n, 3);
	snap_open(&rd, snp.data, 0);
	ck_assert_int_ne(net_desc.load(n, &rd), 0);
	snap_free(&snp);
	net_free(n);
	hw_env_free(&env);

	/* The dump has a's three sends and b's three receives. */
	FILE *fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	ck_assert_int_eq(ftell(fp), 24 + 6 * (16 + 200));
	fclose(fp);
}
END_TEST

START_TEST(net_mode_errors)
{
	struct hw_env env;
	hw_env_init(&env);
	char err[256];
	struct net *n = net_new(env.clk, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(n);
	struct net_nic_config cfg;
	struct sink s = { .accept = true };
	ck_assert_int_eq(net_nic_parse("bridged,tap=tandemnotap0", &cfg, err, sizeof(err)), 0);
	err[0] = 0;
	ck_assert_ptr_null(net_client_new(n, &cfg, sink_rx, &s, err, sizeof(err)));
	ck_assert_msg(strstr(err, "bridged: ") == err, "%s", err);
	ck_assert_ptr_null(net_new(env.clk, "/nonexistent-dir/x.pcap", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "--net-dump"));
	net_free(n);
	hw_env_free(&env);
}
END_TEST

/* host-only hands slirp ARP and IPv4 to 10.0.2.2 or to the broadcast address
 * (DHCP) only: anything else could leave the host. */
START_TEST(net_host_only_filter)
{
	uint8_t f[64];
	memset(f, 0, sizeof(f));
	f[12] = 0x08;
	f[13] = 0x06;
	ck_assert(net_host_only_allows(f, 42));			/* ARP */
	f[13] = 0x00;
	static const uint8_t ok[][4] = { { 10, 0, 2, 2 } };
	static const uint8_t no[][4] = { { 10, 0, 2, 3 }, { 10, 0, 2, 4 }, { 8, 8, 8, 8 },
					 { 127, 0, 0, 1 }, { 10, 0, 2, 255 }, { 0, 0, 0, 0 } };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memcpy(f + 30, ok[i], 4);
		ck_assert(net_host_only_allows(f, 60));
		ck_assert(!net_host_only_allows(f, 33));	/* cut before the address */
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		memcpy(f + 30, no[i], 4);
		ck_assert(!net_host_only_allows(f, 60));
	}
	/* Broadcast: DHCP only (UDP to port 67). */
	memset(f + 30, 0xff, 4);
	f[14] = 0x45;
	f[23] = 17;
	f[36] = 0;
	f[37] = 67;
	ck_assert(net_host_only_allows(f, 60));
	ck_assert(!net_host_only_allows(f, 36));
	f[37] = 68;
	ck_assert(!net_host_only_allows(f, 60));
	f[37] = 67;
	f[23] = 6;						/* TCP */
	ck_assert(!net_host_only_allows(f, 60));
	f[23] = 17;
	f[14] = 0x46;						/* options: port moves */
	ck_assert(!net_host_only_allows(f, 60));
	f[40] = 0;
	f[41] = 67;
	ck_assert(net_host_only_allows(f, 60));
	f[12] = 0x86;						/* IPv6 */
	f[13] = 0xdd;
	memcpy(f + 30, ok[0], 4);
	ck_assert(!net_host_only_allows(f, 60));
	ck_assert(!net_host_only_allows(f, 10));
}
END_TEST

Suite *net_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("net");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, net_pcap_read_back);
	tcase_add_test(tc, net_hub_frame_format);
	tcase_add_test(tc, net_nic_strings);
	tcase_add_test(tc, net_hub_two_members);
	tcase_add_test(tc, net_clients_internal_with_dump);
	tcase_add_test(tc, net_mode_errors);
	tcase_add_test(tc, net_host_only_filter);
	suite_add_tcase(s, tc);
	return s;
}
