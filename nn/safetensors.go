package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/ghl-dev/ghl"
)

// This file is a minimal safetensors codec (float32 tensors only). The
// format (https://github.com/huggingface/safetensors) is an 8-byte
// little-endian header length N, N bytes of JSON mapping each tensor name
// to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to
// the data section) plus an optional "__metadata__" string→string map, then
// the raw little-endian data. It is hand-written because it is ~150 lines,
// because the loader must validate every offset and size before allocating
// (it is fuzzed and reads untrusted files), and because the only Go
// implementation has no tagged release.

// tensor is one named float32 tensor in PyTorch (row-major) layout.
type tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

type stEntry struct {
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// maxHeader bounds the JSON header a file may declare.
const maxHeader = 16 << 20

// encodeSafetensors writes tensors (in the given order) and meta to w.
func encodeSafetensors(w io.Writer, tensors []tensor, meta map[string]string) error {
	head := map[string]any{}
	if len(meta) > 0 {
		head["__metadata__"] = meta
	}
	var off int64
	for _, t := range tensors {
		n := int64(len(t.Data)) * 4
		head[t.Name] = stEntry{DType: "F32", Shape: t.Shape, Offsets: [2]int64{off, off + n}}
		off += n
	}
	hj, err := json.Marshal(head)
	if err != nil {
		return err
	}
	// Pad the header with spaces so the data section starts 8-byte aligned.
	for len(hj)%8 != 0 {
		hj = append(hj, ' ')
	}
	buf := make([]byte, 8, 8+len(hj)+int(off))
	binary.LittleEndian.PutUint64(buf, uint64(len(hj)))
	buf = append(buf, hj...)
	for _, t := range tensors {
		buf = appendFloats(buf, t.Data)
	}
	_, err = w.Write(buf)
	return err
}

func appendFloats(b []byte, v []float32) []byte {
	for _, f := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

// decodeSafetensors parses a safetensors file held in data. It returns the
// tensors sorted by data offset, the metadata map and the data section.
// Every error wraps ghl.ErrBadInput.
func decodeSafetensors(data []byte) ([]tensor, map[string]string, []byte, error) {
	bad := func(format string, args ...any) ([]tensor, map[string]string, []byte, error) {
		return nil, nil, nil, fmt.Errorf("%w: safetensors: %s", ghl.ErrBadInput, fmt.Sprintf(format, args...))
	}
	if len(data) < 8 {
		return bad("file of %d bytes is too short for a header (truncated?)", len(data))
	}
	if len(data) > 8 && data[8] != '{' {
		// Every safetensors header is a JSON object: this is another kind
		// of file (a recording given in the model's place, say).
		return bad("not a model file: no safetensors header (the file starts %q)", data[:min(len(data), 16)])
	}
	hn := binary.LittleEndian.Uint64(data)
	if hn > maxHeader || hn > uint64(len(data)-8) {
		return bad("header length %d does not fit in a file of %d bytes (truncated?)", hn, len(data))
	}
	hj, body := data[8:8+hn], data[8+hn:]
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimRight(hj, " "), &raw); err != nil {
		return bad("header: %v", err)
	}
	var meta map[string]string
	var out []tensor
	var spans [][2]int64
	for name, v := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(v, &meta); err != nil {
				return bad("__metadata__: %v", err)
			}
			continue
		}
		var e stEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return bad("tensor %q: %v", name, err)
		}
		if e.DType != "F32" {
			return bad("tensor %q has dtype %q; ghl reads only F32", name, e.DType)
		}
		count := int64(1)
		for _, d := range e.Shape {
			if d < 0 || d > maxDim {
				return bad("tensor %q has dimension %d", name, d)
			}
			count *= int64(d)
			if count*4 > int64(len(body)) {
				return bad("tensor %q of shape %v is larger than the data section (%d bytes; truncated?)", name, e.Shape, len(body))
			}
		}
		b, end := e.Offsets[0], e.Offsets[1]
		if b < 0 || end < b || end > int64(len(body)) {
			return bad("tensor %q has offsets [%d, %d] outside the data section of %d bytes (truncated?)", name, b, end, len(body))
		}
		if end-b != count*4 {
			return bad("tensor %q: %d bytes for shape %v", name, end-b, e.Shape)
		}
		t := tensor{Name: name, Shape: e.Shape, Data: make([]float32, count)}
		for i := range t.Data {
			t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[b+4*int64(i):]))
		}
		out = append(out, t)
		spans = append(spans, e.Offsets)
	}
	// The tensors must tile the data section exactly: no gaps, no overlap,
	// no trailing bytes (the safetensors rule).
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return spans[idx[a]][0] < spans[idx[b]][0] })
	var pos int64
	sorted := make([]tensor, len(out))
	for k, i := range idx {
		if spans[i][0] != pos {
			return bad("tensor %q starts at %d, want %d (gap or overlap)", out[i].Name, spans[i][0], pos)
		}
		pos = spans[i][1]
		sorted[k] = out[i]
	}
	if pos != int64(len(body)) {
		return bad("data section has %d bytes, tensors cover %d", len(body), pos)
	}
	return sorted, meta, body, nil
}
