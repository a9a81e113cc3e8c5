//go:build !purego

package kernel

func asmKernels() []kernels { return nil }
