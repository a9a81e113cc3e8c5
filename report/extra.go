package report

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/atomicfile"
)

// ExtraDir is the folder of a results directory whose figures the report
// shows besides those it draws from the trials: figures only the producer
// of the results can draw, such as WindowsFigure of the data.
const ExtraDir = "figures-extra"

// Extra is a figure saved in ExtraDir: a PNG image with its title and
// caption.
type Extra struct {
	Name, Title, Caption string
	PNG                  []byte
	// Width and Height are the image size in pixels.
	Width, Height int
}

// SaveExtra saves f into dir/figures-extra as NAME.png, NAME.svg and
// NAME.txt (title on the first line, caption after), each atomically, so
// that every later report of dir shows it.
func SaveExtra(dir string, f *Figure) error {
	d := filepath.Join(dir, ExtraDir)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return fmt.Errorf("save figure %s: %w", f.Name, err)
	}
	for _, format := range []string{"png", "svg"} {
		path := filepath.Join(d, f.Name+"."+format)
		if err := atomicfile.Write(path, func(w io.Writer) error { return f.Render(w, format) }); err != nil {
			return err
		}
	}
	return atomicfile.WriteFile(filepath.Join(d, f.Name+".txt"), []byte(f.Title+"\n"+f.Caption+"\n"))
}

// loadExtras reads the PNG figures of dir/figures-extra, by name; a file
// that is not a PNG image is left out with a note.
func loadExtras(dir string) ([]Extra, []string) {
	paths, _ := filepath.Glob(filepath.Join(dir, ExtraDir, "*.png"))
	sort.Strings(paths)
	var (
		out   []Extra
		notes []string
	)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		var c image.Config
		if err == nil {
			if c, err = png.DecodeConfig(bytes.NewReader(b)); err != nil {
				err = fmt.Errorf("%w: %v", ghl.ErrBadInput, err)
			}
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("figure %s could not be read and is left out: %v", filepath.Base(p), err))
			continue
		}
		name := strings.TrimSuffix(filepath.Base(p), ".png")
		e := Extra{Name: name, Title: name, PNG: b, Width: c.Width, Height: c.Height}
		if txt, err := os.ReadFile(strings.TrimSuffix(p, ".png") + ".txt"); err == nil {
			title, caption, _ := strings.Cut(string(txt), "\n")
			e.Title, e.Caption = strings.TrimSpace(title), strings.TrimSpace(caption)
		}
		out = append(out, e)
	}
	return out, notes
}
