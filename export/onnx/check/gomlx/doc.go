// Package gomlx runs ghl's exported ONNX graphs in an independent pure-Go
// ONNX runtime, github.com/gomlx/onnx-gomlx on GoMLX's pure-Go backend
// (simplego, no cgo), and compares their logits with ghl's own. It is a
// module of its own so that ghl's go.mod does not carry the runtime and
// its dependencies; only its test does anything. Run it through
// export/onnx/check/run.sh, which writes the fixtures it reads:
//
//	GHL_ONNX_FIXTURES=DIR CGO_ENABLED=0 go test -v .
package gomlx
