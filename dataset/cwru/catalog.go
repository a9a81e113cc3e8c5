// Package cwru is the catalog of the Case Western Reserve University (CWRU)
// Bearing Data Center's seeded-fault files that ghl uses, and their download.
//
// The catalog is data, not code: every drive-end 12 kHz fault file (0.007 to
// 0.028 in, loads 0 to 3 hp; file numbers from Smith & Randall, MSSP 2015,
// Table A2) and the four normal-baseline files 97–100, with the class label,
// fault location, fault size, motor load, sampling rate, the name of the
// drive-end variable and, where known, its length and a checksum.
//
// Two CWRU facts shape it (see the data README):
//   - the normal baseline 97–100 is sampled at 48 kHz, not 12 kHz, so a
//     loader must resample it to match the 12 kHz fault files;
//   - the 0.028 in files name their variable after another number
//     (3003.mat holds X058_DE_time), and 99.mat also carries a copy of 98's
//     signal, so the catalog records the expected drive-end variable.
//
// Checksums: sha256 for the twelve files of the paper's protocol that ghl
// was developed against, and the git-blob SHA-1 (sha1("blob <len>\x00" +
// content), what `git hash-object` prints) recorded for 98, 99 and 100 in the
// public mirror hmmhxh/CWRU. Files without a known checksum are accepted as
// they are.
//
// Class labels follow the paper (Ren et al., Table I) for the 2 hp set: NC,
// OF1–OF3 (outer race at 6:00, 0.007/0.014/0.021 in), RF1–RF4 (ball,
// 0.007–0.028 in), IF1–IF4 (inner race, 0.007–0.028 in). The same label is
// given to the same location and size at the other loads; outer-race faults
// at 3:00 and 12:00, which the paper does not use, are labelled OF1@3,
// OF3@12 and so on.
//
// Fetch downloads files from the Bearing Data Center. Nothing in the
// standard library or the module proxy downloads with HTTP Range resume and
// checksum verification as one operation, so it is written here (about 150
// lines on net/http).
package cwru

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
)

// File describes one CWRU recording.
type File struct {
	// Number is the CWRU file number; the file is named "<Number>.mat".
	Number int
	// Class is the class label (NC, OF1, RF4, IF2, OF2@3, ...).
	Class string
	// Location is the fault location: "none", "inner_race", "ball",
	// "outer_race_6oclock", "outer_race_3oclock" or "outer_race_12oclock".
	Location string
	// SizeInch is the fault diameter in inches (0 for the normal baseline).
	SizeInch float64
	// LoadHP is the motor load in horsepower (0–3).
	LoadHP int
	// RateHz is the sampling rate: 48000 for 97–100, 12000 for the faults.
	RateHz float64
	// Variable is the drive-end variable to read (X097_DE_time, X058_DE_time).
	Variable string
	// Points is the drive-end length; 0 when not recorded here.
	Points int
	// SHA256 is the hex sha256 of the file; "" when not known.
	SHA256 string
	// GitSHA1 is the hex git-blob SHA-1 of the file; "" when not known.
	GitSHA1 string
}

// NominalRPM returns the CWRU rig's nominal motor speed at a load in
// horsepower: 1797, 1772, 1750 and 1730 rpm at 0 to 3 hp (the Bearing Data
// Center's table; the speeds stored in the files are within 0.3 % of
// these). It returns 0 for a load outside 0–3.
func NominalRPM(loadHP int) float64 {
	if loadHP < 0 || loadHP > 3 {
		return 0
	}
	return [...]float64{1797, 1772, 1750, 1730}[loadHP]
}

// RPM returns the file's nominal shaft speed (NominalRPM of its load).
func (f File) RPM() float64 { return NominalRPM(f.LoadHP) }

// Name returns the file's name, "<Number>.mat".
func (f File) Name() string { return strconv.Itoa(f.Number) + ".mat" }

// Normal reports whether f is a normal-baseline recording.
func (f File) Normal() bool { return f.Location == "none" }

// HasChecksum reports whether f carries a checksum to verify against.
func (f File) HasChecksum() bool { return f.SHA256 != "" || f.GitSHA1 != "" }

