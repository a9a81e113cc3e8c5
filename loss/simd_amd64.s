//go:build !purego

#include "textflag.h"

// func countRow(xi *float64, xt *float64, ldt, ng, C int, limit float64, colcnt *int64) int64
TEXT ·countRow(SB), NOSPLIT, $0-64
	MOVQ xi+0(FP), SI
	MOVQ xt+8(FP), DI
	MOVQ ldt+16(FP), R8
	SHLQ $3, R8              // row stride of the tile in bytes
	MOVQ ng+24(FP), CX
	MOVQ C+32(FP), R9
	VBROADCASTSD limit+40(FP), Y15
	MOVQ colcnt+48(FP), DX
	VPXOR Y14, Y14, Y14      // per-lane hit counts of the row

loop4:
	CMPQ CX, $4
	JL   loop1
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ R9, R12

k4:
	VBROADCASTSD (R10), Y4
	VFMADD231PD (R11), Y4, Y0
	VFMADD231PD 32(R11), Y4, Y1
	VFMADD231PD 64(R11), Y4, Y2
	VFMADD231PD 96(R11), Y4, Y3
	ADDQ $8, R10
	ADDQ R8, R11
	DECQ R12
	JNZ  k4

	// mask lanes = all ones (−1) where dot ≥ limit (predicate 13: GE_OS)
	VCMPPD $13, Y15, Y0, Y0
	VCMPPD $13, Y15, Y1, Y1
	VCMPPD $13, Y15, Y2, Y2
	VCMPPD $13, Y15, Y3, Y3
	VPSUBQ Y0, Y14, Y14
	VPSUBQ Y1, Y14, Y14
	VPSUBQ Y2, Y14, Y14
	VPSUBQ Y3, Y14, Y14
	VMOVDQU (DX), Y5
	VPSUBQ  Y0, Y5, Y5
	VMOVDQU Y5, (DX)
	VMOVDQU 32(DX), Y6
	VPSUBQ  Y1, Y6, Y6
	VMOVDQU Y6, 32(DX)
	VMOVDQU 64(DX), Y7
	VPSUBQ  Y2, Y7, Y7
	VMOVDQU Y7, 64(DX)
	VMOVDQU 96(DX), Y8
	VPSUBQ  Y3, Y8, Y8
	VMOVDQU Y8, 96(DX)
	ADDQ $128, DI
	ADDQ $128, DX
	SUBQ $4, CX
	JMP  loop4

loop1:
	TESTQ CX, CX
	JZ    done
	VXORPD Y0, Y0, Y0
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ R9, R12

k1:
	VBROADCASTSD (R10), Y4
	VFMADD231PD (R11), Y4, Y0
	ADDQ $8, R10
	ADDQ R8, R11
	DECQ R12
	JNZ  k1

	VCMPPD $13, Y15, Y0, Y0
	VPSUBQ Y0, Y14, Y14
	VMOVDQU (DX), Y5
	VPSUBQ  Y0, Y5, Y5
	VMOVDQU Y5, (DX)
	ADDQ $32, DI
	ADDQ $32, DX
	DECQ CX
	JMP  loop1

done:
	VEXTRACTI128 $1, Y14, X5
	VPADDQ X5, X14, X14
	VPSHUFD $0x4E, X14, X5
	VPADDQ X5, X14, X14
	VMOVQ X14, AX
	VZEROUPPER
	MOVQ AX, ret+56(FP)
	RET


