#!/usr/bin/env python3
"""Checks the --audio-capture WAV of hw_cdaudio: the first burst of sound must be
track 2 (a 1000 Hz sine of amplitude 16000, 40 frames = 25600 samples at 48 kHz)
at 0 dB, the next the 500 Hz sine of track 3 at -14 dB (SB16 CD level 24 of 31:
gain 51/256). Bursts are runs of samples separated by at least 10 ms of silence.
The frequency is counted from rising zero crossings in the middle 80%. Mono or stereo 16-bit PCM
(channels averaged). Prints what it measured; exit status 1 on a mismatch."""
import struct
import sys


def read_wav(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        sys.exit("not a WAV file")
    pos, fmt, samples = 12, None, None
    while pos + 8 <= len(data):
        tag, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if tag == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif tag == b"data":
            samples = body
        pos += 8 + size + (size & 1)
    if not fmt or samples is None or fmt[0] != 1 or fmt[5] != 16:
        sys.exit("not 16-bit PCM")
    ch, rate = fmt[1], fmt[2]
    v = struct.unpack("<%dh" % (len(samples) // 2), samples[:len(samples) // 2 * 2])
    mono = [sum(v[i:i + ch]) / ch for i in range(0, len(v) - ch + 1, ch)]
    return rate, mono


def bursts(x, rate):
    gap = rate // 100
    out, start, quiet = [], None, 0
    for i, s in enumerate(x):
        if abs(s) > 2:
            if start is None:
                start = i
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet >= gap:
                out.append((start, i - quiet + 1))
                start, quiet = None, 0
    if start is not None:
        out.append((start, len(x) - quiet))
    return out


def measure(x, rate):
    """Frequency and peak of the middle of x (its ends ramp in and out)."""
    mid = x[len(x) // 10:len(x) - len(x) // 10]
    up = [i for i in range(1, len(mid)) if mid[i - 1] < 0 <= mid[i]]
    freq = (len(up) - 1) * rate / (up[-1] - up[0]) if len(up) > 2 else 0
    return freq, max(abs(s) for s in mid)


def main():
    rate, x = read_wav(sys.argv[1])
    b = bursts(x, rate)
    if len(b) < 2:
        sys.exit("want at least two bursts of sound, found %d" % len(b))
    ok = True
    want = [(1000, 16000, 40 * rate // 75), (500, 16000 * 51 / 256, None)]
    for n, ((s, e), (wf, wa, wlen)) in enumerate(zip(b, want)):
        f, a = measure(x[s:e], rate)
        print("burst %d: %d samples, %.1f Hz, peak %.0f" % (n + 1, e - s, f, a))
        if abs(f - wf) > wf * 0.01:
            print("  frequency: want %d Hz" % wf)
            ok = False
        if abs(a - wa) > wa * 0.03:
            print("  peak: want %.0f" % wa)
            ok = False
        if wlen and abs((e - s) - wlen) > rate // 200:
            print("  length: want %d samples (+-5 ms)" % wlen)
            ok = False
    sys.exit(0 if ok else 1)


main()
