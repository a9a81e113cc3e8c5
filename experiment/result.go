package experiment

import "github.com/ghl-dev/ghl/train"

// TrialResult is the outcome of one trial: one method trained on one sample
// set with one seed. It is written as one JSON file per trial.
type TrialResult struct {
	// Protocol names the trial's protocol ("paper" for Table III; empty in
	// results written before protocols existed, which are the paper's).
	Protocol string `json:"protocol,omitempty"`
	// Set is the cell within the protocol: the sample set trained on.
	Set string `json:"set"`
	// Axis and Level place the trial's own test on the protocol's axis
	// ("minority" "64"; "snr_db" "∞"); empty for the paper's sets.
	Axis    string   `json:"axis,omitempty"`
	Level   string   `json:"level,omitempty"`
	Method  string   `json:"method"`
	Seed    int      `json:"seed"`
	Classes []string `json:"classes"`
	// Test holds the metrics on the test windows.
	Test train.Metrics `json:"test"`
	// Val holds the metrics on the validation block at the chosen iteration.
	Val train.Metrics `json:"val"`
	// ValShift holds the chosen weights' metrics on the validation block
	// under train.DefaultValShift's fixed condition shift (absent in
	// results written before it existed).
	ValShift *train.Metrics `json:"val_shift,omitempty"`
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
	// GHLActiveFraction is the share of training steps in which GHL acted
	// on the majority class (T_c > 0 and at least one GD_i > 1; per epoch
	// in Log[i].GHL); absent for schemes without thresholds.
	GHLActiveFraction *float64 `json:"ghl_active_fraction,omitempty"`
	// Evals are the further tests of the trial's model (cross-load
	// targets, noisy test windows), one table row each.
	Evals []EvalResult `json:"evals,omitempty"`
	// Plan identifies the plan the trial was run under (Runner.Plan; empty
	// in files written before it existed): a cluster task refuses to mix a
	// trial of another plan into a run.
	Plan string `json:"plan,omitempty"`
	// TrainFLOPs counts the floating-point operations of the trial's
	// training steps (train.Result.TrainFLOPs).
	TrainFLOPs float64 `json:"train_flops,omitempty"`
}

// EvalResult is a further test of a trial's model.
type EvalResult struct {
	// Name is the row it belongs to ("set1@0hp→2hp", "set1 snr=-4dB").
	Name  string `json:"name"`
	Axis  string `json:"axis,omitempty"`
	Level string `json:"level,omitempty"`
	// Test holds the metrics; classes absent from this test have support 0.
	Test train.Metrics `json:"test"`
}

// Row aggregates the trials of one (set, method) cell of Table III.
// Accuracy and macro-F1 are in percent, as in the paper.
type Row struct {
	// Protocol names the row's protocol; (Protocol, Set) is one cell of a
	// leaderboard.
	Protocol string `json:"protocol,omitempty"`
	// Set is the row's name within the protocol: the sample set, or the
	// further test ("set1@0hp→2hp", "set1 snr=-4dB").
	Set string `json:"set"`
	// Trained is the cell the row's models were trained on when it differs
	// from Set (a further test of them).
	Trained string `json:"trained,omitempty"`
	// Axis and Level place the row on the protocol's axis.
	Axis         string  `json:"axis,omitempty"`
	Level        string  `json:"level,omitempty"`
	Method       string  `json:"method"`
	Trials       int     `json:"trials"`
	AccuracyMean float64 `json:"accuracy_mean"`
	AccuracyStd  float64 `json:"accuracy_std"`
	MacroF1Mean  float64 `json:"macro_f1_mean"`
	MacroF1Std   float64 `json:"macro_f1_std"`
	// ValMacroF1Mean is the mean validation macro-F1 (percent) at the kept
	// iteration: the figure every choice of settings is made on.
	ValMacroF1Mean float64 `json:"val_macro_f1_mean"`
	// ValShiftMacroF1Mean is the mean shifted-validation macro-F1 (percent,
	// TrialResult.ValShift): the source-only criterion for choosing between
	// recipes whose validation scores saturate; nil when a trial lacks it.
	ValShiftMacroF1Mean *float64  `json:"val_shift_macro_f1_mean,omitempty"`
	GMeanMean           float64   `json:"g_mean_mean"`
	Classes             []string  `json:"classes"`
	RecallMean          []float64 `json:"recall_mean"`
	FalseAlarmMean      float64   `json:"false_alarm_mean"`
	MissedMean          float64   `json:"missed_fault_mean"`
	// Seeds lists the seeds aggregated, in order.
	Seeds []int `json:"seeds"`
	// Accuracies lists each seed's accuracy in percent, in Seeds order.
	Accuracies []float64 `json:"accuracies"`
	// TestWindows is the number of test windows each trial was scored on
	// (0 when the trials disagree or it is unknown).
	TestWindows int `json:"test_windows,omitempty"`
	// Correct lists each seed's number of correctly classified test
	// windows, in Seeds order: the resolution the paired tests work on.
	Correct []int `json:"correct,omitempty"`
	// MacroF1s lists each seed's test macro-F1 in percent, in Seeds order
	// (absent in summaries written before leaderboards ranked on it).
	MacroF1s []float64 `json:"macro_f1s,omitempty"`
	// FaultWindows is the number of test windows of a fault class each
	// trial was scored on (0 when the trials disagree, the test has no
	// healthy class, or it is unknown), and Missed each seed's number of
	// them called healthy, in Seeds order: the missed-fault rate in whole
	// windows, which the leaderboard's paired tests on it use.
	FaultWindows int   `json:"fault_windows,omitempty"`
	Missed       []int `json:"missed,omitempty"`
	// GHLActiveFraction is the mean over trials of TrialResult's
	// GHLActiveFraction, and MajorityGDMean the mean majority-class GD over
	// every logged iteration of every trial (GHL schemes only).
	GHLActiveFraction *float64 `json:"ghl_active_fraction,omitempty"`
	MajorityGDMean    *float64 `json:"majority_gd_mean,omitempty"`
	// MinorityRecallMean is the mean recall of the classes after the first
	// (the minority classes of the named sets) present in the test.
	MinorityRecallMean float64 `json:"minority_recall_mean"`
	// Absent lists the classes with no test window in this row's test: their
	// RecallMean is 0 and means nothing (tables show "–"); macro-F1 is over
	// the classes present.
	Absent []string `json:"absent_classes,omitempty"`
}

