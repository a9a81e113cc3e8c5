package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/openset"
	"github.com/ghl-dev/ghl/report"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// planFlags are the flags that define a run's trials and its data. Every
// command that works on one run's trials takes them with the same names and
// meanings, so the same flags give the same plan everywhere.
type planFlags struct {
	data, sets, methods, seeds string
	protocol                   string
	load                       int
	quick, noFig3              bool
	df                         dataFlags
}

func (p *planFlags) register(f *pflag.FlagSet) {
	f.StringVar(&p.data, "data", "", "data folder: a CWRU folder or ROOT/<class>/ recordings (default: built-in simulated data)")
	f.StringVar(&p.sets, "sets", "set1,set2", "sample sets, comma-separated (set1, set2, balanced, M/m); separate custom per-class sets with ';' (\"NC=800,*=20;NC=800,*=8\")")
	f.StringVar(&p.methods, "methods", "dcnn,dcnnc,dcnng", "methods, comma-separated (\"zoo\": the published imbalance methods, see --list)")
	f.StringVar(&p.seeds, "seeds", "10", "seeds: a count (10 = 0..9), a range (3-7) or a list (0,4,9); unless given, --quick uses 2 and the simulated data (no --data) 6")
	f.BoolVar(&p.quick, "quick", false, "quick profile: every cell, few iterations (smoke test)")
	f.BoolVar(&p.noFig3, "no-fig3", false, "skip the balanced-set trials and angle logging that Fig. 3 needs")
	f.StringVar(&p.protocol, "protocol", "paper", "protocol: "+strings.Join(experiment.ProtocolNames(), ", ")+", loadN (load-matched sets at N hp) or a FILE.toml of your own (see README, Protocols); --sets, --methods and --seeds override the protocol's")
	f.IntVar(&p.load, "load", -1, "load-matched sets: every class from the recordings at this motor load in hp (same as --protocol loadN; -1: not given)")
	p.df.register(f)
}

// simulatedSeeds is the default seed count on the built-in simulated data:
// the fewest with which the exact paired test (Wilcoxon signed-rank) can
// reach p < 0.05, keeping the main job near 2 minutes on 2 AVX2 cores.
const simulatedSeeds = 6

// runPlan is a run's trials and how to load the data they train on.
type runPlan struct {
	experiment.Plan
	// Cells are the plan's trials in their fixed order.
	Cells []experiment.Cell
	// Data is the data folder ("" for the built-in simulated data).
	Data string
	// Load says how to read Data and cut its sample sets.
	Load experiment.LoadOptions
	// Hash identifies the cells, the data and how it is read
	// (experiment.PlanHash); every trial file of the run stores it.
	Hash string
}

// plan checks the flags of f (registered by register) and expands them
// into the run's trials.
func (p *planFlags) plan(f *pflag.FlagSet) (*runPlan, error) {
	profile := experiment.Full
	if p.quick || p.data == "" {
		profile = experiment.Quick
	}
	lopt, err := p.df.options()
	if err != nil {
		return nil, err
	}
	seedList, err := experiment.ParseSeeds(p.seeds)
	if err != nil {
		return nil, err
	}
	proto, err := p.resolveProtocol(f)
	if err != nil {
		return nil, err
	}
	sets := splitSets(p.sets)
	if !proto.Paper() && !f.Changed("sets") {
		sets = nil // the protocol's own
	}
	methods := experiment.ExpandMethods(experiment.SplitList(p.methods))
	if len(proto.Methods) > 0 && !f.Changed("methods") {
		methods = experiment.ExpandMethods(proto.Methods)
	}
	if proto.Seeds > 0 && !f.Changed("seeds") {
		if seedList, err = experiment.ParseSeeds(fmt.Sprint(proto.Seeds)); err != nil {
			return nil, err
		}
	}
	if !f.Changed("seeds") {
		switch {
		case p.quick:
			seedList = seedList[:min(2, len(seedList))]
		case p.data == "":
			seedList = seedList[:min(simulatedSeeds, len(seedList))]
		}
	}
	plan := experiment.Plan{Sets: sets, Methods: methods, Protocol: proto, Data: p.data,
		Seeds: seedList, Profile: profile, Fig3: !p.noFig3 && proto.Fig3, BalancedSeeds: min(3, len(seedList))}
	cells, err := plan.Cells()
	if err != nil {
		return nil, err
	}
	hash, err := experiment.PlanHash(cells, struct {
		Data     string
		Load     experiment.LoadOptions
		Protocol *experiment.Protocol
	}{p.data, lopt, proto})
	if err != nil {
		return nil, err
	}
	return &runPlan{Plan: plan, Cells: cells, Data: p.data, Load: lopt, Hash: hash}, nil
}

// resolveProtocol returns the protocol --protocol or --load names.
func (p *planFlags) resolveProtocol(f *pflag.FlagSet) (*experiment.Protocol, error) {
	if f.Changed("load") {
		if f.Changed("protocol") {
			return nil, usageError("give --load N or --protocol, not both (--load N is --protocol loadN)")
		}
		return experiment.LoadProtocolFor(p.load)
	}
	return experiment.LookupProtocol(p.protocol)
}

