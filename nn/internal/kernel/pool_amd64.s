//go:build !purego

#include "textflag.h"

// Hand-written (short, not worth the generator): the AVX-512 max pooling
// of pool.go for c a multiple of 16, one 16-channel group per register.

// KEY turns the float bits in z into their order-preserving int32 key (and
// back): z ^= (z >> 31) & 0x7fffffff, with Z21 = 0x7fffffff and tmp scratch.
#define KEY(z, tmp) \
	VPSRAD $31, z, tmp \
	VPANDD Z21, tmp, tmp \
	VPXORD tmp, z, z

// func maxPoolFwd512(y *float32, arg *uint8, x *float32, wout int, c int, s int, floor int32)
TEXT ·maxPoolFwd512(SB), NOSPLIT, $0-52
	MOVQ y+0(FP), DI
	MOVQ arg+8(FP), R10
	MOVQ x+16(FP), SI
	MOVQ wout+24(FP), R8
	MOVQ c+32(FP), R9
	MOVQ s+40(FP), R11
	MOVL floor+48(FP), AX
	VPBROADCASTD AX, Z20
	MOVL $0x7fffffff, AX
	VPBROADCASTD AX, Z21
	MOVL $1, AX
	VPBROADCASTD AX, Z22
	MOVL $255, AX
	VPBROADCASTD AX, Z23
	MOVQ R9, R12
	SHLQ $2, R12 // row stride in bytes
	MOVQ R9, R13
	SHRQ $4, R13 // 16-channel groups
	MOVQ R12, R14
	IMULQ R11, R14 // window stride in bytes
fwd_t:
	MOVQ SI, BX
	MOVQ R13, CX
fwd_g:
	MOVQ BX, DX
	VMOVDQU32 (DX), Z0
	KEY(Z0, Z4)
	VPXORD Z1, Z1, Z1 // argmax
	VPXORD Z2, Z2, Z2 // j
	MOVQ R11, R15
	DECQ R15
	JZ fwd_jdone
fwd_j:
	ADDQ R12, DX
	VPADDD Z22, Z2, Z2
	VMOVDQU32 (DX), Z3
	KEY(Z3, Z4)
	VPCMPGTD Z0, Z3, K1 // key > max
	VMOVDQA32 Z2, K1, Z1
	VPMAXSD Z3, Z0, Z0
	DECQ R15
	JNZ fwd_j
fwd_jdone:
	VPCMPGTD Z20, Z0, K2 // max > floor
	KNOTW K2, K3
	VMOVDQA32 Z23, K3, Z1
	VPMAXSD Z20, Z0, Z0
	KEY(Z0, Z4)
	VMOVDQU32 Z0, (DI)
	TESTQ R10, R10
	JZ fwd_noarg
	VPMOVDB Z1, (R10)
	ADDQ $16, R10
fwd_noarg:
	ADDQ $64, DI
	ADDQ $64, BX
	DECQ CX
	JNZ fwd_g
	ADDQ R14, SI
	DECQ R8
	JNZ fwd_t
	VZEROUPPER
	RET

// func maxPoolBwd512(dx *float32, dy *float32, arg *uint8, wout int, c int, s int)
TEXT ·maxPoolBwd512(SB), NOSPLIT, $0-48
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ arg+16(FP), R10
	MOVQ wout+24(FP), R8
	MOVQ c+32(FP), R9
	MOVQ s+40(FP), R11
	MOVL $1, AX
	VPBROADCASTD AX, Z22
	MOVQ R9, R12
	SHLQ $2, R12
	MOVQ R9, R13
	SHRQ $4, R13
	MOVQ R12, R14
	IMULQ R11, R14
bwd_t:
	MOVQ DI, BX
	MOVQ R13, CX
bwd_g:
	MOVQ BX, DX
	VPMOVZXBD (R10), Z1
	VMOVDQU32 (SI), Z0
	VPXORD Z2, Z2, Z2
	MOVQ R11, R15
bwd_j:
	VPCMPEQD Z2, Z1, K1
	VMOVDQU32.Z Z0, K1, Z3
	VMOVDQU32 Z3, (DX)
	ADDQ R12, DX
	VPADDD Z22, Z2, Z2
	DECQ R15
	JNZ bwd_j
	ADDQ $16, R10
	ADDQ $64, SI
	ADDQ $64, BX
	DECQ CX
	JNZ bwd_g
	ADDQ R14, DI
	DECQ R8
	JNZ bwd_t
	VZEROUPPER
	RET

