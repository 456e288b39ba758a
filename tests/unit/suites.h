/* One line per Check suite: SUITE(name) declares and runs name_suite(). */
SUITE(mem)
SUITE(ioport)
SUITE(clock)
SUITE(snapshot)

