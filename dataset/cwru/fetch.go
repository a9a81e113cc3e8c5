package cwru

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is where the CWRU Bearing Data Center serves its files:
// file N is at DefaultBaseURL + "N.mat", for example
// https://engineering.case.edu/sites/default/files/97.mat.
const DefaultBaseURL = "https://engineering.case.edu/sites/default/files/"

// Progress reports the state of one file during Fetch.
type Progress struct {
	// File is the file's name ("97.mat").
	File string
	// Event is "present" (already there and valid: skipped), "start",
	// "resume", "bytes" (periodic), "retry", "done" or "unverified" (done,
	// but the catalog has no checksum for it).
	Event string
	// Bytes is how many bytes of the file are on disk so far.
	Bytes int64
	// Total is the file's size, or -1 when the server does not say.
	Total int64
}

// fetchAttempts is how often a file is requested before Fetch gives up on a
// broken connection; each retry resumes where the last one stopped.
const fetchAttempts = 3

// progressEvery is the number of bytes between two "bytes" events.
const progressEvery = 1 << 20

// Fetch downloads files into dir from baseURL (DefaultBaseURL when "") using
// the URL pattern baseURL + "<number>.mat".
//
// A file already in dir that matches its checksum is skipped; one that does
// not match is left alone and reported as an error (remove it to download
// again). A download goes to "<name>.part" in dir; an interrupted one is
// resumed with an HTTP Range request (on this call's retries or on a later
// call), or restarted when the server ignores Range. A complete download is
// verified, fsynced and renamed into place, so dir never holds a partial or
// corrupt "<name>.mat". A checksum mismatch removes the .part file and
// returns an error wrapping ErrChecksum. progress, when not nil, is called
// from the calling goroutine.
//
// Fetch stops at the first file that fails and returns its error.
func Fetch(ctx context.Context, dir, baseURL string, files []File, progress func(Progress)) error {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("fetch cwru: %w", err)
	}
	for _, f := range files {
		if err := fetchOne(ctx, dir, baseURL+f.Name(), f, progress); err != nil {
			return err
		}
	}
	return nil
}

// fetchOne downloads one file, retrying a broken connection.
func fetchOne(ctx context.Context, dir, url string, f File, progress func(Progress)) error {
	final := filepath.Join(dir, f.Name())
	if st, err := os.Stat(final); err == nil {
		if err := Verify(final, f); err != nil {
			return fmt.Errorf("fetch %s: present file does not match the catalog (remove it to download again): %w", f.Name(), err)
		}
		progress(Progress{File: f.Name(), Event: "present", Bytes: st.Size(), Total: st.Size()})
		return nil
	}
	part := final + ".part"
	var err error
	for attempt := 1; attempt <= fetchAttempts; attempt++ {
		var retry bool
		retry, err = download(ctx, url, part, f.Name(), progress)
		if err == nil || !retry || attempt == fetchAttempts {
			break
		}
		progress(Progress{File: f.Name(), Event: "retry", Total: -1})
		select {
		case <-ctx.Done():
			return fmt.Errorf("fetch %s: %w", f.Name(), ctx.Err())
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("fetch %s from %s: %w", f.Name(), url, err)
	}
	if err := Verify(part, f); err != nil {
		os.Remove(part)
		return fmt.Errorf("fetch %s from %s: %w (download removed)", f.Name(), url, err)
	}
	if err := os.Rename(part, final); err != nil {
		return fmt.Errorf("fetch %s: %w", f.Name(), err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("fetch %s: %w", f.Name(), err)
	}
	st, err := os.Stat(final)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", f.Name(), err)
	}
	event := "done"
	if !f.HasChecksum() {
		event = "unverified"
	}
	progress(Progress{File: f.Name(), Event: event, Bytes: st.Size(), Total: st.Size()})
	return nil
}

// download appends the rest of url to part (resuming from part's size) and
// fsyncs it. retry reports whether the error was a broken transfer that a
// new request may resume.
func download(ctx context.Context, url, part, name string, progress func(Progress)) (retry bool, err error) {
	var have int64
	if st, err := os.Stat(part); err == nil {
		have = st.Size()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false, err
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ctx.Err() == nil, err
	}
	defer resp.Body.Close()

	flags := os.O_WRONLY | os.O_CREATE
	total := int64(-1)
	event := "start"
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != have {
			return false, fmt.Errorf("server answered a resume from byte %d with Content-Range %q", have, resp.Header.Get("Content-Range"))
		}
		flags |= os.O_APPEND
		total, event = size, "resume"
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have > 0:
		// The .part file is already complete (or longer than the file):
		// let verification decide.
		return false, nil
	case resp.StatusCode == http.StatusOK:
		// No Range support (or no .part): start again from byte 0.
		flags |= os.O_TRUNC
		have = 0
		if resp.ContentLength >= 0 {
			total = resp.ContentLength
		}
	default:
		return resp.StatusCode >= 500, fmt.Errorf("GET %s: %s", url, resp.Status)
	}

	out, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return false, err
	}
	progress(Progress{File: name, Event: event, Bytes: have, Total: total})
	w := &progressWriter{w: out, n: have, total: total, name: name, progress: progress}
	_, copyErr := io.Copy(w, resp.Body)
	syncErr := out.Sync()
	closeErr := out.Close()
	if copyErr != nil {
		return ctx.Err() == nil, fmt.Errorf("transfer broke after %d bytes (%s.part kept; run again to resume): %w", w.n, name, copyErr)
	}
	if err := errors.Join(syncErr, closeErr); err != nil {
		return false, err
	}
	if total >= 0 && w.n != total {
		return true, fmt.Errorf("got %d of %d bytes (%s.part kept; run again to resume)", w.n, total, name)
	}
	return false, nil
}

// progressWriter counts bytes and reports progress every progressEvery.
type progressWriter struct {
	w        io.Writer
	n, total int64
	last     int64
	name     string
	progress func(Progress)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.n += int64(n)
	if p.n-p.last >= progressEvery {
		p.last = p.n
		p.progress(Progress{File: p.name, Event: "bytes", Bytes: p.n, Total: p.total})
	}
	return n, err
}

// parseContentRange parses "bytes START-END/SIZE" (SIZE may be "*").
func parseContentRange(s string) (start, size int64, ok bool) {
	rest, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, sz, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	first, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	size = -1
	if sz != "*" {
		if size, err = strconv.ParseInt(sz, 10, 64); err != nil {
			return 0, 0, false
		}
	}
	return start, size, true
}

// syncDir fsyncs a directory so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
