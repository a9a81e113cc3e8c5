package experiment

import "github.com/ghl-dev/ghl/train"

// TrialResult is the outcome of one trial: one method trained on one sample
// set with one seed. It is written as one JSON file per trial.
type TrialResult struct {
	Set     string   `json:"set"`
	Method  string   `json:"method"`
	Seed    int      `json:"seed"`
	Classes []string `json:"classes"`
	// Test holds the metrics on the test windows.
	Test train.Metrics `json:"test"`
	// Val holds the metrics on the validation block at the chosen iteration.
	Val train.Metrics `json:"val"`
	// BestIter is the iteration whose weights were kept (early stopping).
	BestIter int `json:"best_iter"`
	// Iterations is how many iterations ran.
	Iterations int `json:"iterations"`
	// Log has one entry per iteration (per epoch for mini-batch training).
	Log []train.IterLog `json:"log"`
	// Options are the trial's settings as name → value strings.
	Options map[string]string `json:"options"`
	// WallSeconds is the trial's wall time.
	WallSeconds float64 `json:"wall_seconds"`
}

// Row aggregates the trials of one (set, method) cell of Table III.
// Accuracy and macro-F1 are in percent, as in the paper.
type Row struct {
	Set          string  `json:"set"`
	Method       string  `json:"method"`
	Trials       int     `json:"trials"`
	AccuracyMean float64 `json:"accuracy_mean"`
	AccuracyStd  float64 `json:"accuracy_std"`
	MacroF1Mean  float64 `json:"macro_f1_mean"`
	MacroF1Std   float64 `json:"macro_f1_std"`
	// ValMacroF1Mean is the mean validation macro-F1 (percent) at the kept
	// iteration: the figure every choice of settings is made on.
	ValMacroF1Mean float64   `json:"val_macro_f1_mean"`
	GMeanMean      float64   `json:"g_mean_mean"`
	Classes        []string  `json:"classes"`
	RecallMean     []float64 `json:"recall_mean"`
	FalseAlarmMean float64   `json:"false_alarm_mean"`
	MissedMean     float64   `json:"missed_fault_mean"`
	// Seeds lists the seeds aggregated, in order.
	Seeds []int `json:"seeds"`
	// Accuracies lists each seed's accuracy in percent, in Seeds order.
	Accuracies []float64 `json:"accuracies"`
}

// Paired compares two methods on one set across the seeds both ran.
type Paired struct {
	Set      string  `json:"set"`
	A        string  `json:"a"`
	B        string  `json:"b"`
	Pairs    int     `json:"pairs"`
	MeanDiff float64 `json:"mean_diff"` // mean of accuracy(A) − accuracy(B), percent
	// PValue is the exact two-sided Wilcoxon signed-rank p-value.
	PValue float64 `json:"p_value"`
}

// Summary is summary.json: the aggregated results of a ghl reproduce run.
type Summary struct {
	// WallSeconds is the wall time of the invocation that wrote the
	// summary: a run that resumed finished trials counts only the trials it
	// ran (each trial's own time is in its file and in trials.csv).
	WallSeconds  float64  `json:"wall_seconds"`
	Data         string   `json:"data"`
	DataNotes    []string `json:"data_notes,omitempty"`
	Command      string   `json:"command"`
	GoVersion    string   `json:"go_version"`
	Kernel       string   `json:"kernel"`
	Profile      string   `json:"profile"`
	PeakRSSBytes int64    `json:"peak_rss_bytes"`
	Rows         []Row    `json:"rows"`
	Paired       []Paired `json:"paired,omitempty"`
}
