package loss

// ghmWeights sets w from the gradient norms g: GHM-C weights: bins of width 1/M
// (edges i/M, the last raised by 1e-6 as in the reference code), each
// non-empty bin's count smoothed by the momentum across calls, w_i = N /
// (n·acc_b), n the non-empty bins.
func (s *zooScheme) ghmWeights(w, g []float64) {
	M := s.opt.Bins
	if len(s.acc) != M {
		s.acc = make([]float64, M)
	}
	s.num = grow(s.num, M)
	clear(s.num)
	s.bin = grow(s.bin, len(w))
	for i, gi := range g {
		b := ghmBin(gi, M)
		s.bin[i] = b
		s.num[b]++
	}
	n := 0
	tot := float64(len(w))
	for b, c := range s.num {
		if c == 0 {
			continue
		}
		n++
		if s.opt.Momentum > 0 {
			s.acc[b] = s.opt.Momentum*s.acc[b] + (1-s.opt.Momentum)*c
		} else {
			s.acc[b] = c
		}
	}
	for i := range w {
		w[i] = tot / (s.acc[s.bin[i]] * float64(n))
	}
}

// ghmBin returns the bin b with b/M ≤ g < (b+1)/M (the last bin closed).
func ghmBin(g float64, M int) int {
	b := min(max(int(g*float64(M)), 0), M-1)
	for b > 0 && g < float64(b)/float64(M) {
		b--
	}
	for b < M-1 && g >= float64(b+1)/float64(M) {
		b++
	}
	return b
}
