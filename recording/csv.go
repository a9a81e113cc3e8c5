package recording

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
)

// decodeCSV reads one column of a delimited text file with encoding/csv
// (quoted fields, separators inside quotes, CRLF). The separator is
// opt.Delimiter, else the first of ';', ',' and tab found outside quotes on
// the first content line; a line with none of them is split at runs of
// white space. Blank lines and lines starting with # are skipped. The first
// content line is a header when any of its cells is not a number. Decimal
// commas: see Options.DecimalComma.
func decodeCSV(data []byte, opt Options) (*Recording, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte-order mark
	rows, delim := csvRows(data, opt.Delimiter)
	first, line, err := rows()
	if err == io.EOF {
		return &Recording{}, nil
	}
	if err != nil {
		return nil, err
	}
	rec := &Recording{}
	var header []string
	if !numbers(first, false) && !numbers(first, true) {
		header = first
		if first, line, err = rows(); err == io.EOF {
			return rec, nil
		} else if err != nil {
			return nil, err
		}
	}
	ncols := len(first)
	if header != nil && len(header) != ncols {
		return nil, badInput("line %d has %d cells, the header has %d", line, ncols, len(header))
	}
	col, name, err := chooseColumn(header, ncols, opt)
	if err != nil {
		return nil, err
	}
	rec.Variable = name
	decimal := opt.DecimalComma
	if !decimal && delim == ';' && strings.Contains(first[col], ",") && !strings.Contains(strings.Join(first, ""), ".") {
		decimal = true
		rec.Notes = append(rec.Notes, "decimal commas detected (';'-separated numbers with a comma and no point)")
	}
	for ; err == nil; first, line, err = rows() {
		if len(first) != ncols {
			return nil, badInput("line %d has %d cells, the first data line has %d", line, len(first), ncols)
		}
		v, perr := parseNumber(first[col], decimal)
		if perr != nil {
			return nil, badInput("line %d, column %d (0-based): %v", line, col, perr)
		}
		rec.Samples = append(rec.Samples, v)
	}
	if err != io.EOF {
		return nil, err
	}
	return rec, nil
}

// csvRows returns an iterator over the content lines of data (cells and
// 1-based line number; io.EOF at the end) and the separator used (' ' for
// white space).
func csvRows(data []byte, delim rune) (func() ([]string, int, error), rune) {
	if delim == 0 {
		delim = detectDelimiter(data)
	}
	if delim == ' ' {
		lines := strings.Split(string(data), "\n")
		i := 0
		return func() ([]string, int, error) {
			for ; i < len(lines); i++ {
				s := strings.TrimSpace(lines[i])
				if s != "" && !strings.HasPrefix(s, "#") {
					i++
					return strings.Fields(s), i, nil
				}
			}
			return nil, 0, io.EOF
		}, delim
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.Comment, r.FieldsPerRecord, r.TrimLeadingSpace = delim, '#', -1, true
	return func() ([]string, int, error) {
		cells, err := r.Read()
		if err == io.EOF {
			return nil, 0, err
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, badInput("line %d: %v", pe.Line, pe.Err)
			}
			return nil, 0, badInput("%v", err)
		}
		line, _ := r.FieldPos(0)
		for i, c := range cells {
			cells[i] = strings.TrimSpace(c)
		}
		return cells, line, nil
	}, delim
}

// detectDelimiter returns the separator of the first content line: ';',
// ',' or tab outside double quotes, else ' ' (white space).
func detectDelimiter(data []byte) rune {
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var outside strings.Builder
		quoted := false
		for _, r := range line {
			if r == '"' {
				quoted = !quoted
			} else if !quoted {
				outside.WriteRune(r)
			}
		}
		for _, d := range []rune{';', ',', '\t'} {
			if strings.ContainsRune(outside.String(), d) {
				return d
			}
		}
		return ' '
	}
	return ','
}

// parseNumber parses a cell; with decimal, one comma is the decimal mark
// and a point is an error.
func parseNumber(s string, decimal bool) (float64, error) {
	if decimal {
		if strings.Contains(s, ".") {
			return 0, fmt.Errorf("%q has a point, but the file is read with decimal commas", shorten(s))
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if !decimal && strings.Contains(s, ",") {
			return 0, fmt.Errorf("%q is not a number (a decimal comma? pass --decimal-comma)", shorten(s))
		}
		return 0, fmt.Errorf("%q is not a number", shorten(s))
	}
	return v, nil
}

// numbers reports whether every cell is a number (with decimal commas
// when decimal).
func numbers(cells []string, decimal bool) bool {
	for _, c := range cells {
		if _, err := parseNumber(c, decimal); err != nil {
			return false
		}
	}
	return true
}

// chooseColumn returns the 0-based column to read and its name: the header
// name opt.Variable, else column opt.Channel when opt.PickChannel, else the
// only column.
func chooseColumn(header []string, ncols int, opt Options) (int, string, error) {
	if want := opt.Variable; want != "" {
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
		if k, err := strconv.Atoi(want); err == nil {
			return 0, "", fmt.Errorf("%w: --variable %s names a column by its header, and no column is called %q%s; pick a column by number with --channel %d (0-based: the %s column)",
				ghl.ErrUsage, want, want, listHeader(header), k, ordinal(k+1))
		}
		return 0, "", fmt.Errorf("%w: no column %q among %d columns%s", ghl.ErrUsage, want, ncols, listHeader(header))
	}
	if opt.PickChannel {
		if opt.Channel < 0 || opt.Channel >= ncols {
			return 0, "", fmt.Errorf("%w: column %d requested, the file has %d%s (columns are numbered from 0)", ghl.ErrUsage, opt.Channel, ncols, listHeader(header))
		}
		if header != nil {
			return opt.Channel, header[opt.Channel], nil
		}
		return opt.Channel, fmt.Sprintf("column %d", opt.Channel), nil
	}
	if ncols == 1 {
		if header != nil {
			return 0, header[0], nil
		}
		return 0, "", nil
	}
	return 0, "", fmt.Errorf("%w: %d columns%s: pick one with --variable NAME or --channel N (0-based)", ghl.ErrUsage, ncols, listHeader(header))
}

// ordinal returns "1st", "2nd", "3rd", "4th" ….
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

func listHeader(header []string) string {
	if header == nil {
		return " (no header row)"
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
