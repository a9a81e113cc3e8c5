package synth

import "testing"

// BenchmarkCorpus measures simulating the default corpus: 12 recordings of
// 10 s at 12 kHz (1.44 million samples).
func BenchmarkCorpus(b *testing.B) {
	for b.Loop() {
		if _, err := Corpus(Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
