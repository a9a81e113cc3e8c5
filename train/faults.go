package train

// FaultCounts returns the number of fault windows in m's confusion matrix
// (true class not m.Healthy) and how many of them were called healthy:
// MissedFault is missed / faults. Both are 0 when m has no healthy class.
func (m Metrics) FaultCounts() (faults, missed int) {
	h := m.Healthy
	if h < 0 {
		return 0, 0
	}
	for y, row := range m.Confusion {
		if y == h {
			continue
		}
		for _, n := range row {
			faults += n
		}
		if h < len(row) {
			missed += row[h]
		}
	}
	return faults, missed
}