DATA acosc7<>+0(SB)/8, $-0.0012624911
DATA acosc7<>+8(SB)/8, $-0.0012624911
DATA acosc7<>+16(SB)/8, $-0.0012624911
DATA acosc7<>+24(SB)/8, $-0.0012624911
GLOBL acosc7<>(SB), RODATA|NOPTR, $32
DATA acosc6<>+0(SB)/8, $0.0066700901
DATA acosc6<>+8(SB)/8, $0.0066700901
DATA acosc6<>+16(SB)/8, $0.0066700901
DATA acosc6<>+24(SB)/8, $0.0066700901
GLOBL acosc6<>(SB), RODATA|NOPTR, $32
DATA acosc5<>+0(SB)/8, $-0.0170881256
DATA acosc5<>+8(SB)/8, $-0.0170881256
DATA acosc5<>+16(SB)/8, $-0.0170881256
DATA acosc5<>+24(SB)/8, $-0.0170881256
GLOBL acosc5<>(SB), RODATA|NOPTR, $32
DATA acosc4<>+0(SB)/8, $0.0308918810
DATA acosc4<>+8(SB)/8, $0.0308918810
DATA acosc4<>+16(SB)/8, $0.0308918810
DATA acosc4<>+24(SB)/8, $0.0308918810
GLOBL acosc4<>(SB), RODATA|NOPTR, $32
DATA acosc3<>+0(SB)/8, $-0.0501743046
DATA acosc3<>+8(SB)/8, $-0.0501743046
DATA acosc3<>+16(SB)/8, $-0.0501743046
DATA acosc3<>+24(SB)/8, $-0.0501743046
GLOBL acosc3<>(SB), RODATA|NOPTR, $32
DATA acosc2<>+0(SB)/8, $0.0889789874
DATA acosc2<>+8(SB)/8, $0.0889789874
DATA acosc2<>+16(SB)/8, $0.0889789874
DATA acosc2<>+24(SB)/8, $0.0889789874
GLOBL acosc2<>(SB), RODATA|NOPTR, $32
DATA acosc1<>+0(SB)/8, $-0.2145988016
DATA acosc1<>+8(SB)/8, $-0.2145988016
DATA acosc1<>+16(SB)/8, $-0.2145988016
DATA acosc1<>+24(SB)/8, $-0.2145988016
GLOBL acosc1<>(SB), RODATA|NOPTR, $32
DATA acosc0<>+0(SB)/8, $1.5707963050
DATA acosc0<>+8(SB)/8, $1.5707963050
DATA acosc0<>+16(SB)/8, $1.5707963050
DATA acosc0<>+24(SB)/8, $1.5707963050
GLOBL acosc0<>(SB), RODATA|NOPTR, $32
DATA acosone<>+0(SB)/8, $1.0
DATA acosone<>+8(SB)/8, $1.0
DATA acosone<>+16(SB)/8, $1.0
DATA acosone<>+24(SB)/8, $1.0
GLOBL acosone<>(SB), RODATA|NOPTR, $32
DATA acospi<>+0(SB)/8, $3.141592653589793
DATA acospi<>+8(SB)/8, $3.141592653589793
DATA acospi<>+16(SB)/8, $3.141592653589793
DATA acospi<>+24(SB)/8, $3.141592653589793
GLOBL acospi<>(SB), RODATA|NOPTR, $32
DATA acosabs<>+0(SB)/8, $0x7fffffffffffffff
DATA acosabs<>+8(SB)/8, $0x7fffffffffffffff
DATA acosabs<>+16(SB)/8, $0x7fffffffffffffff
DATA acosabs<>+24(SB)/8, $0x7fffffffffffffff
GLOBL acosabs<>(SB), RODATA|NOPTR, $32

// ACOSACC adds fastAcos of the four dot products in D to Y14, using T1-T3:
// r = sqrt(1 − min(|d|, 1))·p(min(|d|, 1)), and π − r where d's sign bit
// is set.
#define ACOSACC(D, T1, T2, T3) \
	VANDPD acosabs<>(SB), D, T1; \
	VMINPD acosone<>(SB), T1, T1; \
	VMOVUPD acosc7<>(SB), T2; \
	VFMADD213PD acosc6<>(SB), T1, T2; \
	VFMADD213PD acosc5<>(SB), T1, T2; \
	VFMADD213PD acosc4<>(SB), T1, T2; \
	VFMADD213PD acosc3<>(SB), T1, T2; \
	VFMADD213PD acosc2<>(SB), T1, T2; \
	VFMADD213PD acosc1<>(SB), T1, T2; \
	VFMADD213PD acosc0<>(SB), T1, T2; \
	VMOVUPD acosone<>(SB), T3; \
	VSUBPD T1, T3, T3; \
	VSQRTPD T3, T3; \
	VMULPD T2, T3, T3; \
	VMOVUPD acospi<>(SB), T1; \
	VSUBPD T3, T1, T1; \
	VBLENDVPD D, T1, T3, T3; \
	VADDPD T3, Y14, Y14

// func acosSumRow(xi *float64, xt *float64, ldt, ng, C int) float64
// Σ arccos(xi·column) over ng groups of four columns of a transposed tile,
// with fastAcos's polynomial (the sign bit of the dot picks π − r).
TEXT ·acosSumRow(SB), NOSPLIT, $0-48
	MOVQ xi+0(FP), SI
	MOVQ xt+8(FP), DI
	MOVQ ldt+16(FP), R8
	SHLQ $3, R8
	MOVQ ng+24(FP), CX
	MOVQ C+32(FP), R9
	VXORPD Y14, Y14, Y14

aloop2:
	CMPQ CX, $2
	JL   aloop1
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ R9, R12

ak2:
	VBROADCASTSD (R10), Y4
	VFMADD231PD (R11), Y4, Y0
	VFMADD231PD 32(R11), Y4, Y1
	ADDQ $8, R10
	ADDQ R8, R11
	DECQ R12
	JNZ  ak2

	ACOSACC(Y0, Y5, Y6, Y7)
	ACOSACC(Y1, Y8, Y9, Y10)
	ADDQ $64, DI
	SUBQ $2, CX
	JMP  aloop2

aloop1:
	TESTQ CX, CX
	JZ    adone
	VXORPD Y0, Y0, Y0
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ R9, R12

ak1:
	VBROADCASTSD (R10), Y4
	VFMADD231PD (R11), Y4, Y0
	ADDQ $8, R10
	ADDQ R8, R11
	DECQ R12
	JNZ  ak1

	ACOSACC(Y0, Y5, Y6, Y7)

adone:
	VEXTRACTF128 $1, Y14, X5
	VADDPD X5, X14, X14
	VPERMILPD $1, X14, X5
	VADDSD X5, X14, X14
	VZEROUPPER
	MOVSD X14, ret+40(FP)
	RET