// Paired compares two methods on one set across the seeds both ran.
type Paired struct {
	Protocol string  `json:"protocol,omitempty"`
	Set      string  `json:"set"`
	A        string  `json:"a"`
	B        string  `json:"b"`
	Pairs    int     `json:"pairs"`
	MeanDiff float64 `json:"mean_diff"` // mean of accuracy(A) − accuracy(B), percent
	// PValue is the two-sided Wilcoxon signed-rank p-value of the per-seed
	// differences in correctly classified test windows (zeros dropped,
	// average ranks for ties, exact up to ExactMaxPairs non-zero pairs; see
	// WilcoxonTest).
	PValue float64 `json:"p_value"`
	// PExact says whether PValue is exact (false: normal approximation).
	PExact bool `json:"p_exact"`
	// PHolm is PValue adjusted by Holm's method over every paired
	// comparison of the same summary.
	PHolm float64 `json:"p_holm"`
	// WindowDiffs are the per-seed differences in correctly classified test
	// windows, A − B, in seed order: the test's input.
	WindowDiffs []int `json:"window_diffs,omitempty"`
	// TestWindows is the number of test windows per trial.
	TestWindows int `json:"test_windows,omitempty"`
	// Wins, Ties and Losses count the seeds where A classified more, as
	// many or fewer test windows correctly than B.
	Wins   int `json:"wins"`
	Ties   int `json:"ties"`
	Losses int `json:"losses"`
	// MedianDiff is the median per-seed accuracy difference, percent.
	MedianDiff float64 `json:"median_diff"`
	// CI95 is the 95 % percentile bootstrap interval of MeanDiff (percent):
	// BootstrapResamples resamples of whole pairs, generator seeded with
	// BootstrapSeed.
	CI95 [2]float64 `json:"mean_diff_ci95"`
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
	// Protocol describes the run's protocol.
	Protocol *ProtocolInfo `json:"protocol,omitempty"`
	Rows     []Row         `json:"rows"`
	Paired   []Paired      `json:"paired,omitempty"`
	// TrainFLOPs sums the trials' training FLOPs.
	TrainFLOPs float64 `json:"train_flops,omitempty"`
	// PeakGFLOPS is the machine's float32 FMA peak on the kernel path in
	// use, measured after the run (nn.PeakGFLOPS), and Efficiency is
	// TrainFLOPs / WallSeconds / peak: the share of the machine's peak the
	// whole run (data loading, evaluation and writing included) turned into
	// training. Both are left out when WallSeconds does not cover every
	// trial (a resumed run, ghl aggregate).
	PeakGFLOPS float64 `json:"peak_gflops,omitempty"`
	Efficiency float64 `json:"efficiency,omitempty"`
	// Leaderboard ranks the methods across cells (runs of three or more
	// methods; see NewLeaderboard).
	Leaderboard *Leaderboard `json:"leaderboard,omitempty"`
}

// ProtocolInfo describes a run's protocol in summary.json.
type ProtocolInfo struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	About  string `json:"about"`
	Source string `json:"source"`
}
