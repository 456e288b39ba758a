; hw_cdaudio: CD audio on the ATAPI CD-ROM (secondary master), on a BIN/CUE disc that
; hw_cdaudio_img.py writes at test time: track 1 MODE1/2352 data (LBA 0-19), track 2
; AUDIO (INDEX 00 at 20, INDEX 01 at 30; 40 frames of a 1000 Hz sine), track 3 AUDIO
; in a second BIN after a 15-frame PREGAP (INDEX 01 at 85; 60 frames of 500 Hz),
; lead-out 145. Checks READ TOC formats 0 (LBA, and MSF from track 2), 1 and 2, READ
; CAPACITY, READ(10) of a raw data frame (sync/header stripped) and its refusal on an
; audio track (05h/64h), READ CD of an audio frame (samples as recorded) and of a raw
; data frame (sync, BCD header), READ CD with the wrong sector type; then PLAY AUDIO
; MSF of track 2 polled with READ SUB-CHANNEL (status 11h, track 2, index 1, absolute
; and relative positions rising) until 13h "completed" at frame 69, then 15h; PLAY
; AUDIO(10) of track 3 with PAUSE (12h, position frozen over three timer ticks,
; absolute and relative MSF), RESUME (11h) and STOP PLAY/SCAN (15h); PAUSE without a
; play (05h/2Ch); PLAY of a data frame (05h/64h) and past the lead-out (05h/21h);
; a play from the pregap (track 3, index 0, relative -10); a READ(10) ends a play.
; SB16 mixer: master and CD at 0 dB for track 2, CD at -14 dB for track 3.
; hw_cdaudio_wav.py then checks the capture: 1000 Hz for 40 frames at full level,
; then 500 Hz at -14 dB.
; expect-status: 1
; expect-debugcon: hw_cdaudio.debugcon
; guest-cue: hw_cdaudio_img.py
; expect-wav-check: hw_cdaudio_wav.py
; tandem-args: --sound sb16
; oracle: none
%include "lib.inc"

IDE	equ	0x170
IDE_CTL	equ	0x376
BUF	equ	0x9000
SBMIX	equ	0x224

main:
	PRINT	"hw_cdaudio", 10
	mov	dx, IDE_CTL		; no interrupts: this guest polls
	mov	al, 0x02
	out	dx, al
	mov	dx, IDE + 6
	mov	al, 0xa0
	out	dx, al
	mov	byte [tries], 3
.tur:	mov	si, cdb_tur
	call	packet
	CHECK	nc, 1
	test	byte [st], 0x01
	jz	.ready
	dec	byte [tries]
	jnz	.tur
	FAIL	2
