package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// TrialPath is the file in which a Runner with Out = out stores cell's
// result.
func TrialPath(out string, c Cell) string {
	return filepath.Join(out, "trials", c.Key()+".json")
}

// ReadTrials reads the result files of cells from out (a Runner's results
// folder) and returns them in cell order, with nil for every missing trial,
// whose indices are listed in missing. A file that cannot be read or was
// made with other method settings is an error.
func ReadTrials(out string, cells []Cell) (results []*TrialResult, missing []int, err error) {
	results = make([]*TrialResult, len(cells))
	for i, c := range cells {
		path := TrialPath(out, c)
		res, err := readTrial(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			missing = append(missing, i)
			continue
		case err != nil:
			return nil, nil, err
		}
		if diff := optionsDiff(res.Options, c.Method.Options()); diff != "" {
			return nil, nil, fmt.Errorf("%s holds a result made with other settings (%s): use another --out folder or delete it", path, diff)
		}
		res.Protocol = c.Protocol
		results[i] = res
	}
	return results, missing, nil
}

// PlanHash identifies a list of cells together with what else decides
// their results (the data and how it is read, passed as extra, which must
// encode as JSON): equal hashes mean the same trials in the same order. A
// cell takes part by its Key, its method's Options and LogAngles, so a
// setting that changes a result must show in one of them (as it must for
// Runner to tell finished trials apart). It is a hex SHA-256 prefix.
func PlanHash(cells []Cell, extra any) (string, error) {
	type cellID struct {
		Key       string
		Options   map[string]string
		LogAngles bool
	}
	ids := make([]cellID, len(cells))
	for i, c := range cells {
		ids[i] = cellID{c.Key(), c.Method.Options(), c.LogAngles}
	}
	b, err := json.Marshal(struct {
		Cells []cellID
		Extra any
	}{ids, extra})
	if err != nil {
		return "", fmt.Errorf("plan hash: %w", err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8]), nil
}
