package cwru

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/realdata"
)

// fakeFile returns random content and a catalog entry whose checksums match
// it (sha256 and git-blob sha1).
func fakeFile(number, size int) ([]byte, File) {
	rng := rand.New(rand.NewPCG(uint64(number), 7))
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	s := sha256.Sum256(b)
	g := sha1.New()
	fmt.Fprintf(g, "blob %d\x00", len(b))
	g.Write(b)
	return b, File{Number: number, Class: "NC", SHA256: hex.EncodeToString(s[:]), GitSHA1: hex.EncodeToString(g.Sum(nil))}
}

// server serves content by file name with a configurable behaviour and logs
// the Range header of every request.
type server struct {
	mu      sync.Mutex
	files   map[string][]byte
	ranges  []string
	noRange bool // ignore Range, always 200 with the whole file
	cutOnce bool // the first request sends half the body, then drops the connection
	cut     bool
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	cut := s.cutOnce && !s.cut
	s.cut = s.cut || cut
	s.mu.Unlock()
	b, ok := s.files[strings.TrimPrefix(r.URL.Path, "/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch {
	case cut:
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(http.StatusOK)
		w.Write(b[:len(b)/2])
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	case s.noRange:
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	default:
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
	}
}

func TestFetch(t *testing.T) {
	content, f := fakeFile(97, 3<<20+17)
	tests := []struct {
		name    string
		noRange bool
		cutOnce bool
		part    int // bytes of a .part file left by an earlier run
		files   map[string][]byte
		wantErr error
		// wantRange is the Range header the last request must carry.
		wantRange string
	}{
		{name: "fresh", wantRange: ""},
		{name: "cut connection resumes", cutOnce: true, wantRange: "bytes=" + strconv.Itoa(len(content)/2) + "-"},
		{name: "part from an earlier run", part: 1000, wantRange: "bytes=1000-"},
		{name: "server without Range support", noRange: true, part: 1000, wantRange: "bytes=1000-"},
		{name: "complete part from an earlier run (416)", part: len(content), wantRange: "bytes=" + strconv.Itoa(len(content)) + "-"},
		{name: "404", files: map[string][]byte{}, wantErr: errNotFound},
		{name: "checksum mismatch", files: map[string][]byte{"97.mat": append([]byte("x"), content[1:]...)}, wantErr: ErrChecksum},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			srv := &server{noRange: tc.noRange, cutOnce: tc.cutOnce, files: tc.files}
			if srv.files == nil {
				srv.files = map[string][]byte{"97.mat": content}
			}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			if tc.part > 0 {
				if err := os.WriteFile(filepath.Join(dir, "97.mat.part"), content[:tc.part], 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var events []string
			err := Fetch(context.Background(), dir, ts.URL, []File{f}, func(p Progress) { events = append(events, p.Event) })
			final := filepath.Join(dir, "97.mat")
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("Fetch succeeded, want error %v", tc.wantErr)
				}
				if tc.wantErr == errNotFound {
					if !strings.Contains(err.Error(), "404") {
						t.Errorf("error %q does not say 404", err)
					}
				} else if !errors.Is(err, tc.wantErr) || !errors.Is(err, ghl.ErrBadInput) {
					t.Errorf("error %v does not wrap %v and ghl.ErrBadInput", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "97.mat") {
					t.Errorf("error %q does not name the file", err)
				}
				for _, p := range []string{final, final + ".part"} {
					if _, err := os.Stat(p); err == nil {
						t.Errorf("%s left behind after a failed fetch", filepath.Base(p))
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v (requests %q)", err, srv.ranges)
			}
			got, err := os.ReadFile(final)
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("97.mat differs from the served file (err %v, %d bytes)", err, len(got))
			}
			if _, err := os.Stat(final + ".part"); err == nil {
				t.Error(".part file left behind")
			}
			if last := srv.ranges[len(srv.ranges)-1]; last != tc.wantRange {
				t.Errorf("last request Range %q, want %q (all %q)", last, tc.wantRange, srv.ranges)
			}
			if events[len(events)-1] != "done" {
				t.Errorf("events %v do not end with done", events)
			}
			// A second run finds the valid file and makes no request.
			n := len(srv.ranges)
			events = nil
			if err := Fetch(context.Background(), dir, ts.URL, []File{f}, func(p Progress) { events = append(events, p.Event) }); err != nil {
				t.Fatal(err)
			}
			if len(srv.ranges) != n || len(events) != 1 || events[0] != "present" {
				t.Errorf("second run made %d requests, events %v; want 0 and [present]", len(srv.ranges)-n, events)
			}
		})
	}
}

// errNotFound marks the test case whose error is an HTTP 404.
var errNotFound = errors.New("404")

func TestFetchRefusesBadPresentFile(t *testing.T) {
	_, f := fakeFile(99, 100)
	dir := t.TempDir()
	bad := []byte("not the right content")
	if err := os.WriteFile(filepath.Join(dir, "99.mat"), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Fetch(context.Background(), dir, "http://127.0.0.1:1/", []File{f}, nil)
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("Fetch over a corrupt present file: %v, want ErrChecksum", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "99.mat")); !bytes.Equal(got, bad) {
		t.Error("Fetch changed the user's present file")
	}
}

func TestVerifyRealFiles(t *testing.T) {
	// The checksums in the catalog must be the ones of the data README and
	// manifest; check them against the files when they are here.
	dir := realdata.CWRU(t)
	n := 0
	for _, f := range Catalog() {
		p := filepath.Join(dir, f.Name())
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if !f.HasChecksum() {
			t.Errorf("%s is present but has no checksum in the catalog", f.Name())
		}
		if err := Verify(p, f); err != nil {
			t.Error(err)
		}
		n++
	}
	if n < 12 {
		t.Errorf("verified %d files, want the 12 of the paper", n)
	}
}