// load reads the plan's data and builds its sample sets, telling stderr
// what the data is.
func (rp *runPlan) load(stderr io.Writer) (*experiment.Loaded, error) {
	if rp.Data == "" {
		fmt.Fprintln(stderr, "no --data given: running on the built-in SIMULATED bearing dataset with the quick profile")
	}
	loaded, err := experiment.LoadProtocol(rp.Data, rp.Plan, rp.Load)
	if err != nil {
		return nil, err
	}
	for _, n := range loaded.Notes {
		fmt.Fprintln(stderr, "data:", n)
	}
	return loaded, nil
}

// runOptions say how trials run on this machine; none changes a result.
type runOptions struct {
	out              string
	workers, threads int
	saveModels       bool
	// load is how the data was read, which saved models' contracts keep.
	load experiment.LoadOptions
	// plan is stored in every trial file written (runPlan.Hash).
	plan string
}

// checkOut refuses an --out that is a file.
func (o runOptions) checkOut() error {
	if st, err := os.Stat(o.out); err == nil && !st.IsDir() {
		return usageError("--out %s is a file, not a folder", o.out)
	}
	return nil
}

// run trains every cell whose trial file in o.out is missing and returns
// the results of all cells, in cell order.
func (o runOptions) run(ctx context.Context, cells []experiment.Cell, loaded *experiment.Loaded, progress io.Writer) ([]*experiment.TrialResult, error) {
	var et experiment.EngineTrainer
	if o.saveModels {
		dir := filepath.Join(o.out, "models")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		et.ModelOut = func(c experiment.Cell, m *nn.Model) error {
			meta := modelMeta(c, loaded, o.load)
			if err := addOpenSet(&meta, m, &loaded.Sets[c.Set].Set, openset.DistanceName, defaultOpenSetRate); err != nil {
				return err
			}
			return nn.Save(filepath.Join(dir, c.Key()+".ghl"), m, meta)
		}
	}
	r := &experiment.Runner{Out: o.out, Sets: loaded.Sets, Trainer: et,
		Workers: o.workers, Threads: o.threads, Progress: progress, Plan: o.plan}
	results, err := r.Run(ctx, cells)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("interrupted; finished trials are kept in %s: rerun the same command to resume", o.out)
		}
		return nil, err
	}
	return results, nil
}

// summarize aggregates a run's results into summary.json's content, its
// leaderboard ranked on rank; the wall time counts from start. With timed
// (the wall time covers training every trial) it measures the machine's
// peak and states the run's efficiency.
func summarize(rp *runPlan, loaded *experiment.Loaded, results []*experiment.TrialResult, start time.Time, timed bool, rank experiment.RankMetric) *experiment.Summary {
	rows, paired := experiment.Aggregate(results)
	s := &experiment.Summary{
		WallSeconds: time.Since(start).Seconds(), Data: loaded.Desc, DataNotes: loaded.Notes,
		Command: "ghl " + strings.Join(os.Args[1:], " "), GoVersion: runtime.Version(),
		Kernel: nn.KernelName(), Profile: string(rp.Profile), PeakRSSBytes: nn.PeakRSS(),
		Protocol: rp.Protocol.Info(), Rows: rows, Paired: paired, Leaderboard: experiment.NewLeaderboardBy(rows, rank),
	}
	for _, r := range results {
		if r != nil {
			s.TrainFLOPs += r.TrainFLOPs
		}
	}
	if timed && s.TrainFLOPs > 0 {
		s.PeakGFLOPS = nn.PeakGFLOPS(2 * time.Second)
		s.Efficiency = s.TrainFLOPs / 1e9 / s.WallSeconds / s.PeakGFLOPS
	}
	return s
}

// writeRunOutputs writes summary.json, table.md and trials.csv into out,
// the table to stdout and, unless noReport, the data figure and
// report.html.
func writeRunOutputs(cmd *cobra.Command, out string, rp *runPlan, loaded *experiment.Loaded, s *experiment.Summary, results []*experiment.TrialResult, noReport bool) error {
	if err := experiment.WriteOutputs(out, s, results); err != nil {
		return err
	}
	fmt.Fprint(cmd.OutOrStdout(), experiment.TableMarkdown(s))
	if noReport {
		return nil
	}
	for _, c := range rp.Cells {
		if ss := loaded.SampleSets[c.Set]; ss != nil {
			f, err := report.WindowsFigure(&ss.Test, ss.Classes, ss.Rate, 2)
			if err == nil {
				err = report.SaveExtra(out, f)
			}
			if err != nil {
				return fmt.Errorf("data figure: %w", err)
			}
			break
		}
	}
	p, err := writeReport(out)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if p != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "report:", p)
	}
	return nil
}

// writeReport writes RESULTS_DIR/report.html and returns its path.
func writeReport(dir string) (string, error) { return report.Write(dir) }

// splitSets splits --sets: on ';' when the value holds ';' or '=' (custom
// per-class sets hold commas themselves), else on commas.
func splitSets(s string) []string {
	sep := ","
	if strings.ContainsAny(s, ";=") {
		sep = ";"
	}
	var out []string
	for _, f := range strings.Split(s, sep) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
