#!/bin/sh
# linux-assets.sh DIR: puts Debian's kernel (DIR/vmlinuz, from the package
# linux-image-amd64) and a busybox-static initramfs (DIR/initramfs.cpio.gz) in DIR,
# fetching at test time (nothing is committed).  Reuses what DIR already holds.
# The init script prints "tandem-init: reached init" on the console and reboots; with
# reboot=k the kernel pulses the keyboard controller's reset line, which ends a
# direct-boot run of tandem with status 0.
# Exits 0 with the files in place, or 3 with one line on stderr saying what is missing.
set -u
dir=$1
mkdir -p "$dir" || exit 3
cd "$dir" || exit 3

if [ ! -s vmlinuz ]; then
	rm -rf deb && mkdir deb && cd deb || exit 3
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	      sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
	if [ -z "$pkg" ] || ! apt-get download "$pkg" > ../apt.log 2>&1; then
		echo "cannot download linux-image-amd64 with apt-get (see $dir/apt.log)" >&2
		exit 3
	fi
	dpkg-deb --fsys-tarfile ./*.deb | tar -x --wildcards './boot/vmlinuz-*' || exit 3
	mv boot/vmlinuz-* ../vmlinuz && cd .. && rm -rf deb
fi

if [ ! -s initramfs.cpio.gz ]; then
	bb=$(command -v busybox)
	if [ -z "$bb" ] || ! file -L "$bb" 2>/dev/null | grep -q "statically linked"; then
		bb=/bin/busybox
		[ -x "$bb" ] && file -L "$bb" | grep -q "statically linked" || bb=""
	fi
	if [ -z "$bb" ] || ! command -v cpio > /dev/null; then
		echo "needs busybox-static and cpio (apt-get install busybox-static cpio)" >&2
		exit 3
	fi
	rm -rf root && mkdir -p root/bin root/proc root/dev root/sys || exit 3
	cp "$bb" root/bin/busybox
	cat > root/init <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo "tandem-init: reached init after $(/bin/busybox cut -d' ' -f1 /proc/uptime) s of guest uptime"
/bin/busybox reboot -f
INIT
	chmod +x root/init
	(cd root && find . | cpio -o -H newc --quiet) | gzip -1 > initramfs.cpio.gz || exit 3
	rm -rf root
fi
exit 0
