// Package report turns the results of ghl runs into figures and one
// self-contained HTML report.
//
// Figures are drawn with gonum.org/v1/plot and returned as *Figure values
// that render to PNG or SVG: the paper's Fig. 2 (ThresholdFigure) and
// Fig. 3 (AngleFigure), learning curves (LearningFigure), accuracy per
// method and set as mean ± std over seeds (AccuracyFigure), confusion
// matrices as heatmaps (ConfusionFigure) and a look at the data: raw
// windows and their magnitude spectra per class (WindowsFigure).
//
// Write reads a results directory written by ghl reproduce (trials/*.json,
// summary.json, optional ablation.json or ablation.md, and figures saved
// with SaveExtra into figures-extra/, such as the data figure that only the
// producer of the results can draw) and writes report.html: the Table III comparison with the paper's numbers beside
// ours, paired comparisons, per-class results, every figure, the ablation
// tables and the exact command and versions. The page is one file with the
// figures inlined as PNG data: URIs, no scripts, no external style sheets
// and no network fetches, so it can be mailed or archived as is. It is
// written atomically (temporary file, fsync, rename) and works on partial
// results: whatever is missing is said on the page, never filled in.
//
// ablation.json is a list of tables of preformatted cells (see Ablation),
// so that any sweep can be reported without this package knowing its
// columns; ablation.md may hold the same as Markdown headings, paragraphs
// and pipe tables, rendered by a small escaping converter rather than a
// Markdown library (that subset is all it needs).
//
// The report's test fixtures (internal/fixture) are random numbers drawn
// in the tests, never hand-typed results that could pass for
// measurements. browsertest/run.sh loads a fixture report in headless
// Chromium and fails on console messages, page errors and images that did
// not render.
package report
