/* Layered configuration: defaults < user file < --conf files < command line,
 * --print-config's sources, and one clear error per bad line. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/options.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/tandem-conf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char p[128];
	snprintf(p, sizeof(p), "%s/tandem", dir);
	mkdir(p, 0700);
	setenv("XDG_CONFIG_HOME", dir, 1);
	ck_assert_int_eq(chdir(dir), 0);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static enum options_result parse(struct tandem_options *o, char *err, const char *a1,
				 const char *a2, const char *a3, const char *a4)
{
	char *argv[6] = { "tandem", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };
	int argc = 1;
	while (argc < 5 && argv[argc])
		argc++;
	err[0] = 0;
	return options_parse(argc, argv, o, err, 256);
}

/* One table feeds everything: every option but the actions has a key. */
START_TEST(every_option_has_a_key)
{
	const char *missing = options_key_missing();
	ck_assert_msg(missing == NULL, "--%s has no INI section in util/options.c's table",
		      missing);
}
END_TEST

#ifdef HAVE_INIH
START_TEST(layers_in_order)
{
	struct tandem_options o;
	char err[256];
	/* Nothing anywhere: the table's defaults. */
	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL, NULL), OPTIONS_OK);
	ck_assert_str_eq(o.machine, "at");
	ck_assert_int_eq(o.exit_port, 0xf4);
	ck_assert_int_eq(o.sb_base, 0x220);
	ck_assert_int_eq(o.rtc_base, -1);
	ck_assert_ptr_null(o.cpu);

	write_file("tandem/tandem.conf", "; the user's file\n[machine]\ncpu = 8088\n"
		   "memory = 1M\n[disks]\nfda = user.img\n[display]\nheadless = yes\n");
	write_file("a.conf", "[machine]\nmemory = 2M\n[network]\nnic = nat\nnic = none\n"
		   "[display]\nheadless = no\n");
	write_file("b.conf", "# game\n[machine]\nmemory = 4M   ; inline comment\n");
	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL, NULL), OPTIONS_OK);
	ck_assert_str_eq(o.cpu, "8088");
	ck_assert_uint_eq(o.ram_bytes, 1u << 20);
	ck_assert(o.headless);
	ck_assert_int_eq(parse(&o, err, "--conf", "a.conf", "--conf=b.conf", NULL), OPTIONS_OK);
	ck_assert_uint_eq(o.ram_bytes, 4u << 20);	/* the later file wins */
	ck_assert_str_eq(o.cpu, "8088");		/* the user's file still counts */
	ck_assert_str_eq(o.fda, "user.img");
	ck_assert(!o.headless);				/* a file can turn a flag off */
	ck_assert_int_eq(o.nnics, 2);
	/* The command line wins wherever it stands, even before --conf. */
	ck_assert_int_eq(parse(&o, err, "-m", "8M", "--conf", "b.conf"), OPTIONS_OK);
	ck_assert_uint_eq(o.ram_bytes, 8u << 20);
	/* A repeatable option given by a later layer replaces the list. */
	ck_assert_int_eq(parse(&o, err, "--conf", "a.conf", "--nic", "none"), OPTIONS_OK);
	ck_assert_int_eq(o.nnics, 1);
	ck_assert_str_eq(o.nic[0], "none");
	/* The user's file is optional, --conf files are not. */
	unlink("tandem/tandem.conf");
	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL, NULL), OPTIONS_OK);
	ck_assert_int_eq(parse(&o, err, "--conf", "nope.conf", NULL, NULL), OPTIONS_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "nope.conf"));
}
END_TEST

START_TEST(print_config_sources)
{
	struct tandem_options o;
	char err[256];
	write_file("tandem/tandem.conf", "[machine]\ncpu = 8088\n");
	write_file("a.conf", "\n[sound]\nsb-irq = 7\n");
	ck_assert_int_eq(parse(&o, err, "--conf", "a.conf", "--fdb", "b.img"), OPTIONS_OK);
	char path[128];
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	FILE *f = fopen(path, "w+");
	options_print_config(f);
	rewind(f);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	char want[256];
	snprintf(want, sizeof(want), "cpu = 8088%*s; %s/tandem/tandem.conf:2\n", 31, "", dir);
	ck_assert_msg(strstr(buf, want), "no '%s' in:\n%s", want, buf);
	ck_assert_ptr_nonnull(strstr(buf, "sb-irq = 7                               "
					  "; a.conf:3\n"));
	ck_assert_ptr_nonnull(strstr(buf, "fdb = b.img                              "
					  "; command line\n"));
	ck_assert_ptr_nonnull(strstr(buf, "machine = at                             ; default\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\n[disks]\n"));
	ck_assert_ptr_nonnull(strstr(buf, ";hda =                                   ; not set\n"));
	/* The output is itself a configuration that reads back the same. */
	write_file("again.conf", buf);
	ck_assert_int_eq(parse(&o, err, "--conf", "again.conf", NULL, NULL), OPTIONS_OK);
	ck_assert_str_eq(o.fdb, "b.img");
	ck_assert_int_eq(o.sb_irq, 7);
}
END_TEST

