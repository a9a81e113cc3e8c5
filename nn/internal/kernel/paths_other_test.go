//go:build purego || !amd64

package kernel

func asmKernels() []kernels { return nil }
