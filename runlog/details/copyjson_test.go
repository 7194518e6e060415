package details_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/redact"
)

// Secrets made up for the tests, in the shapes of real ones.
const (
	secretPassword = "hunter2-Xq9"
	secretBearer   = "tok-4f9a1c2e7d3b"
	secretGitHub   = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	secretJWT      = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzeW5jIn0.c2lnbmF0dXJl"
	secretKey      = "k-live-7f1c2e9a"
	secretCookie   = "sid=9d2a0b8e6f7a"
)

// secretRow is a failed stage as another system stored it, with a
// credential in each part of the row the card copies.
func secretRow() runlog.Entry {
	e := rowOf("GET https://sync:"+secretPassword+"@api.vendor.example/v2/devices: 401 Unauthorized", nil)
	e.Metrics = json.RawMessage(`{"pages_read": 3, "api_key": "` + secretKey + `", "tokens_processed": 1200, "last_cursor": "eyJpZCI6OTl9"}`)
	e.ErrorPayload = json.RawMessage(`{"type": "*vendorapi.Error", "message": "401 Unauthorized (Authorization: Bearer ` + secretBearer + `)",
		"trace": "vendorapi.(*Client).Do\n\tclient.go:88 token=` + secretJWT + `",
		"request": {"headers": {"Cookie": "` + secretCookie + `", "Accept": "*/*"}},
		"previous": [{"type": "*exec.ExitError", "message": "git fetch https://` + secretGitHub + `@github.com/o/r.git: exit status 128"}]}`)
	return e
}

// TestCard_CopyJSONRedacts checks that no secret of a stored row reaches
// the copied document, while what is no secret stays.
func TestCard_CopyJSONRedacts(t *testing.T) {
	e := secretRow()
	out, err := details.Expand(e).CopyJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatalf("CopyJSON() is not valid JSON:\n%s", out)
	}
	for _, secret := range []string{secretPassword, secretBearer, secretGitHub, secretJWT, secretKey, secretCookie} {
		if strings.Contains(string(out), secret) {
			t.Errorf("CopyJSON() holds the secret %q:\n%s", secret, out)
		}
	}
	for _, kept := range []string{`"tokens_processed": 1200`, `"last_cursor": "eyJpZCI6OTl9"`, "https://sync:" + redact.Marker + "@api.vendor.example", "client.go:88"} {
		if !strings.Contains(string(out), kept) {
			t.Errorf("CopyJSON() lost %q:\n%s", kept, out)
		}
	}
	golden(t, "secrets.json", append(out, '\n'))

	// The card itself is as stored; only the copy is redacted.
	if c := details.Expand(e); !strings.Contains(c.ErrorSummary, secretPassword) {
		t.Errorf("Expand() redacted the card's summary: %q", c.ErrorSummary)
	}
}

// TestCard_CopyJSONRedactsMalformed checks that stored text that is not
// valid JSON is redacted as text.
func TestCard_CopyJSONRedactsMalformed(t *testing.T) {
	e := rowOf("boom", json.RawMessage(`{"password": "`+secretPassword+`", "n": 1`))
	e.ErrorPayload = json.RawMessage(`<html>Authorization: Bearer ` + secretBearer)
	out, err := details.Expand(e).CopyJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Metrics, Payload, MetricsError, PayloadError string }
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if want := `{"password": "[REDACTED]", "n": 1`; doc.Metrics != want {
		t.Errorf("metrics = %q, want %q", doc.Metrics, want)
	}
	if want := `<html>Authorization: Bearer [REDACTED]`; doc.Payload != want {
		t.Errorf("payload = %q, want %q", doc.Payload, want)
	}
}

// TestCard_CopyJSONRedactsUnreadable checks that a stored value that could
// not be read is redacted in the copy, as it is shown as stored.
func TestCard_CopyJSONRedactsUnreadable(t *testing.T) {
	e := runlog.Entry{ID: 1, RunID: 1, Stage: runlog.StageExtract, Status: runlog.StatusFailed,
		Unreadable: []runlog.Unreadable{{Field: "finished_at", Stored: "password=hunter2", Reason: "not a time"}}}
	out, err := details.Expand(e).CopyJSON()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "hunter2") || !strings.Contains(string(out), "password="+redact.Marker) {
		t.Errorf("CopyJSON() = %s, want the unreadable value redacted", out)
	}
	if e.Unreadable[0].Stored != "password=hunter2" {
		t.Errorf("CopyJSON() changed the entry's unreadable value to %q", e.Unreadable[0].Stored)
	}
}