// KEY256 is KEY on 8 lanes, with Y15 = 0x7fffffff.
#define KEY256(z, tmp) \
	VPSRAD $31, z, tmp \
	VPAND Y15, tmp, tmp \
	VPXOR tmp, z, z

// func maxPoolFwd256(y *float32, arg *uint8, x *float32, wout int, c int, s int, floor int32)
TEXT ·maxPoolFwd256(SB), NOSPLIT, $0-52
	MOVQ y+0(FP), DI
	MOVQ arg+8(FP), R10
	MOVQ x+16(FP), SI
	MOVQ wout+24(FP), R8
	MOVQ c+32(FP), R9
	MOVQ s+40(FP), R11
	MOVL floor+48(FP), AX
	MOVL AX, X13
	VPBROADCASTD X13, Y13
	MOVL $0x7fffffff, AX
	MOVL AX, X15
	VPBROADCASTD X15, Y15
	MOVL $1, AX
	MOVL AX, X14
	VPBROADCASTD X14, Y14
	MOVL $255, AX
	MOVL AX, X12
	VPBROADCASTD X12, Y12
	MOVQ R9, R12
	SHLQ $2, R12
	MOVQ R9, R13
	SHRQ $3, R13 // 8-channel groups
	MOVQ R12, R14
	IMULQ R11, R14
f256_t:
	MOVQ SI, BX
	MOVQ R13, CX
f256_g:
	MOVQ BX, DX
	VMOVDQU (DX), Y0
	KEY256(Y0, Y4)
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	MOVQ R11, R15
	DECQ R15
	JZ f256_jdone
f256_j:
	ADDQ R12, DX
	VPADDD Y14, Y2, Y2
	VMOVDQU (DX), Y3
	KEY256(Y3, Y4)
	VPCMPGTD Y0, Y3, Y5 // key > max
	VPBLENDVB Y5, Y2, Y1, Y1
	VPMAXSD Y3, Y0, Y0
	DECQ R15
	JNZ f256_j
f256_jdone:
	VPCMPGTD Y13, Y0, Y5 // max > floor
	VPBLENDVB Y5, Y1, Y12, Y1
	VPMAXSD Y13, Y0, Y0
	KEY256(Y0, Y4)
	VMOVDQU Y0, (DI)
	TESTQ R10, R10
	JZ f256_noarg
	VEXTRACTI128 $1, Y1, X6
	VPACKUSDW X6, X1, X7
	VPACKUSWB X7, X7, X7
	MOVQ X7, (R10)
	ADDQ $8, R10
f256_noarg:
	ADDQ $32, DI
	ADDQ $32, BX
	DECQ CX
	JNZ f256_g
	ADDQ R14, SI
	DECQ R8
	JNZ f256_t
	VZEROUPPER
	RET

// func maxPoolBwd256(dx *float32, dy *float32, arg *uint8, wout int, c int, s int)
TEXT ·maxPoolBwd256(SB), NOSPLIT, $0-48
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ arg+16(FP), R10
	MOVQ wout+24(FP), R8
	MOVQ c+32(FP), R9
	MOVQ s+40(FP), R11
	MOVL $1, AX
	MOVL AX, X14
	VPBROADCASTD X14, Y14
	MOVQ R9, R12
	SHLQ $2, R12
	MOVQ R9, R13
	SHRQ $3, R13
	MOVQ R12, R14
	IMULQ R11, R14
b256_t:
	MOVQ DI, BX
	MOVQ R13, CX
b256_g:
	MOVQ BX, DX
	VPMOVZXBD (R10), Y1
	VMOVDQU (SI), Y0
	VPXOR Y2, Y2, Y2
	MOVQ R11, R15
b256_j:
	VPCMPEQD Y2, Y1, Y5
	VPAND Y0, Y5, Y3
	VMOVDQU Y3, (DX)
	ADDQ R12, DX
	VPADDD Y14, Y2, Y2
	DECQ R15
	JNZ b256_j
	ADDQ $8, R10
	ADDQ $32, SI
	ADDQ $32, BX
	DECQ CX
	JNZ b256_g
	ADDQ R14, DI
	DECQ R8
	JNZ b256_t
	VZEROUPPER
	RET
