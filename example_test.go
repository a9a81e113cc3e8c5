package ghl_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/dataset/synth"
	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
)

// Example walks the whole data flow: recordings → an imbalanced sample set →
// the DCNN → the gradient harmonized loss → training → a model file →
// predictions. It uses the built-in simulator; dataset.Load reads a CWRU
// folder or a ROOT/<class>/ folder of .mat, .csv, .npy or .wav files instead.
func Example() {
	// Recordings: 12 simulated bearing conditions (use dataset.Load(dir, …) for real data).
	corpus, err := synth.Corpus(synth.Options{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	// An imbalanced sample set: 400 healthy windows, 24 per fault.
	spec, err := dataset.ParseSet("400/24")
	if err != nil {
		log.Fatal(err)
	}
	set, err := dataset.Build(corpus, spec, dataset.BuildOptions{})
	if err != nil {
		log.Fatal(err)
	}
	// The paper's DCNN and our harmonized loss on cross-entropy.
	model, err := nn.NewDCNN(nn.DCNNConfig{InputLen: set.Window, Classes: len(set.Classes), Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	opt := loss.DefaultOptions()
	opt.Base = loss.CrossEntropy
	scheme, err := loss.New("ghl", opt)
	if err != nil {
		log.Fatal(err)
	}
	adam := nn.NewAdam(nn.AdamConfig{LR: 1e-3})
	res, err := train.Run(context.Background(), model, stepper{adam, model}, scheme,
		&train.Set{Classes: set.Classes, Train: set.Train, Val: set.Val},
		train.Config{Iterations: 15, BatchSize: 32, LR: 2e-3, Schedule: "cosine", Base: opt.Base,
			Augment: train.Augment{Shift: 512, Scale: 0.2, Noise: 0.1}})
	if err != nil {
		log.Fatal(err)
	}
	// Save the model with what a user of it needs to know, and load it back.
	dir, _ := os.MkdirTemp("", "ghl-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.ghl")
	meta := nn.Metadata{Classes: set.Classes, RateHz: set.Rate, Window: set.Window, Normalisation: set.Norm}
	if err := nn.Save(path, model, meta); err != nil {
		log.Fatal(err)
	}
	loaded, meta2, err := nn.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	// Predict the test windows with the loaded model.
	var buf []float32
	pred, err := train.Predict(loaded, &set.Test, &buf, len(meta2.Classes))
	if err != nil {
		log.Fatal(err)
	}
	m := train.Evaluate(pred, set.Test.Y, meta2.Classes, 0)
	fmt.Println("classes:", len(meta2.Classes), "training windows:", set.Train.Len(), "test windows:", set.Test.Len())
	fmt.Println("validation macro-F1 above 0.8:", res.BestValF1 > 0.8)
	fmt.Println("test accuracy above 80%:", m.Accuracy > 0.8)
	// Output:
	// classes: 12 training windows: 664 test windows: 108
	// validation macro-F1 above 0.8: true
	// test accuracy above 80%: true
}

// stepper binds an optimiser to a model's parameters for train.Run.
type stepper struct {
	opt   *nn.Adam
	model *nn.Model
}

func (s stepper) Step() error      { return s.opt.Step(s.model.Params()) }
func (s stepper) SetLR(lr float64) { s.opt.SetLR(lr) }
