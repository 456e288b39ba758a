#!/bin/sh
# Installs what tandem needs to build and test on Debian 12 (run as root).
# python3 is used by a few test scripts (pcap checks, loopback connects, the HTTP
# server of tests/linux/net.sh).
# Extra packages for `make bench` (the peers we compare against): pass --bench.
set -e
pkgs="build-essential g++ pkg-config nasm libsdl2-dev libpng-dev zlib1g-dev check libcjson-dev libslirp-dev libinih-dev
      libadplug-dev libspeexdsp-dev libfluidsynth-dev fluid-soundfont-gm
      console-data python3 cpio busybox-static libcapstone-dev
      syslinux syslinux-common isolinux mtools dosfstools xorriso grub-pc-bin grub-common
      memtest86+ seabios"
if [ "$1" = "--bench" ]; then
	pkgs="$pkgs qemu-system-x86 bochs bochsbios vgabios bochs-term"
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: run as root (or with sudo)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tests/linux boots Debian's i386 kernel and busybox, fetched with apt-get at
# test time: the i386 architecture must be known to dpkg and apt.
dpkg --add-architecture i386
# A mirror caught mid-sync fails one index (seen: bookworm-security's i386 list); try
# again, then go on with the indexes apt has: the install below fails clearly if a
# package is really missing.
for try in 1 2 3; do
	apt-get update -qq && break
	echo "install-deps: apt-get update failed (try $try of 3)" >&2
	[ "$try" = 3 ] || sleep 10
done
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "install-deps: done"
