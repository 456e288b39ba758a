/* A libpcap capture file writer (the classic format, link type Ethernet):
 * what Wireshark and tcpdump -r read.  Timestamps are the machine's virtual
 * time, so a deterministic run gives the same file. */
#ifndef TANDEM_NET_PCAP_H
#define TANDEM_NET_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCAP_MAGIC 0xa1b2c3d4u
#define PCAP_LINKTYPE_ETHERNET 1
#define PCAP_SNAPLEN 65535u

struct pcap_writer;

/* Creates (truncates) path and writes the file header.  NULL and errno set
 * on failure. */
struct pcap_writer *pcap_open(const char *path);
/* Appends one frame stamped ts_ps picoseconds.  Returns 0 or -errno. */
int pcap_write(struct pcap_writer *w, uint64_t ts_ps, const uint8_t *frame, size_t len);
/* Flushes and closes; returns 0 or -errno (a lost write). */
int pcap_close(struct pcap_writer *w);

#endif
