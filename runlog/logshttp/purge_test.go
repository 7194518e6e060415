package logshttp_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/opsync/integrationlogs/runlog/logshttp"
)

func TestHandler_Purge(t *testing.T) {
	jsonType := map[string]string{"Content-Type": "application/json"}
	refused := []struct {
		name   string
		req    request
		code   int
		param  string
		reason string
	}{
		{"NoConfirm", request{body: `{}`, header: jsonType}, 400, "confirm", "confirmation is required"},
		{"ConfirmFalse", request{body: `{"confirm": false}`, header: jsonType}, 400, "confirm", "confirmation is required"},
		{"ConfirmNull", request{body: `{"confirm": null}`, header: jsonType}, 400, "confirm", "confirmation is required"},
		{"BodyNull", request{body: `null`, header: jsonType}, 400, "confirm", "confirmation is required"},
		{"ConfirmString", request{body: `{"confirm": "true"}`, header: jsonType}, 400, "confirm", "only true confirms"},
		{"ConfirmNumber", request{body: `{"confirm": 1}`, header: jsonType}, 400, "confirm", "only true confirms"},
		{"EmptyBody", request{header: jsonType}, 400, "body", "nothing to read"},
		{"Array", request{body: `[true]`, header: jsonType}, 400, "body", "not an object"},
		{"Malformed", request{body: `{"confirm": tru`, header: jsonType}, 400, "body", "malformed JSON"},
		{"InvalidUTF8", request{body: "{\"confirm\": true, \"\xff\": 1}", header: jsonType}, 400, "body", "unknown field"},
		{"UnknownField", request{body: `{"confirm": true, "instance": 2}`, header: jsonType}, 400, "body", "unknown field"},
		{"TrailingData", request{body: `{"confirm": true} {"confirm": true}`, header: jsonType}, 400, "body", "a second document"},
		{"TrailingGarbage", request{body: `{"confirm": true}x`, header: jsonType}, 400, "body", "garbage after the object"},
		{"TooLarge", request{body: `{"confirm": true, "pad": "` + strings.Repeat("x", 2000) + `"}`, header: jsonType}, 413, "body", "over 1 KiB"},
		{"TooLargeAfterObject", request{body: `{"confirm": true}` + strings.Repeat(" ", 2000), header: jsonType}, 413, "body", "over 1 KiB"},
		{"NoContentType", request{body: `{"confirm": true}`}, 415, "Content-Type", "a form cannot send JSON"},
		{"FormContentType", request{body: `confirm=true`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415, "Content-Type", "a form post"},
		{"TextContentType", request{body: `{"confirm": true}`, header: map[string]string{"Content-Type": "text/plain"}}, 415, "Content-Type", "what a cross-site form can send"},
		{"CrossSite", request{body: `{"confirm": true}`, header: map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}}, 403, "", "another site's page"},
		{"CrossOrigin", request{body: `{"confirm": true}`, header: map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example"}}, 403, "", "another origin"},
	}
	store, db := openStore(t)
	seed(t, db, fixture)
	h := newHandler(t, store, logshttp.Options{}, nil)
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.method, tt.req.target = "POST", "/api/purge"
			w := serve(h, tt.req)
			var e errorJSON
			decode(t, w, &e)
			if w.Code != tt.code || e.Param != tt.param || e.Error == "" {
				t.Errorf("%s: status %d, %+v; want %d with param %q", tt.reason, w.Code, e, tt.code, tt.param)
			}
		})
	}
	if n := countStages(t, db, instanceID); n != fixtureRows {
		t.Fatalf("refused purges left %d rows of %d", n, fixtureRows)
	}

	t.Run("Confirmed", func(t *testing.T) {
		for _, ct := range []string{"application/json", "application/json; charset=utf-8"} {
			w := serve(h, request{method: "POST", target: "/api/purge", body: `{"confirm": true}`, header: map[string]string{
				"Content-Type": ct, "Sec-Fetch-Site": "same-origin", "Origin": "http://example.com",
			}})
			var got purgeJSON
			decode(t, w, &got)
			want := purgeJSON{Deleted: fixtureRows}
			if ct != "application/json" {
				want = purgeJSON{} // nothing left
			}
			if w.Code != 200 || got != want {
				t.Errorf("Content-Type %s: status %d, %+v; want 200, %+v", ct, w.Code, got, want)
			}
		}
		if n := countStages(t, db, instanceID); n != 0 {
			t.Errorf("instance %d has %d stage rows after the purge, want 0", instanceID, n)
		}
		if n := countStages(t, db, otherID); n != 2 {
			t.Errorf("instance %d has %d stage rows after another's purge, want 2", otherID, n)
		}
		var runs int
		if err := db.Get(&runs, `SELECT COUNT(*) FROM integration_runs WHERE instance_id = ?`, instanceID); err != nil || runs != 4 {
			t.Errorf("instance %d has %d runs after the purge (%v), want 4: a purge removes stage rows only", instanceID, runs, err)
		}
	})
}

