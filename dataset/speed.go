package dataset

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl"
)

// RPMFile is the name of the sidecar file that gives the shaft speed in
// revolutions per minute of the recordings of a class folder (or, at the
// root, of every class): one number, such as "1750".
const RPMFile = "rpm.txt"

// DefaultOrderRPM is the reference speed of the order domain: windows are
// what a machine turning at 1800 rpm would give (400 points per revolution
// at 12 kHz; a 1024-point window covers 2.56 revolutions).
const DefaultOrderRPM = 1800.0

// SidecarRPM returns the shaft speed of the first rpm.txt found in dirs (in
// order) and its path; 0 and "" when there is none. A file that does not
// hold a positive number wraps ghl.ErrBadInput.
func SidecarRPM(dirs ...string) (float64, string, error) {
	return sidecarNumber(RPMFile, "rpm", "a shaft speed in rpm such as 1750", dirs)
}

// sourceRate returns the rate Build treats recording l as sampled at: its
// own rate in the time domain; in the order domain (opt.OrderRPM > 0) its
// rate scaled by OrderRPM/RPM, so that resampling it to the common rate
// gives a fixed number of points per shaft revolution — exactly the signal
// a machine at OrderRPM would give, if the vibration scales with speed.
// A recording without a known speed is an error naming the file and the
// ways to give one.
func sourceRate(l Labelled, opt BuildOptions) (float64, error) {
	r := l.Recording.Rate
	if opt.OrderRPM <= 0 {
		return r, nil
	}
	if !(l.RPM > 0) || math.IsInf(l.RPM, 0) {
		return 0, fmt.Errorf("%s: %w: the order domain needs the shaft speed, and this recording has none: give it with --rpm or an %s file (revolutions per minute) in its class folder or the data folder", recordingName(l), ghl.ErrBadInput, RPMFile)
	}
	return r * opt.OrderRPM / l.RPM, nil
}

func recordingName(l Labelled) string {
	if l.Recording.Path != "" {
		return l.Recording.Path
	}
	return l.Class + " " + l.Recording.Variable
}
