//go:build !purego

package kernel

// asmKernels returns the assembly paths this CPU can run, so that both are
// tested on an AVX-512 machine.
func asmKernels() []kernels {
	var ks []kernels
	if hasAVX512() {
		ks = append(ks, isa512.kernels())
	}
	if hasAVX2() {
		ks = append(ks, isa256.kernels())
	}
	return ks
}
