#!/usr/bin/env python3
"""pcapcount.py FILE: reads a classic pcap file (as tandem's --net-dump writes it)
and prints how many EtherType 88B5h frames of each kind (PING, PONG, BYE!) it holds,
e.g. "PING 5 PONG 5 BYE! 3". Exits 1 on a malformed file."""
import struct
import sys

data = open(sys.argv[1], 'rb').read()
if len(data) < 24 or struct.unpack('<I', data[:4])[0] != 0xa1b2c3d4:
    sys.exit("bad pcap header")
if struct.unpack('<I', data[20:24])[0] != 1:
    sys.exit("not Ethernet")
counts = {b'PING': 0, b'PONG': 0, b'BYE!': 0}
pos = 24
while pos < len(data):
    if pos + 16 > len(data):
        sys.exit("truncated record header")
    _, _, incl, orig = struct.unpack('<IIII', data[pos:pos + 16])
    frame = data[pos + 16:pos + 16 + incl]
    if len(frame) != incl or incl != orig:
        sys.exit("truncated frame")
    if len(frame) >= 18 and frame[12:14] == b'\x88\xb5' and frame[14:18] in counts:
        counts[frame[14:18]] += 1
    pos += 16 + incl
print(' '.join('%s %d' % (k.decode(), v) for k, v in counts.items()))