.ready:
	mov	ax, 0xf830		; master and CD at 0 dB
	call	mixer
	mov	al, 0x31
	call	mixer
	mov	al, 0x36
	call	mixer
	mov	al, 0x37
	call	mixer

	; --- TOC -------------------------------------------------------------
	mov	si, cdb_toc0
	mov	di, want_toc0
	mov	cx, 36
	call	expect
	CHECK	e, 3
	mov	si, cdb_toc0msf
	mov	di, want_toc0msf
	mov	cx, 28
	call	expect
	CHECK	e, 4
	mov	si, cdb_toc1
	mov	di, want_toc1
	mov	cx, 12
	call	expect
	CHECK	e, 5
	mov	si, cdb_toc2
	mov	di, want_toc2
	mov	cx, 70
	call	expect
	CHECK	e, 6
	mov	si, cdb_capacity
	mov	di, want_capacity
	mov	cx, 8
	call	expect
	CHECK	e, 7
	PRINT	"toc ok", 10

	; --- data reads --------------------------------------------------------
	mov	si, cdb_read5
	call	ok_packet
	CHECK	e, 8
	cmp	word [got], 2048
	CHECK	e, 9
	mov	si, BUF
	mov	di, tag
	mov	cx, 8
	repe	cmpsb
	CHECK	e, 10
	cmp	word [BUF + 8], 5 + 44 * 256	; frame 5; (5 * 7 + 9) & 255
	CHECK	e, 11
	cmp	byte [BUF + 2047], 34		; (5 * 7 + 2047) & 255
	CHECK	e, 12
	mov	si, cdb_read30
	call	packet
	mov	ax, 0x6405
	call	expect_sense
	CHECK	e, 13
	mov	si, cdb_read1		; frame 1 holds audio frame 40's first bytes
	call	ok_packet
	CHECK	e, 14
	mov	si, BUF + 16
	mov	di, want_audio
	mov	cx, 8
	rep	movsw
	mov	si, cdb_readcd40
	call	ok_packet
	CHECK	e, 15
	cmp	word [got], 2352
	CHECK	e, 16
	mov	si, BUF
	mov	di, want_audio
	mov	cx, 16
	repe	cmpsb
	CHECK	e, 17
	mov	si, cdb_readcd2
	call	ok_packet
	CHECK	e, 18
	cmp	word [got], 2352
	CHECK	e, 19
	mov	si, BUF
	mov	di, want_raw2
	mov	cx, 24
	repe	cmpsb
	CHECK	e, 20
	mov	si, cdb_readcd2da
	call	packet
	mov	ax, 0x6405
	call	expect_sense
	CHECK	e, 21
	PRINT	"data reads ok", 10

	; --- track 2, played to its end ------------------------------------------
	call	subq
	cmp	byte [q_status], 0x15
	CHECK	e, 22
	mov	si, cdb_play_msf
	call	ok_packet
	CHECK	e, 23
	mov	word [polls], 0
	mov	word [last], 30
.poll2:	call	subq
	CHECK	nc, 24
	cmp	byte [q_status], 0x13
	je	.done2
	cmp	byte [q_status], 0x11
	CHECK	e, 25
	cmp	word [q_track], 0x0201	; track 2, index 1
	CHECK	e, 26
	mov	ax, [q_abs]
	cmp	ax, [last]
	CHECK	ae, 27
	mov	[last], ax
	cmp	ax, 70
	CHECK	b, 28
	sub	ax, 30
	cmp	ax, [q_rel]
	CHECK	e, 29
	inc	word [polls]
	cmp	word [polls], 200
	CHECK	b, 30
	sti
	hlt
	jmp	.poll2
.done2:	cmp	word [polls], 5		; 40 frames: about 10 timer ticks
	CHECK	ae, 31
	cmp	word [q_abs], 69
	CHECK	e, 32
	call	subq
	cmp	byte [q_status], 0x15	; "completed" is reported once
	CHECK	e, 33
	cmp	word [q_abs], 69
	CHECK	e, 34
	PRINT	"play to the end ok", 10

	; --- track 3: pause, resume, stop ----------------------------------------
	mov	ax, 0xc036		; CD at -14 dB
	call	mixer
	mov	al, 0x37
	call	mixer
	mov	si, cdb_play85
	call	ok_packet
	CHECK	e, 35
.poll3:	call	subq
	cmp	byte [q_status], 0x11
	CHECK	e, 36
	cmp	word [q_track], 0x0301
	CHECK	e, 37
	sti
	hlt
	cmp	word [q_abs], 95
	jb	.poll3
	mov	si, cdb_pause
	call	ok_packet
	CHECK	e, 38
	call	subq
	cmp	byte [q_status], 0x12
	CHECK	e, 39
	mov	ax, [q_abs]
	mov	[last], ax
	mov	cx, 3
