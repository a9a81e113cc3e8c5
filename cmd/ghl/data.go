package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/dataset/cwru"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/spf13/cobra"
)

// newDataCmd returns "ghl data" with its subcommands inspect and fetch.
func newDataCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Inspect datasets and sample sets; download the CWRU files",
		Long: `Work with the data ghl trains on.

  ghl data inspect [DIR]     show the recordings of a dataset and how a sample set cuts them
  ghl data fetch cwru DIR    download the CWRU files of the paper's protocol`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDataInspectCmd(), newDataFetchCmd())
	return cmd
}

// inspectFlags are the options of "ghl data inspect": the data flags that
// train and reproduce take, plus the set and the output form.
type inspectFlags struct {
	set  string
	json bool
	dataFlags
}

func newDataInspectCmd() *cobra.Command {
	var f inspectFlags
	cmd := &cobra.Command{
		Use:   "inspect [DIR]",
		Short: "Show a dataset's recordings and how a sample set splits them",
		Long: `Inspect reads a dataset and cuts it into a sample set, without training.

DIR is a CWRU folder (recognised by its file numbers: 97.mat, 132.mat, ...; the
paper's 12 classes, NC from whichever of 97/98/99.mat are present) or a user
folder ROOT/<class>/*.{mat,csv,npy,wav} (class names from the folder names,
healthy names such as NC or normal first, then by name). Without DIR, the
built-in simulated bearing dataset (--synth-seed, default 1) is used.

Every recording is resampled to --rate and, unless --no-lowpass, filtered once
by the same low-pass (flat to the resampler's passband edge, 4800 Hz at
12 kHz), so no class is recognisable by its acquisition chain. Each recording
is split in time: test windows from the end, a validation block before them,
a gap of one window, training windows from the start (spread evenly,
overlapping only when needed to reach the count; the stride is shown).

The text output has a table per recording (class, file, variable, points,
rate, seconds, non-overlapping windows available), a table per class for the
set (training windows, stride, overlap, validation and test windows,
recordings) and notes (which normal recordings were used, resampling).
--json prints the same as one JSON object.

Sample sets (--set): set1 (first class 3200 training windows, every other
class 64), set2 (3200/16), balanced (16 each), M/m (first class M, others m)
or CLASS=n,... ("*=n" for the classes not named); each with 16 validation and
9 test windows per class.

A user recording's sampling rate is, in this order: --input-rate, the number in
ROOT/<class>/rate.txt or ROOT/rate.txt, what the file states (WAV header; a
.mat scalar named as a sampling rate: fs, sr, sample_rate, SamplingRate…,
never 'rate'), the CWRU catalog for a CWRU file; the "rate from" column says
which. A rate not given explicitly that makes a recording implausible (below
1000 Hz, or longer than a day) is an error.

DIR may also be a windowed dataset: a .mat, .npy or .npz file holding an
N × L matrix of windows and a vector of N labels (--windows, --labels,
--class-names). Each class's windows are joined in file order as one recording
and split in time like any recording.`,
		Example: `  ghl data inspect ../shared/data/cwru --set set1
  ghl data inspect ../shared/data/cwru --set set2 --json
  ghl data inspect                      # the built-in simulated dataset
  ghl data inspect mydata --input-rate 48828 --set 500/20
  ghl data inspect windows.npz --class-names NC,IR,OR --set 200/50`,
		Args: argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := ""
			if len(args) == 1 {
				dir = args[0]
			}
			return runInspect(cmd.OutOrStdout(), dir, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.set, "set", "set1", "sample set: set1, set2, balanced, M/m or CLASS=n,...")
	fl.BoolVar(&f.json, "json", false, "print JSON instead of tables")
	f.register(fl)
	return cmd
}

// inspectJSON is the JSON document of "ghl data inspect --json". The field
// names are a contract other tools check.
type inspectJSON struct {
	Set        string                    `json:"set"`
	Corpus     string                    `json:"corpus"`
	Dir        string                    `json:"dir,omitempty"`
	Window     int                       `json:"window"`
	RateHz     float64                   `json:"rate_hz"`
	Norm       string                    `json:"norm"`
	Classes    []dataset.ClassLayout     `json:"classes"`
	Recordings []dataset.RecordingLayout `json:"recordings"`
	Totals     map[string]int            `json:"totals"`
	Notes      []string                  `json:"notes"`
}

// runInspect loads dir (the simulator when ""), builds the set and writes
// the report to w in one piece, so an error leaves no partial output.
func runInspect(w io.Writer, dir string, f inspectFlags) error {
	spec, err := dataset.ParseSet(f.set)
	if err != nil {
		return err
	}
	opt, err := f.options()
	if err != nil {
		return err
	}
	c, _, err := experiment.LoadCorpus(dir, opt)
	if err != nil {
		return err
	}
	s, err := dataset.Build(c, spec, opt.Build)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if f.json {
		doc := inspectJSON{Set: s.Name, Corpus: c.Name, Dir: dir, Window: s.Window, RateHz: s.Rate, Norm: s.Norm,
			Classes: s.PerClass, Recordings: s.Recordings, Notes: s.Notes,
			Totals: map[string]int{"train": s.Train.Len(), "val": s.Val.Len(), "test": s.Test.Len()}}
		if doc.Notes == nil {
			doc.Notes = []string{}
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return err
		}
	} else {
		writeInspectText(&buf, c, dir, s)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// writeInspectText writes the tables of "ghl data inspect".
func writeInspectText(w io.Writer, c *dataset.Corpus, dir string, s *dataset.SampleSet) {
	where := c.Name
	if dir != "" {
		where += " (" + dir + ")"
	}
	fmt.Fprintf(w, "dataset %s: %d classes, %d recordings; windows of %d points at %g Hz, %s normalisation\n\n",
		where, len(s.Classes), len(s.Recordings), s.Window, s.Rate, s.Norm)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "class\tfile\tvariable\tpoints\trate Hz\tseconds\twindows@%d\trate from\t\n", s.Window)
	for _, r := range s.Recordings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%g\t%.2f\t%d\t%s\t\n", r.Class, r.File, r.Variable, r.Points, r.RateHz,
			float64(r.Points)/r.RateHz, r.Available, r.RateFrom)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nset %s:\n", s.Name)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\ttrain\tstride\toverlap\tval\ttest\trecordings\t")
	for _, cl := range s.PerClass {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t\n", cl.Class, cl.Train, cl.Stride, cl.Overlap, cl.Val, cl.Test,
			strings.Join(cl.Recordings, ","))
	}
	fmt.Fprintf(tw, "total\t%d\t\t\t%d\t%d\t\t\n", s.Train.Len(), s.Val.Len(), s.Test.Len())
	tw.Flush()
	if len(s.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range s.Notes {
			fmt.Fprintln(w, "  -", n)
		}
	}
}