/* Each bad file gives one error naming the file and the line. */
START_TEST(bad_lines)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[machine]\ncpu = 8088\nmemory = lots\n", "bad.conf:3: --memory: 'lots'" },
		{ "cpu = 8088\n", "bad.conf:1: key 'cpu' is outside a [section]" },
		{ "[machine]\nfda = a.img\n", "bad.conf:2: key 'fda' belongs in section [disks]" },
		{ "\n\n[machine]\nbogus = 1\n", "bad.conf:4: unknown key 'bogus'" },
		{ "[machine\ncpu = 8088\n", "bad.conf:1: expected [section] or key = value" },
		{ "[machine]\njust words\n", "bad.conf:2: expected [section] or key = value" },
		{ "[display]\nheadless = maybe\n",
		  "bad.conf:2: headless: 'maybe' is not yes or no" },
		{ "[run]\nhelp = yes\n", "bad.conf:2: unknown key 'help'" },
		{ "[machine]\nmachine = pdp11\n", "bad.conf:2: --machine: unknown machine" },
		{ "[ports]\nexit-port = 0xf4\nexit-port =\n", "bad.conf:3: --exit-port: ''" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tandem_options o;
		char err[256];
		write_file("bad.conf", cases[i].text);
		ck_assert_int_eq(parse(&o, err, "--conf", "bad.conf", NULL, NULL), OPTIONS_ERROR);
		ck_assert_msg(strncmp(err, cases[i].want, strlen(cases[i].want)) == 0,
			      "case %zu: got '%s', want '%s...'", i, err, cases[i].want);
		ck_assert_ptr_null(strchr(err, '\n'));
	}
	/* The user's own file is checked the same way. */
	struct tandem_options o;
	char err[256];
	write_file("tandem/tandem.conf", "[sound]\nsb-dma = 2\n");
	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL, NULL), OPTIONS_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "tandem.conf:2: --sb-dma"));
}
END_TEST

#else
/* Without libinih --conf says so instead of ignoring the file. */
START_TEST(no_inih_says_so)
{
	struct tandem_options o;
	char err[256];
	write_file("a.conf", "[machine]\ncpu = 8088\n");
	ck_assert_int_eq(parse(&o, err, "--conf", "a.conf", NULL, NULL), OPTIONS_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "without libinih"));
}
END_TEST
#endif

/* --handoff-at and the monitor's x: hex linear or real-mode SEG:OFF. */
START_TEST(guest_addresses)
{
	uint32_t a = 0;
	ck_assert_int_eq(options_parse_addr("7c00", &a), 0);
	ck_assert_uint_eq(a, 0x7c00);
	ck_assert_int_eq(options_parse_addr("0xFFFFFFF0", &a), 0);
	ck_assert_uint_eq(a, 0xfffffff0u);
	ck_assert_int_eq(options_parse_addr("f000:fff0", &a), 0);
	ck_assert_uint_eq(a, 0xffff0);
	ck_assert_int_eq(options_parse_addr("ffff:ffff", &a), 0);
	ck_assert_uint_eq(a, 0x10ffef);
	static const char *const bad[] = { "", "x", "0x", "-1", "7c00h", "1:", ":1",
					   "10000:0", "0:10000", "1:2:3", "100000000", " 1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(options_parse_addr(bad[i], &a) < 0, "'%s' was taken", bad[i]);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("layers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_option_has_a_key);
	tcase_add_test(tc, guest_addresses);
#ifdef HAVE_INIH
	tcase_add_test(tc, layers_in_order);
	tcase_add_test(tc, print_config_sources);
	tcase_add_test(tc, bad_lines);
#else
	tcase_add_test(tc, no_inih_says_so);
#endif
	suite_add_tcase(s, tc);
	return s;
}