// PaperClasses lists the paper's twelve classes in its order (Table I);
// label i of a CWRU corpus is PaperClasses[i].
var PaperClasses = []string{"NC", "OF1", "OF2", "OF3", "RF1", "RF2", "RF3", "RF4", "IF1", "IF2", "IF3", "IF4"}

// PaperNormal lists the normal recordings the paper's protocol takes NC from
// (0, 1 and 2 hp; SPEC section 6), in the order they are used.
var PaperNormal = []int{97, 98, 99}

// paperLoadHP is the load of the paper's fault files.
const paperLoadHP = 2

// Catalog returns every catalogued file, ordered by file number. The slice is
// a fresh copy: callers may modify it.
func Catalog() []File {
	out := make([]File, 0, len(catalog))
	out = append(out, catalog...)
	slices.SortFunc(out, func(a, b File) int { return a.Number - b.Number })
	return out
}

// Lookup returns the catalog entry for a file number.
func Lookup(number int) (File, bool) {
	for _, f := range catalog {
		if f.Number == number {
			return f, true
		}
	}
	return File{}, false
}

// LookupName returns the catalog entry for a file name such as "97.mat".
func LookupName(name string) (File, bool) {
	n, ok := strings.CutSuffix(name, ".mat")
	if !ok {
		return File{}, false
	}
	num, err := strconv.Atoi(n)
	if err != nil || strconv.Itoa(num) != n {
		return File{}, false
	}
	return Lookup(num)
}

// Paper returns the files of the paper's protocol: the normal recordings of
// PaperNormal followed by the eleven 2 hp fault files in PaperClasses order.
// A loader uses whichever of the normal recordings are present.
func Paper() []File {
	var out []File
	for _, n := range PaperNormal {
		f, _ := Lookup(n)
		out = append(out, f)
	}
	for _, class := range PaperClasses[1:] {
		for _, f := range catalog {
			if f.Class == class && f.LoadHP == paperLoadHP {
				out = append(out, f)
			}
		}
	}
	return out
}

// ParseNumbers parses a comma-separated list of file numbers or names
// ("97,98,132" or "97.mat,98.mat") into catalog entries. "paper" selects
// Paper() and "all" the whole catalog. An unknown number wraps ghl.ErrUsage.
func ParseNumbers(list string) ([]File, error) {
	switch strings.TrimSpace(list) {
	case "paper", "":
		return Paper(), nil
	case "all":
		return Catalog(), nil
	}
	var out []File
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSuffix(strings.TrimSpace(s), ".mat")
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("%w: cwru file %q is not a file number", ghl.ErrUsage, s)
		}
		f, ok := Lookup(n)
		if !ok {
			return nil, fmt.Errorf("%w: cwru file %d is not in the catalog (see 'ghl data fetch --help')", ghl.ErrUsage, n)
		}
		out = append(out, f)
	}
	return out, nil
}

// ErrChecksum is wrapped (together with ghl.ErrBadInput) by the error of a
// file whose content does not match its catalogued checksum.
var ErrChecksum = fmt.Errorf("%w: checksum mismatch", ghl.ErrBadInput)

// Verify checks the file at path against f's checksums. It returns nil when
// they match or f has none, an error wrapping ErrChecksum on a mismatch and
// the I/O error when the file cannot be read.
func Verify(path string, f File) error {
	if !f.HasChecksum() {
		return nil
	}
	r, err := os.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	st, err := r.Stat()
	if err != nil {
		return err
	}
	sha := sha256.New()
	git := sha1.New()
	fmt.Fprintf(git, "blob %d\x00", st.Size())
	if _, err := io.Copy(io.MultiWriter(sha, git), r); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if got := hex.EncodeToString(sha.Sum(nil)); f.SHA256 != "" && got != f.SHA256 {
		return fmt.Errorf("%s: %w: sha256 %s, want %s", path, ErrChecksum, got, f.SHA256)
	}
	if got := hex.EncodeToString(git.Sum(nil)); f.GitSHA1 != "" && got != f.GitSHA1 {
		return fmt.Errorf("%s: %w: git-blob sha1 %s, want %s", path, ErrChecksum, got, f.GitSHA1)
	}
	return nil
}
