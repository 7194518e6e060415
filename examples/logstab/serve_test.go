package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeHTTP serves the demo on loopback and reads it as the signed-in
// demo user, as a stranger, and for the neighbour's instance.
func TestServeHTTP(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	var out lockedBuffer
	go func() { done <- serveHTTP(ctx, "", "127.0.0.1:0", &out, func(a string) { addr <- a }) }()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serveHTTP: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serveHTTP did not start")
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serveHTTP after cancel: %v", err)
		}
	}()
	if !strings.Contains(out.String(), `(user "demo", password "demo")`) {
		t.Errorf("start message = %q, want the sign-in", out.String())
	}

	get := func(path string, signedIn bool) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if signedIn {
			req.SetBasicAuth(demoUser, demoPassword)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(res.Body)
		return res, body.Bytes()
	}

	res, body := get("/integrations/1/logs/api/entries?limit=500", true)
	var page struct {
		Entries []struct {
			RunID int64 `json:"run_id"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(body, &page); err != nil || res.StatusCode != 200 || len(page.Entries) != 25 || page.Entries[0].RunID != 6 {
		t.Errorf("demo user's rows: status %d, %d rows (%v); want 200 and the 25 rows of instance 1, newest run first", res.StatusCode, len(page.Entries), err)
	}
	if res, _ := get("/integrations/1/logs/", true); res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("page: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := get("/", true); res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/integrations/1/logs/" {
		t.Errorf("root: status %d, Location %q; want a redirect to the Logs tab", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := get("/integrations/1/logs/api/entries", false); res.StatusCode != 401 || res.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("stranger: status %d, WWW-Authenticate %q; want 401 and a challenge", res.StatusCode, res.Header.Get("WWW-Authenticate"))
	}
	if res, _ := get("/integrations/2/logs/api/entries", true); res.StatusCode != 403 {
		t.Errorf("neighbour's instance: status %d, want 403", res.StatusCode)
	}
	if res, _ := get("/integrations/x/logs/api/entries", true); res.StatusCode != 404 {
		t.Errorf("no such instance: status %d, want 404", res.StatusCode)
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
