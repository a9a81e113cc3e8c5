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
