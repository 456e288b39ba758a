#!/bin/sh
# assets.sh DIR: puts in DIR what the tests/linux proofs boot, fetched with apt-get at
# test time from Debian (nothing of it is committed): DIR/vmlinuz (linux-image-686,
# i386), DIR/initramfs.cpio.gz (busybox-static:i386, a few NIC modules of that
# kernel, and tests/linux/init), and DIR/iso/ (ISOLINUX files, from the host's
# isolinux and syslinux-common packages). Reuses what DIR already holds.
# i386 packages need the i386 architecture in dpkg (tools/install-deps.sh adds it).
# Exits 0 with the files in place, or 3 with one line on stderr saying what is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
mkdir -p "$dir" || exit 3
cd "$dir" || exit 3

# the modules the init script loads, in dependency order
mods="drivers/net/ethernet/8390/8390.ko drivers/net/ethernet/8390/ne2k-pci.ko
drivers/net/mii.ko drivers/net/ethernet/realtek/8139too.ko
drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko
drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci_legacy_dev.ko
drivers/virtio/virtio_pci.ko net/core/failover.ko drivers/net/net_failover.ko
drivers/net/virtio_net.ko"

fetch() {	# fetch PACKAGE: download its .deb into deb/
	if ! (cd deb && apt-get download "$1") >> apt.log 2>&1; then
		echo "cannot download $1 with apt-get (see $dir/apt.log; needs" \
		     "'dpkg --add-architecture i386 && apt-get update')" >&2
		exit 3
	fi
}

if [ ! -s vmlinuz ] || [ ! -d modules ] || [ ! -s busybox ]; then
	rm -rf deb modules && mkdir deb modules || exit 3
	pkg=$(apt-cache depends linux-image-686:i386 2>/dev/null |
	      sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
	[ -n "$pkg" ] || { echo "apt-cache knows no linux-image-686:i386 (needs" \
		"'dpkg --add-architecture i386 && apt-get update')" >&2; exit 3; }
	case $pkg in *:i386) ;; *) pkg=$pkg:i386 ;; esac
	fetch "$pkg"
	fetch busybox-static:i386
	for d in deb/*.deb; do
		dpkg-deb --fsys-tarfile "$d" | tar -x -C deb || exit 3
	done
	mv deb/boot/vmlinuz-* vmlinuz || exit 3
	cp deb/bin/busybox busybox || exit 3
	for m in $mods; do
		cp deb/lib/modules/*/kernel/"$m" modules/ || exit 3
	done
	rm -rf deb
fi

if [ ! -s initramfs.cpio.gz ] || [ "$here/init" -nt initramfs.cpio.gz ]; then
	command -v cpio > /dev/null || { echo "needs cpio (apt-get install cpio)" >&2; exit 3; }
	rm -rf root && mkdir -p root/bin root/proc root/sys root/dev root/lib/modules || exit 3
	cp busybox root/bin/busybox && cp modules/*.ko root/lib/modules/ || exit 3
	cp "$here/init" root/init && chmod +x root/init || exit 3
	for m in $mods; do basename "$m"; done > root/lib/modules/order
	(cd root && find . | cpio -o -H newc --quiet) | gzip -1 > initramfs.cpio.gz || exit 3
	rm -rf root
fi

isolinux=/usr/lib/ISOLINUX/isolinux.bin
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
for f in $isolinux $ldlinux; do
	[ -f "$f" ] || { echo "needs $f (apt-get install isolinux syslinux-common)" >&2; exit 3; }
done
mkdir -p iso/isolinux && cp $isolinux $ldlinux iso/isolinux/ || exit 3
exit 0