.idle:	sti
	hlt
	loop	.idle
	call	subq
	cmp	byte [q_status], 0x12
	CHECK	e, 40
	mov	ax, [q_abs]
	cmp	ax, [last]
	CHECK	e, 41
	mov	si, cdb_subq_msf	; absolute MSF = (P + 150) / 75, % 75
	call	ok_packet
	CHECK	e, 42
	mov	ax, [last]
	add	ax, 150
	mov	bl, 75
	div	bl
	cmp	word [BUF + 8], 0
	CHECK	e, 43
	cmp	ax, [BUF + 10]		; seconds low, frames high
	CHECK	e, 44
	mov	ax, [last]
	sub	ax, 85			; relative MSF: P - 85 (under a second)
	xchg	al, ah
	cmp	word [BUF + 12], 0
	CHECK	e, 45
	cmp	ax, [BUF + 14]
	CHECK	e, 46
	mov	si, cdb_resume
	call	ok_packet
	CHECK	e, 47
	call	subq
	cmp	byte [q_status], 0x11
	CHECK	e, 48
.poll4:	sti
	hlt
	call	subq
	cmp	byte [q_status], 0x11
	CHECK	e, 49
	cmp	word [q_abs], 110
	jb	.poll4
	mov	si, cdb_stop
	call	ok_packet
	CHECK	e, 50
	call	subq
	cmp	byte [q_status], 0x15
	CHECK	e, 51
	mov	si, cdb_pause
	call	packet
	mov	ax, 0x2c05
	call	expect_sense
	CHECK	e, 52
	PRINT	"pause resume stop ok", 10

	; --- refusals, the pregap, a read ending a play --------------------------
	mov	si, cdb_play5
	call	packet
	mov	ax, 0x6405
	call	expect_sense
	CHECK	e, 53
	mov	si, cdb_play140
	call	packet
	mov	ax, 0x2105
	call	expect_sense
	CHECK	e, 54
	mov	si, cdb_play75
	call	ok_packet
	CHECK	e, 55
	call	subq
	cmp	byte [q_status], 0x11
	CHECK	e, 56
	cmp	word [q_track], 0x0300	; track 3, index 0
	CHECK	e, 57
	cmp	word [q_rel], -10
	CHECK	e, 58
	cmp	word [BUF + 12], 0xffff
	CHECK	e, 59
	mov	si, cdb_read5
	call	ok_packet
	CHECK	e, 60
	call	subq
	cmp	byte [q_status], 0x15
	CHECK	e, 61
	PRINT	"pregap and refusals ok", 10
	jmp	pass

; mixer: AL = SB16 mixer register, AH = value.
mixer:
	mov	dx, SBMIX
	out	dx, al
	inc	dx
	xchg	al, ah
	out	dx, al
	xchg	al, ah
	ret

; expect: packet SI must succeed and return the CX bytes at DI exactly; ZF.
expect:
	push	di
	push	cx
	call	ok_packet
	pop	cx
	pop	di
	jne	.r
	cmp	[got], cx
	jne	.r
	mov	si, BUF
	repe	cmpsb
	je	.r
	mov	si, BUF			; show what came
	mov	cx, [got]
.d:	lodsb
	call	puthex8
	loop	.d
	call	nl
	or	sp, sp			; ZF = 0
.r:	ret

; ok_packet: packet SI; ZF when it completed without error.
ok_packet:
	call	packet
	jc	.no
	test	byte [st], 0x01
	ret
.no:	or	sp, sp
	ret

; expect_sense: the last packet failed with sense key AL and ASC AH; ZF.
expect_sense:
	test	byte [st], 0x01
	jz	.r
	push	ax
	mov	si, cdb_sense
	call	packet
	pop	ax
	cmp	al, [BUF + 2]
	jne	.r
	cmp	ah, [BUF + 12]
.r:	ret

; subq: READ SUB-CHANNEL (current position, LBA) into q_status, q_track/q_index,
; q_abs and q_rel (low words); CF on timeout.
subq:
	mov	si, cdb_subq
	call	packet
	jc	.r
	mov	al, [BUF + 1]
	mov	[q_status], al
	mov	ax, [BUF + 6]
	xchg	al, ah
	mov	[q_track], ax
	mov	ax, [BUF + 10]
	xchg	al, ah
	mov	[q_abs], ax
	mov	ax, [BUF + 14]
	xchg	al, ah
	mov	[q_rel], ax
	clc