func newDataFetchCmd() *cobra.Command {
	var baseURL, files string
	cmd := &cobra.Command{
		Use:   "fetch cwru DIR",
		Short: "Download the CWRU bearing files of the paper's protocol",
		Long: `Fetch downloads CWRU Bearing Data Center files into DIR (created if needed).

File N is fetched from BASE-URL/N.mat (default ` + cwru.DefaultBaseURL + `).
By default the paper's files are fetched: the normal baseline 97, 98, 99
(48 kHz) and the eleven 2 hp drive-end fault files (12 kHz). Each download is
checked against the catalogued checksum (sha256, or the git-blob SHA-1 of the
public mirror), written to N.mat.part, fsynced and renamed into place; an
interrupted download resumes from the .part file (HTTP Range) on the next run,
files already present and valid are skipped, and a checksum mismatch deletes
the download and fails. Progress goes to stderr.`,
		Example: `  ghl data fetch cwru data/cwru
  ghl data fetch cwru data/cwru --files 97,98,99,100
  ghl data fetch cwru data/cwru --base-url http://mirror.example/cwru/`,
		Args: argsUsage(func(cmd *cobra.Command, args []string) error {
			if err := cobra.ExactArgs(2)(cmd, args); err != nil {
				return err
			}
			if args[0] != "cwru" {
				return fmt.Errorf("unknown dataset %q: only cwru can be fetched", args[0])
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := cwru.ParseNumbers(files)
			if err != nil {
				return err
			}
			errw := cmd.ErrOrStderr()
			return cwru.Fetch(cmd.Context(), args[1], baseURL, list, func(p cwru.Progress) {
				switch p.Event {
				case "bytes":
					if p.Total > 0 {
						fmt.Fprintf(errw, "%s: %.1f of %.1f MiB\n", p.File, mib(p.Bytes), mib(p.Total))
					} else {
						fmt.Fprintf(errw, "%s: %.1f MiB\n", p.File, mib(p.Bytes))
					}
				case "present":
					fmt.Fprintf(errw, "%s: present and valid, skipped\n", p.File)
				case "resume":
					fmt.Fprintf(errw, "%s: resuming at %.1f MiB\n", p.File, mib(p.Bytes))
				case "unverified":
					fmt.Fprintf(errw, "%s: done (%.1f MiB; no catalogued checksum to verify)\n", p.File, mib(p.Bytes))
				case "done":
					fmt.Fprintf(errw, "%s: done, checksum verified (%.1f MiB)\n", p.File, mib(p.Bytes))
				default:
					fmt.Fprintf(errw, "%s: %s\n", p.File, p.Event)
				}
			})
		},
	}
	cmd.Flags().StringVar(&baseURL, "base-url", cwru.DefaultBaseURL, "where file N is BASE-URL/N.mat")
	cmd.Flags().StringVar(&files, "files", "paper", "comma-separated file numbers, \"paper\" (97-99 and the 2 hp faults) or \"all\" (the whole catalog)")
	return cmd
}

// mib converts bytes to MiB.
func mib(n int64) float64 { return float64(n) / (1 << 20) }
