# iso.sh: sourced by boot.sh and net.sh. make_iso WORK ASSETS APPEND builds
# WORK/cd.iso: an El Torito no-emulation CD with ISOLINUX that boots ASSETS's kernel
# and initramfs with the command line APPEND (serial console on COM1). Returns
# non-zero, with xorriso's output printed, when the image cannot be made.
make_iso() {
	mkdir -p "$1/iso" && cp -r "$2/iso/isolinux" "$1/iso/" &&
		cp "$2/vmlinuz" "$1/iso/vmlinuz" &&
		cp "$2/initramfs.cpio.gz" "$1/iso/initrd.gz" || return 1
	cat > "$1/iso/isolinux/isolinux.cfg" <<CFG
SERIAL 0 115200
PROMPT 0
DEFAULT linux
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND $3
CFG
	xorriso -as mkisofs -quiet -o "$1/cd.iso" -b isolinux/isolinux.bin \
		-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
		"$1/iso" > "$1/xorriso.txt" 2>&1 || { cat "$1/xorriso.txt"; return 1; }
}