.r:	ret

%include "atapi.inc"
polls		dw	0
last		dw	0
q_status	db	0
		db	0
q_track		dw	0		; track number high, index low (after the swap)
q_abs		dw	0
q_rel		dw	0
tag		db	"TANDEMCD"
want_audio	times 16 db 0

cdb_tur		db	0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
cdb_sense	db	0x03, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0
cdb_capacity	db	0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
cdb_toc0	db	0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0
cdb_toc0msf	db	0x43, 2, 0, 0, 0, 0, 2, 0, 100, 0, 0, 0
cdb_toc1	db	0x43, 0, 1, 0, 0, 0, 0, 0, 100, 0, 0, 0
cdb_toc2	db	0x43, 0, 2, 0, 0, 0, 1, 0, 100, 0, 0, 0
cdb_read5	db	0x28, 0, 0, 0, 0, 5, 0, 0, 1, 0, 0, 0
cdb_read1	db	0x28, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0
cdb_read30	db	0x28, 0, 0, 0, 0, 30, 0, 0, 1, 0, 0, 0
cdb_readcd40	db	0xbe, 1 << 2, 0, 0, 0, 40, 0, 0, 1, 0x10, 0, 0
cdb_readcd2	db	0xbe, 0, 0, 0, 0, 2, 0, 0, 1, 0xf8, 0, 0
cdb_readcd2da	db	0xbe, 1 << 2, 0, 0, 0, 2, 0, 0, 1, 0x10, 0, 0
cdb_subq	db	0x42, 0, 0x40, 1, 0, 0, 0, 0, 16, 0, 0, 0
cdb_subq_msf	db	0x42, 2, 0x40, 1, 0, 0, 0, 0, 16, 0, 0, 0
cdb_play_msf	db	0x47, 0, 0, 0, 2, 30, 0, 2, 70, 0, 0, 0
cdb_play85	db	0x45, 0, 0, 0, 0, 85, 0, 0, 60, 0, 0, 0
cdb_play5	db	0x45, 0, 0, 0, 0, 5, 0, 0, 10, 0, 0, 0
cdb_play140	db	0x45, 0, 0, 0, 0, 140, 0, 0, 10, 0, 0, 0
cdb_play75	db	0x45, 0, 0, 0, 0, 75, 0, 0, 20, 0, 0, 0
cdb_pause	db	0x4b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
cdb_resume	db	0x4b, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0
cdb_stop	db	0x4e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

want_toc0	db	0, 34, 1, 3
		db	0, 0x14, 1, 0, 0, 0, 0, 0
		db	0, 0x10, 2, 0, 0, 0, 0, 30
		db	0, 0x10, 3, 0, 0, 0, 0, 85
		db	0, 0x10, 0xaa, 0, 0, 0, 0, 145
want_toc0msf	db	0, 26, 1, 3
		db	0, 0x10, 2, 0, 0, 0, 2, 30
		db	0, 0x10, 3, 0, 0, 0, 3, 10
		db	0, 0x10, 0xaa, 0, 0, 0, 3, 70
want_toc1	db	0, 10, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0
want_toc2	db	0, 68, 1, 1
		db	1, 0x14, 0, 0xa0, 0, 0, 0, 0, 1, 0, 0
		db	1, 0x10, 0, 0xa1, 0, 0, 0, 0, 3, 0, 0
		db	1, 0x10, 0, 0xa2, 0, 0, 0, 0, 0, 3, 70
		db	1, 0x14, 0, 1, 0, 0, 0, 0, 0, 2, 0
		db	1, 0x10, 0, 2, 0, 0, 0, 0, 0, 2, 30
		db	1, 0x10, 0, 3, 0, 0, 0, 0, 0, 3, 10
want_capacity	db	0, 0, 0, 144, 0, 0, 8, 0
want_raw2	db	0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0
		db	0x00, 0x02, 0x02, 1
		db	"TANDEMCD"

%include "tail.inc"
