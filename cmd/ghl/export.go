package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/ghl-dev/ghl/export/onnx"
	"github.com/ghl-dev/ghl/nn"
	"github.com/spf13/cobra"
)

// newExportCmd returns "ghl export": a model file as an ONNX graph.
func newExportCmd() *cobra.Command {
	var (
		out, format string
		pre, force  bool
	)
	cmd := &cobra.Command{
		Use:   "export MODEL -o OUT.onnx",
		Short: "Export a saved model as an ONNX graph for deployment",
		Long: `export writes a model file made by 'ghl train' (or 'ghl reproduce --save-models')
as an ONNX graph (opset 13) that ONNX Runtime, OpenVINO, TensorRT and the like run
without Go.

The graph takes "window", float32 [batch, 1, L] (L: the model's window length,
batch dynamic), and gives "logits" [batch, C] and "probabilities" [batch, C]
(softmax), classes in the model's order. Layers: Conv (1-D kernels, ghl's
padding), Relu, MaxPool, Flatten, Gemm, Softmax.

With --with-preprocessing (the default) the graph also applies the per-window
normalisation the model was trained with (z-score by default; computed in
float64 with ghl's rule that a constant window becomes all zero), so a
deployment feeds raw windows of L consecutive samples at the model's sampling
rate. --with-preprocessing=false leaves it out: feed windows normalised as ghl
normalises them. Either way, resampling to the model's rate and the low-pass
ghl applies to whole recordings are the deployment's job.

The file's metadata_props (printed) carry the class names, the healthy class,
the sampling rate, the window length, the normalisation, whether the graph
applies it, the model's data contract (JSON), the training options and ghl's
version.

The output is written atomically (never half a file). An existing OUT is
refused unless --force; its folder must exist. Exit code 3: a model file that
is damaged, not a ghl model, or holds what ONNX export cannot express (a
model on a spectrum or envelope representation, several input channels).`,
		Example: `  ghl export m.ghl -o m.onnx
  ghl export m.ghl --format onnx -o deploy/m.onnx --force
  ghl export m.ghl -o m-normalised-input.onnx --with-preprocessing=false`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "onnx" {
				return usageError("--format %q: the only export format is onnx", format)
			}
			if out == "" {
				return usageError("give the output file with -o OUT.onnx")
			}
			if err := checkOutFile(out, force); err != nil {
				return err
			}
			m, meta, err := nn.Load(args[0])
			if err != nil {
				return inputError(err)
			}
			opt := onnx.Options{Preprocessing: pre, Version: ghlVersion()}
			props, err := onnx.Props(m, *meta, opt)
			if err != nil {
				return fmt.Errorf("export %s: %w", args[0], err)
			}
			if err := onnx.Write(out, m, *meta, opt); err != nil {
				return fmt.Errorf("export %s: %w", args[0], err)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "wrote %s (ONNX opset %d): input %s [batch, 1, %d], outputs %s and %s [batch, %d]\n",
				out, onnx.Opset, onnx.InputName, m.InputLen(), onnx.LogitsName, onnx.ProbsName, m.Classes())
			fmt.Fprintln(w, "metadata_props:")
			for _, p := range props {
				fmt.Fprintf(w, "  %s: %s\n", p.Key, p.Value)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "output ONNX file (its folder must exist)")
	f.StringVar(&format, "format", "onnx", "export format (onnx is the only one)")
	f.BoolVar(&pre, "with-preprocessing", true, "put the model's per-window normalisation into the graph, so it takes raw windows")
	f.BoolVar(&force, "force", false, "overwrite OUT if it exists")
	return cmd
}

// checkOutFile refuses an output path whose folder is missing, that is a
// folder, or that exists (unless force).
func checkOutFile(out string, force bool) error {
	dir := filepath.Dir(out)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageError("-o %s: folder %s does not exist; create it first", out, dir)
	}
	st, err := os.Stat(out)
	switch {
	case err == nil && st.IsDir():
		return usageError("-o %s is a folder; give a file name", out)
	case err == nil && !force:
		return usageError("-o %s exists; pass --force to overwrite it", out)
	}
	return nil
}

// ghlVersion returns the version of this ghl build: the module version,
// else the VCS revision the binary was built from, else "devel".
func ghlVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel-" + rev
}
