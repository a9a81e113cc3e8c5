package train

import "math"

// Metrics are the classification results of a model on a set of windows.
// Rates are fractions in [0, 1]; Accuracy is a fraction too (the experiment
// layer reports it in percent, as the paper does).
type Metrics struct {
	Classes   []string  `json:"classes"`
	N         int       `json:"n"`
	Accuracy  float64   `json:"accuracy"`
	MacroF1   float64   `json:"macro_f1"`
	GMean     float64   `json:"g_mean"`
	Recall    []float64 `json:"recall"`
	Precision []float64 `json:"precision"`
	F1        []float64 `json:"f1"`
	// Confusion[i][j] counts windows of true class i predicted as class j.
	Confusion [][]int `json:"confusion"`
	// FalseAlarm is the share of healthy windows (class Healthy) called faulty.
	FalseAlarm float64 `json:"false_alarm_rate"`
	// MissedFault is the share of faulty windows called healthy.
	MissedFault float64 `json:"missed_fault_rate"`
	// Healthy is the label of the healthy class (-1 when there is none).
	Healthy int `json:"healthy_class"`
	// Support counts the true windows of each class: a class with none is
	// absent from this test (its recall is not defined and is reported
	// as 0; tables show "–").
	Support []int `json:"support,omitempty"`
}

// Evaluate computes Metrics from predicted and true labels. healthy is the
// label of the healthy class for the false-alarm and missed-fault rates (-1
// for none). A class with no true windows has recall 0 and is left out of
// the macro averages and the G-mean; a class never predicted has precision 0.
// A prediction outside [0, len(classes)) counts as wrong.
func Evaluate(pred, labels []int, classes []string, healthy int) Metrics {
	c := len(classes)
	m := Metrics{Classes: classes, N: len(labels), Healthy: healthy,
		Support: make([]int, c), Recall: make([]float64, c), Precision: make([]float64, c), F1: make([]float64, c),
		Confusion: make([][]int, c)}
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, c)
	}
	correct := 0
	invalid := make([]int, c) // windows of class y predicted as no class at all
	for i, y := range labels {
		p := pred[i]
		if y < 0 || y >= c {
			continue
		}
		if p < 0 || p >= c {
			invalid[y]++ // a miss: counts against recall, not in the matrix
			continue
		}
		m.Confusion[y][p]++
		if p == y {
			correct++
		}
	}
	if len(labels) > 0 {
		m.Accuracy = float64(correct) / float64(len(labels))
	}
	present, f1sum, logRecall := 0, 0.0, 0.0
	for k := 0; k < c; k++ {
		tp, rowSum, colSum := m.Confusion[k][k], invalid[k], 0
		for j := 0; j < c; j++ {
			rowSum += m.Confusion[k][j]
			colSum += m.Confusion[j][k]
		}
		m.Support[k] = rowSum
		if rowSum > 0 {
			m.Recall[k] = float64(tp) / float64(rowSum)
		}
		if colSum > 0 {
			m.Precision[k] = float64(tp) / float64(colSum)
		}
		if m.Recall[k]+m.Precision[k] > 0 {
			m.F1[k] = 2 * m.Recall[k] * m.Precision[k] / (m.Recall[k] + m.Precision[k])
		}
		if rowSum > 0 {
			present++
			f1sum += m.F1[k]
			logRecall += math.Log(m.Recall[k])
		}
	}
	if present > 0 {
		m.MacroF1 = f1sum / float64(present)
		m.GMean = math.Exp(logRecall / float64(present)) // exp(-Inf) = 0 when a recall is 0
	}
	if healthy >= 0 && healthy < c {
		hTotal, hFlagged, fTotal, fMissed := 0, 0, 0, 0
		for y := 0; y < c; y++ {
			for p := 0; p < c; p++ {
				n := m.Confusion[y][p]
				if y == healthy {
					hTotal += n
					if p != healthy {
						hFlagged += n
					}
				} else {
					fTotal += n
					if p == healthy {
						fMissed += n
					}
				}
			}
		}
		if hTotal > 0 {
			m.FalseAlarm = float64(hFlagged) / float64(hTotal)
		}
		if fTotal > 0 {
			m.MissedFault = float64(fMissed) / float64(fTotal)
		}
	}
	return m
}

// MacroF1 returns the macro-averaged F1 of pred against labels over c
// classes; it is what GHL's annealing factor and early stopping use.
func MacroF1(pred, labels []int, c int) float64 {
	names := make([]string, c)
	return Evaluate(pred, labels, names, -1).MacroF1
}
