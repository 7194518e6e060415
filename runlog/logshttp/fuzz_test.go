package logshttp_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsync/integrationlogs/runlog/logshttp"
)

// TestHandler_PurgeBodies posts every file of the shared JSON conformance
// suite as a purge body: none confirms a purge, and each gets a clear 4xx,
// 400 for what encoding/json rejects and for documents without
// {"confirm": true} (and the suite has none), 413 for those over the limit.
func TestHandler_PurgeBodies(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "testdata", "JSONTestSuite", "test_parsing")
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("JSON test suite not found at %s (%v); skipping", dir, err)
	}
	store, db := openStore(t)
	seed(t, db, fixture)
	h := newHandler(t, store, logshttp.Options{}, nil)
	for _, f := range files {
		name := f.Name()
		if !strings.HasPrefix(name, "y_") && !strings.HasPrefix(name, "n_") && !strings.HasPrefix(name, "i_") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w := serve(h, request{method: "POST", target: "/api/purge", body: string(body), header: map[string]string{"Content-Type": "application/json"}})
		// A large file is refused as too large, unless it goes wrong
		// before the limit.
		if w.Code != http.StatusBadRequest && (len(body) <= 1024 || w.Code != http.StatusRequestEntityTooLarge) {
			t.Errorf("%s (%d bytes): status %d, want 400, or 413 over 1 KiB (%s)", name, len(body), w.Code, w.Body)
		}
	}
	if n := countStages(t, db, instanceID); n != fixtureRows {
		t.Errorf("the suite purged rows: %d left of %d", n, fixtureRows)
	}
}

// FuzzHandler_List sends api/entries any query string: the answer is never
// a server error, and always JSON.
func FuzzHandler_List(f *testing.F) {
	for _, q := range []string{
		"", "limit=5", "limit=0", "cursor=abc", "stage=extract&stage=weird", "status=failed&mode=apply",
		"started_after=2026-11-20T12:00:00Z&started_before=2026-11-20T13:00:00Z", "run_id=103&limit=-1",
		"limit=%ff", "stage=%00", "a=b&&&=&limit", "cursor=" + strings.Repeat("A", 40),
	} {
		f.Add(q)
	}
	store, db := openStore(f)
	seed(f, db, fixture)
	h := newHandler(f, store, logshttp.Options{}, nil)
	f.Fuzz(func(t *testing.T, query string) {
		r, err := http.NewRequest(http.MethodGet, "/api/entries", nil)
		if err != nil {
			t.Skip()
		}
		r.URL.RawQuery = query
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("query %q: status %d: %s", query, w.Code, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" || !json.Valid(w.Body.Bytes()) {
			t.Fatalf("query %q: Content-Type %q, body %q", query, ct, w.Body)
		}
	})
}
