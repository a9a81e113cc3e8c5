package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/internal/atomicfile"
	"github.com/ghl-dev/ghl/train"
	"gonum.org/v1/plot/vg"
)

//go:embed report.html.tmpl
var pageSource string

// pageTemplate is the report page; html/template escapes every value.
var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":  func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) },
	"f2":   func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) },
	"p":    func(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) },
	"sgn":  func(v float64) string { return fmt.Sprintf("%+.2f", v) },
	"secs": func(v float64) string { return fmt.Sprintf("%.0f s (%.1f min)", v, v/60) },
	"mib":  func(v int64) string { return fmt.Sprintf("%.0f MiB", float64(v)/(1<<20)) },
	"low":  func(v float64) bool { return v < 0.95 },
	"absent": func(r experiment.Row, i int) bool {
		return i < len(r.Classes) && slices.Contains(r.Absent, r.Classes[i])
	},
	"healthy": func(m train.Metrics) string {
		if m.Healthy < 0 || m.Healthy >= len(m.Recall) {
			return "—"
		}
		return strconv.FormatFloat(m.Recall[m.Healthy], 'f', 2, 64)
	},
}).Parse(pageSource))

// paperTableIII holds the paper's Table III: test accuracy mean ± std (%)
// over trials, by set and paper method (DCNN, DCNNC, DCNNG).
var paperTableIII = map[string]map[string][2]float64{
	"set1": {"dcnn": {88.83, 5.78}, "dcnnc": {88.45, 5.46}, "dcnng": {95.28, 2.51}},
	"set2": {"dcnn": {70.36, 8.59}, "dcnnc": {76.21, 7.07}, "dcnng": {81.84, 3.98}},
}

// paperMethod names the paper's method each of our recipes is a variant
// of, so that each is set beside the paper's number for that method.
var paperMethod = map[string]string{"dcnn": "dcnn", "dcnn-mse": "dcnn", "dcnnc": "dcnnc", "dcnnc-full": "dcnnc",
	"dcnng": "dcnng", "dcnng-paper": "dcnng"}

// Write reads the results directory dir (see Load) and writes
// dir/report.html, returning its path.
func Write(dir string) (string, error) {
	path := filepath.Join(dir, "report.html")
	return path, WriteFile(dir, path)
}

// WriteFile reads the results directory dir and writes the report to the
// file out, atomically: a temporary file in out's directory, synced and
// renamed, so that no partial report is ever left behind.
func WriteFile(dir, out string) error {
	r, err := Load(dir)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := Render(&b, r); err != nil {
		return err
	}
	return atomicfile.WriteFile(out, b.Bytes())
}

// Render writes the HTML report for r to w.
func Render(w io.Writer, r *Results) error {
	figs, figNotes := Figures(r)
	pg := page{Results: r, Notes: append(append([]string(nil), r.Notes...), figNotes...)}
	for _, e := range r.Extras { // PNGs at dpi: shown at 96 pixels per inch
		pg.Figures = append(pg.Figures, pageFigure{Name: "extra-" + e.Name, Title: e.Title, Caption: e.Caption,
			Src:   template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(e.PNG)),
			Width: e.Width * 96 / dpi, Height: e.Height * 96 / dpi})
	}
	for _, f := range figs {
		png, err := f.PNG()
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		pg.Figures = append(pg.Figures, pageFigure{Name: f.Name, Title: f.Title, Caption: f.Caption,
			Src:   template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
			Width: int(f.Width/vg.Inch*96 + 0.5), Height: int(f.Height/vg.Inch*96 + 0.5)})
	}
	methods := experiment.DefaultMethods(experiment.Full)
	for _, row := range r.Rows {
		tr := tableRow{Row: row, Note: methods[row.Method].About, Paper: "—"}
		if pv, ok := paperTableIII[row.Set][paperMethod[row.Method]]; ok {
			tr.Paper = fmt.Sprintf("%.2f ± %.2f", pv[0], pv[1])
		}
		pg.Table = append(pg.Table, tr)
	}
	pg.Recall = recallTables(r.Rows)
	if s := r.Summary; s != nil && s.Protocol != nil && s.Protocol.Name != "paper" {
		pg.ProtocolMD = markdownHTML(experiment.TableMarkdown(s))
	}
	pg.AblationMD = markdownHTML(r.AblationMarkdown)
	pg.LeaderboardMD = markdownHTML(r.LeaderboardMarkdown)
	if err := pageTemplate.Execute(w, pg); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// page is the data of the report template.
type page struct {
	*Results
	Notes      []string
	Table      []tableRow
	Recall     []recallTable
	Figures    []pageFigure
	AblationMD template.HTML
	// ProtocolMD is the protocol's table (table.md) for runs of a protocol
	// other than the paper's, shown instead of Table III.
	ProtocolMD template.HTML
	// LeaderboardMD is leaderboard.md rendered ("" when absent).
	LeaderboardMD template.HTML
}

// tableRow is one row of the Table III comparison.
type tableRow struct {
	experiment.Row
	Note  string
	Paper string
}

// recallTable is the per-class mean recall of every method on one set.
type recallTable struct {
	Set     string
	Classes []string
	Rows    []experiment.Row
}

// pageFigure is one figure inlined in the page.
type pageFigure struct {
	Name, Title, Caption string
	Src                  template.URL
	Width, Height        int
}

// recallTables groups rows by set, for rows with per-class recalls.
func recallTables(rows []experiment.Row) []recallTable {
	var out []recallTable
	for _, row := range rows {
		if len(row.RecallMean) == 0 || len(row.RecallMean) != len(row.Classes) {
			continue
		}
		k := len(out) - 1
		if k < 0 || out[k].Set != row.Set || len(out[k].Classes) != len(row.Classes) {
			out = append(out, recallTable{Set: row.Set, Classes: row.Classes})
			k++
		}
		out[k].Rows = append(out[k].Rows, row)
	}
	return out
}

// markdownHTML renders the small subset of Markdown that ablation.md uses:
// '#' headings, pipe tables and paragraphs. Everything is escaped; no
// Markdown library is needed for so little, and none then sits between
// user text and the page.
func markdownHTML(md string) template.HTML {
	if strings.TrimSpace(md) == "" {
		return ""
	}
	var b strings.Builder
	esc := template.HTMLEscapeString
	cells := func(line string) []string {
		line = strings.TrimSpace(line)
		line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
		parts := strings.Split(line, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	isRule := func(line string) bool {
		return strings.Trim(strings.TrimSpace(line), "|-: ") == "" && strings.Contains(line, "-")
	}
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			level := min(len(line)-len(strings.TrimLeft(line, "#"))+2, 6)
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", level, esc(strings.TrimSpace(strings.TrimLeft(line, "#"))), level)
		case strings.HasPrefix(line, "|"):
			b.WriteString("<table>\n")
			head := true
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				if isRule(lines[i]) {
					head = false
					continue
				}
				tag := "td"
				if head && i+1 < len(lines) && isRule(lines[i+1]) {
					tag = "th"
				}
				b.WriteString("<tr>")
				for _, c := range cells(lines[i]) {
					fmt.Fprintf(&b, "<%s>%s</%s>", tag, esc(c), tag)
				}
				b.WriteString("</tr>\n")
			}
			i--
			b.WriteString("</table>\n")
		default:
			fmt.Fprintf(&b, "<p>%s</p>\n", esc(line))
		}
	}
	return template.HTML(b.String())
}
