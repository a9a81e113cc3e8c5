package recording

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/go-audio/wav"

	"github.com/ghl-dev/ghl"
)

// WAV format codes.
const (
	wavPCM        = 1
	wavFloat      = 3
	wavExtensible = 0xFFFE
)

// decodeWAV reads one channel of a WAV file with github.com/go-audio/wav.
// The library allocates whatever a LIST, smpl or fmt chunk (or a LIST
// entry) claims, so it is given only a rebuilt file of the checked fmt and
// data chunks (splitRIFF); guard turns any panic of it into an error.
func decodeWAV(data []byte, opt Options) (*Recording, error) {
	fmtChunk, samples, format, err := splitRIFF(data)
	if err != nil {
		return nil, err
	}
	dataBytes := len(samples)
	var rec *Recording
	err = guard("WAV", func() error {
		d := wav.NewDecoder(bytes.NewReader(minimalWAV(fmtChunk, samples)))
		d.ReadInfo()
		if err := d.Err(); err != nil || d.NumChans == 0 {
			return badInput("WAV header: no usable fmt chunk (%v)", err)
		}
		bits := int(d.BitDepth)
		scale, err := wavScale(format, bits)
		if err != nil {
			return err
		}
		if d.SampleRate == 0 {
			return badInput("WAV header: sampling rate 0")
		}
		nch := int(d.NumChans)
		if opt.Channel >= nch {
			return fmt.Errorf("%w: channel %d requested, the file has %d (channels are numbered from 0)", ghl.ErrUsage, opt.Channel, nch)
		}
		buf, err := d.FullPCMBuffer()
		if err != nil {
			return badInput("WAV data: %v", err)
		}
		// go-audio reads a data chunk's pad byte as a sample: count frames
		// from the chunk's own size.
		frames := min(len(buf.Data)/nch, dataBytes/(nch*((bits+7)/8)))
		x := make([]float64, frames)
		for i := range x {
			x[i] = scale(buf.Data[i*nch+opt.Channel])
		}
		rate := float64(d.SampleRate)
		rec = &Recording{Variable: fmt.Sprintf("ch%d", opt.Channel), Rate: rate, Stated: []StatedRate{{Hz: rate, Where: "WAV header"}}, Samples: x}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// wavScale returns the conversion of a decoded sample to float64: PCM to
// [-1, 1), IEEE float bits to their value.
func wavScale(format uint16, bits int) (func(int) float64, error) {
	switch {
	case format == wavFloat && bits == 32:
		return func(v int) float64 { return float64(math.Float32frombits(uint32(v))) }, nil
	case format == wavFloat:
		return nil, badInput("%d-bit float WAV is not supported (32-bit float and 8/16/24/32-bit PCM are)", bits)
	case format == wavPCM:
	default:
		return nil, badInput("WAV format code 0x%04x is not supported (PCM or 32-bit float; convert, e.g. with sox in.wav -e signed -b 16 out.wav)", format)
	}
	switch bits {
	case 8:
		return func(v int) float64 { return float64(v-128) / 128 }, nil
	case 16, 24, 32:
		full := float64(int64(1) << (bits - 1))
		return func(v int) float64 { return float64(v) / full }, nil
	}
	return nil, badInput("%d-bit PCM WAV is not supported (8, 16, 24 or 32-bit are)", bits)
}

// splitRIFF walks the RIFF chunks and returns the payloads of the fmt
// chunk and of the data chunk, refusing a chunk before the data that
// claims more bytes than the file holds. The data chunk may claim more
// (streaming writers leave its size unset); only the bytes present are
// returned. format is the sample format code: for WAVE_FORMAT_EXTENSIBLE,
// the code of its SubFormat GUID (go-audio does not read it), so that
// 32-bit float and integer are told apart.
func splitRIFF(data []byte) (fmtChunk, samples []byte, format uint16, err error) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return nil, nil, 0, badInput("not a WAV file (no RIFF/WAVE header)")
	}
	rest := data[12:]
	for len(rest) >= 8 {
		id, size := string(rest[:4]), uint64(binary.LittleEndian.Uint32(rest[4:8]))
		if id == "data" {
			if fmtChunk == nil {
				return nil, nil, 0, badInput("WAV data chunk before any fmt chunk")
			}
			return fmtChunk, rest[8 : 8+min(size, uint64(len(rest)-8))], format, nil
		}
		if size > uint64(len(rest)-8) {
			return nil, nil, 0, badInput("WAV chunk %q claims %d bytes, %d remain", id, size, len(rest)-8)
		}
		if id == "fmt " {
			if size < 16 {
				return nil, nil, 0, badInput("WAV fmt chunk of %d bytes (at least 16 needed)", size)
			}
			fmtChunk = rest[8 : 8+size]
			format = binary.LittleEndian.Uint16(fmtChunk)
			if format == wavExtensible && size >= 26 {
				format = binary.LittleEndian.Uint16(fmtChunk[24:26]) // SubFormat GUID starts at byte 24
			}
		}
		rest = rest[min(8+size+size%2, uint64(len(rest))):]
	}
	return nil, nil, 0, badInput("WAV file has no data chunk")
}

// minimalWAV rebuilds a WAV file of just the first 16 bytes of the fmt
// chunk and the sample data.
func minimalWAV(fmtChunk, samples []byte) []byte {
	b := make([]byte, 0, 44+len(samples))
	b = append(b, "RIFF"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(36+len(samples)))
	b = append(b, "WAVEfmt \x10\x00\x00\x00"...)
	b = append(b, fmtChunk[:16]...)
	b = append(b, "data"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(samples)))
	return append(b, samples...)
}