func TestHandler_ReadOnly(t *testing.T) {
	store, db := openStore(t)
	seed(t, db, fixture)
	h := newHandler(t, store, logshttp.Options{ReadOnly: true}, nil)
	for _, method := range []string{"POST", "GET", "DELETE"} {
		w := serve(h, request{method: method, target: "/api/purge", body: `{"confirm": true}`, header: map[string]string{"Content-Type": "application/json"}})
		if w.Code != 404 {
			t.Errorf("%s api/purge: status %d, want 404: a read-only handler has no purge route", method, w.Code)
		}
	}
	if n := countStages(t, db, instanceID); n != fixtureRows {
		t.Errorf("read-only handler left %d rows of %d", n, fixtureRows)
	}
	var page listJSON
	decode(t, serve(h, request{target: "/api/entries"}), &page)
	if len(page.Entries) != fixtureRows {
		t.Errorf("read-only list: %d entries, want %d", len(page.Entries), fixtureRows)
	}
	if body := serve(h, request{target: "/"}).Body.String(); strings.Contains(body, "Purge") {
		t.Error("read-only page mentions Purge")
	}
}

// TestHandler_StoreErrors checks what a failing store answers: 500 with a
// generic message and the error logged, except for a request its client
// cancelled, which gets no answer and no error log.
func TestHandler_StoreErrors(t *testing.T) {
	store, db := openStore(t)
	ids := seed(t, db, fixture)

	t.Run("ServerError", func(t *testing.T) {
		log := new(logBuffer)
		h := newHandler(t, store, logshttp.Options{}, log)
		db.MustExec(`ALTER TABLE integration_run_stages RENAME TO moved`)
		t.Cleanup(func() { db.MustExec(`ALTER TABLE moved RENAME TO integration_run_stages`) })
		for _, req := range []request{
			{target: "/api/entries"},
			{target: "/api/entries/1"},
			{method: "POST", target: "/api/purge", body: `{"confirm": true}`, header: map[string]string{"Content-Type": "application/json"}},
		} {
			w := serve(h, req)
			var e errorJSON
			decode(t, w, &e)
			if diff := cmp.Diff(errorJSON{Error: "internal server error"}, e); w.Code != 500 || diff != "" {
				t.Errorf("%s %s: status %d, body mismatch (-want +got):\n%s", req.method, req.target, w.Code, diff)
			}
			if strings.Contains(w.Body.String(), "moved") || strings.Contains(w.Body.String(), "no such table") {
				t.Errorf("%s %s: the answer leaks the store's error: %s", req.method, req.target, w.Body)
			}
		}
		if got := len(log.records(t, slog.LevelError)); got != 3 {
			t.Errorf("%d errors logged, want 3", got)
		}
	})

	t.Run("Cancelled", func(t *testing.T) {
		log := new(logBuffer)
		h := newHandler(t, store, logshttp.Options{}, log)
		for _, target := range []string{"/api/entries", "/api/entries/" + itoa(ids[0])} {
			w := serveCancelled(h, target)
			if w.Code >= 500 {
				t.Errorf("GET %s, cancelled: status %d, want no server error", target, w.Code)
			}
		}
		if got := log.records(t, slog.LevelWarn); len(got) != 0 {
			t.Errorf("a cancelled request logged %v, want nothing above debug", got)
		}
		if got := log.records(t, slog.LevelDebug); len(got) != 2 {
			t.Errorf("a cancelled request logged %d debug records, want 1 each", len(got))
		}
	})
}

// countStages counts the stage rows of an instance.
func countStages(tb testing.TB, db interface {
	Get(dest any, query string, args ...any) error
}, instance int64) int {
	tb.Helper()
	var n int
	if err := db.Get(&n, `SELECT COUNT(*) FROM integration_run_stages WHERE instance_id = ?`, instance); err != nil {
		tb.Fatal(err)
	}
	return n
}
