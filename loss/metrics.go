package loss

// MacroF1 returns the macro-averaged F1 score of predicted labels pred
// against true labels, over the classes in [0, C) that occur in labels (a
// class that is never true is left out, as in package train). Labels or
// predictions outside [0, C) count as wrong. It is the γ source of Eq. 13;
// an empty input gives 0.
func MacroF1(pred, labels []int, C int) float64 {
	if C < 1 || len(pred) != len(labels) {
		return 0
	}
	tp := make([]int, 3*C)
	fp, fn := tp[C:2*C], tp[2*C:]
	for i, y := range labels {
		p := pred[i]
		switch {
		case y >= 0 && y < C && p == y:
			tp[y]++
		default:
			if y >= 0 && y < C {
				fn[y]++
			}
			if p >= 0 && p < C {
				fp[p]++
			}
		}
	}
	sum, present := 0.0, 0
	for c := 0; c < C; c++ {
		if tp[c]+fn[c] == 0 {
			continue
		}
		present++
		if d := 2*tp[c] + fp[c] + fn[c]; d > 0 {
			sum += 2 * float64(tp[c]) / float64(d)
		}
	}
	if present == 0 {
		return 0
	}
	return sum / float64(present)
}
