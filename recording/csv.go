package recording

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
)

// decodeCSV reads one column of a delimited text file. The separator is
// found on the first content line: a semicolon if it has one, else a comma
// if it has one, else white space. The first content line is a header when
// any of its cells is not a number.
func decodeCSV(data []byte, opt Options) (*Recording, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte-order mark
	var (
		split  func(string) []string
		header []string
		col    = -1
		ncols  int
		name   string
		x      []float64
	)
	for lineNo, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if split == nil {
			split = splitter(line)
			cells := split(line)
			ncols = len(cells)
			if !allNumbers(cells) {
				header = cells
			}
			var err error
			if col, name, err = chooseColumn(header, ncols, opt.Variable); err != nil {
				return nil, err
			}
			if header != nil {
				continue
			}
		}
		cells := split(line)
		if len(cells) != ncols {
			return nil, badInput("line %d has %d cells, the first line has %d", lineNo+1, len(cells), ncols)
		}
		v, err := strconv.ParseFloat(cells[col], 64)
		if err != nil {
			return nil, badInput("line %d, column %d: %q is not a number", lineNo+1, col+1, shorten(cells[col]))
		}
		x = append(x, v)
	}
	return &Recording{Variable: name, Samples: x}, nil
}

// splitter returns the function that splits the lines of a file whose
// first content line is line.
func splitter(line string) func(string) []string {
	for _, sep := range []string{";", ",", "\t"} {
		if strings.Contains(line, sep) {
			return func(s string) []string {
				cells := strings.Split(s, sep)
				for i, c := range cells {
					cells[i] = strings.Trim(strings.TrimSpace(c), `"'`)
				}
				return cells
			}
		}
	}
	return strings.Fields
}

func allNumbers(cells []string) bool {
	for _, c := range cells {
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return false
		}
	}
	return true
}

// chooseColumn returns the 0-based column to read and its name.
func chooseColumn(header []string, ncols int, want string) (int, string, error) {
	if want == "" {
		if ncols == 1 {
			if header != nil {
				return 0, header[0], nil
			}
			return 0, "", nil
		}
		return 0, "", fmt.Errorf("%w: %d columns%s: name the column to read", ghl.ErrUsage, ncols, listHeader(header))
	}
	for i, h := range header {
		if h == want {
			return i, h, nil
		}
	}
	for i, h := range header {
		if strings.EqualFold(h, want) {
			return i, h, nil
		}
	}
	if k, err := strconv.Atoi(want); err == nil && k >= 1 && k <= ncols {
		if header != nil {
			return k - 1, header[k-1], nil
		}
		return k - 1, "column " + want, nil
	}
	return 0, "", fmt.Errorf("%w: no column %q among %d columns%s", ghl.ErrUsage, want, ncols, listHeader(header))
}

func listHeader(header []string) string {
	if header == nil {
		return " (no header row; name a column by its number, 1-based)"
	}
	return " (" + strings.Join(header, ", ") + ")"
}

// shorten cuts a cell for an error message.
func shorten(s string) string {
	if r := []rune(s); len(r) > 24 {
		return string(r[:24]) + "…"
	}
	return s
}
