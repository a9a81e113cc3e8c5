// Package onnxpb is the Go code protoc generates from the ONNX project's
// onnx.proto (ONNX 1.12.0, IR version 8, as Debian's python3-onnx ships it
// at /usr/lib/python3/dist-packages/onnx/onnx.proto; Apache-2.0), kept
// here unmodified beside the generated code. Regenerate with Debian's
// protobuf-compiler (protoc 3.21.12) and protoc-gen-go v1.36.12:
//
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
//	go generate ./export/onnx/internal/onnxpb
package onnxpb

//go:generate protoc --go_out=. --go_opt=paths=source_relative --go_opt=Monnx.proto=github.com/ghl-dev/ghl/export/onnx/internal/onnxpb;onnxpb onnx.proto
