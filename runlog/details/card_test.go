package details_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestExpand_Metrics(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		metrics   string
		want      []details.Metric
		wantErr   error
		wantText  string // the error's text, when it matters
	}{
		{"None", "no metrics stored", "", nil, nil, ""},
		{"All", "every member in document order; objects and arrays indented",
			`{"zeta": 1e21, "alpha": {"create": 3, "skip": []}, "list": [1, "two"], "msg": "a\r\nb\tc", "ok": false}`,
			[]details.Metric{
				{"zeta", "1e21"},
				{"alpha", "{\n  \"create\": 3,\n  \"skip\": []\n}"},
				{"list", "[\n  1,\n  \"two\"\n]"},
				{"msg", "a\nb\tc"},
				{"ok", "false"},
			}, nil, ""},
		{"Duplicates", "duplicate and empty keys as written", `{"a": 1, "a": 2, "": 3}`,
			[]details.Metric{{"a", "1"}, {"a", "2"}, {"", "3"}}, nil, ""},
		{"InvalidUTF8", "invalid bytes are U+FFFD, in strings and in objects", "{\"k\xff\": \"\xfe\", \"o\": {\"x\": \"\xfd\"}}",
			[]details.Metric{{"k\uFFFD", "\uFFFD"}, {"o", "{\n  \"x\": \"\uFFFD\"\n}"}}, nil, ""},
		{"NotObject", "valid JSON, but not an object", `[1, 2]`, nil, details.ErrNotObject, "details: metrics are not a JSON object"},
		{"NotJSON", "not JSON at all", `rows=12`, nil, details.ErrMalformedJSON, "details: malformed JSON at byte 0"},
		{"Malformed", "the members before the problem, and where it is", `{"a": 1, "b": {"c": }, "d": 4}`,
			[]details.Metric{{"a", "1"}}, details.ErrMalformedJSON, "details: malformed JSON at byte 20"},
		{"TrailingGarbage", "all members, and the garbage reported", `{"a": 1}}`,
			[]details.Metric{{"a", "1"}}, details.ErrMalformedJSON, "details: malformed JSON at byte 8"},
		{"Deep", "nesting 100,000 deep is refused", `{"a": 1, "b": ` + deep(100_000) + `}`,
			[]details.Metric{{"a", "1"}}, details.ErrTooDeep, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := details.Expand(runlog.Entry{Metrics: json.RawMessage(tc.metrics)})
			if diff := cmp.Diff(tc.want, c.Metrics); diff != "" {
				t.Errorf("%s: Metrics mismatch (-want +got):\n%s", tc.why, diff)
			}
			if diff := cmp.Diff(tc.wantErr, c.MetricsErr, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("%s: MetricsErr mismatch (-want +got):\n%s", tc.why, diff)
			}
			if tc.wantText != "" && (c.MetricsErr == nil || c.MetricsErr.Error() != tc.wantText) {
				t.Errorf("%s: MetricsErr = %v, want %q", tc.why, c.MetricsErr, tc.wantText)
			}
		})
	}
}

func TestExpand_ManyMetrics(t *testing.T) {
	c := details.Expand(runlog.Entry{Metrics: metricsOf(4000)})
	if len(c.Metrics) != 4000 || c.MetricsErr != nil {
		t.Fatalf("Expand() read %d metrics, err %v; want 4000, nil", len(c.Metrics), c.MetricsErr)
	}
	if got, want := c.Metrics[3999].Key, "shard_3999"; got != want {
		t.Errorf("last key = %q, want %q", got, want)
	}
}

func TestExpand_ErrorSummary(t *testing.T) {
	summary := "line one\r\nline two\rthree\x00\ttab \xff" + strings.Repeat("é", 500)
	c := details.Expand(runlog.Entry{ErrorSummary: summary})
	want := "line one\nline two\nthree\uFFFD\ttab \uFFFD" + strings.Repeat("é", 500)
	if diff := cmp.Diff(want, c.ErrorSummary); diff != "" {
		t.Errorf("ErrorSummary mismatch (-want +got):\n%s", diff)
	}
}

func TestCard_CopyJSON(t *testing.T) {
	base := rowOf("boom", nil)
	for _, tc := range []struct {
		name, why string
		metrics   string
		payload   string
		want      map[string]any // the fields to check
	}{
		{"Valid", "stored JSON is embedded as JSON, compact numbers kept",
			`{"b": 12345678901234567890, "a": 1}`, `{"message": "m"}`,
			map[string]any{"metrics": map[string]any{"b": json.Number("12345678901234567890"), "a": json.Number("1")}, "payload": map[string]any{"message": "m"}}},
		{"Absent", "nothing stored is null", "", "null",
			map[string]any{"metrics": nil, "payload": nil}},
		{"Malformed", "malformed JSON is embedded as a string, and the error named",
			`{"a": 1,`, "{\"message\": \"\xff", map[string]any{
				"metrics": `{"a": 1,`, "metrics_error": "details: malformed JSON at byte 8",
				"payload": "{\"message\": \"\uFFFD", "payload_error": "details: malformed JSON at byte 14",
			}},
		{"NotObject", "valid metrics that are not an object are embedded, and named",
			`[1, 2]`, "", map[string]any{"metrics": []any{json.Number("1"), json.Number("2")}, "metrics_error": "details: metrics are not a JSON object"}},
		{"Deep", "JSON too deep to read is embedded as a string",
			deep(100_000), "", map[string]any{"metrics": deep(100_000), "metrics_error": "details: JSON nested more than 1000 levels deep at byte 1000"}},
		{"InvalidUTF8", "invalid UTF-8 in valid JSON becomes U+FFFD", "{\"a\": \"\xff\"}", "",
			map[string]any{"metrics": map[string]any{"a": "\uFFFD"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := base
			e.Metrics, e.ErrorPayload = json.RawMessage(tc.metrics), json.RawMessage(tc.payload)
			out, err := details.Expand(e).CopyJSON()
			if err != nil {
				t.Fatalf("CopyJSON() error: %v", err)
			}
			if !json.Valid(out) || !utf8.Valid(out) {
				t.Fatalf("CopyJSON() is not valid JSON and UTF-8:\n%s", out)
			}
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.UseNumber()
			var got map[string]any
			if err := dec.Decode(&got); err != nil {
				t.Fatal(err)
			}
			for key, want := range tc.want {
				if diff := cmp.Diff(want, got[key]); diff != "" {
					t.Errorf("%s: %s mismatch (-want +got):\n%s", tc.why, key, diff)
				}
			}
			for _, key := range []string{"metrics_error", "payload_error"} {
				if _, ok := tc.want[key]; !ok && got[key] != nil {
					t.Errorf("%s: unexpected %s %v", tc.why, key, got[key])
				}
			}
		})
	}
}

// TestCard_CopyJSONOrder checks that the document keeps the stored order of
// the metrics, which a Go map would lose.
func TestCard_CopyJSONOrder(t *testing.T) {
	e := rowOf("boom", json.RawMessage(`{"zeta": 1, "alpha": 2, "mid": {"z": 1, "a": 2}}`))
	out, err := details.Expand(e).CopyJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := "  \"metrics\": {\n    \"zeta\": 1,\n    \"alpha\": 2,\n    \"mid\": {\n      \"z\": 1,\n      \"a\": 2\n    }\n  },"
	if !strings.Contains(string(out), want) {
		t.Errorf("CopyJSON() does not hold the metrics in stored order:\n%s", out)
	}
}

// cardCases are the rows whose rendered cards are kept as golden files.
func cardCases() []struct {
	name string
	e    runlog.Entry
} {
	started := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	finished := started.Add(3*time.Second + 250*time.Millisecond)
	row := func(stage runlog.Stage, status runlog.Status, attempt int, done bool) runlog.Entry {
		e := runlog.Entry{
			ID: 1001, InstanceID: 7, RunID: 42, Mode: runlog.ModeApply, RunStatus: runlog.RunFailed,
			Stage: stage, Status: status, Attempt: attempt, StartedAt: started,
		}
		if done {
			e.FinishedAt = &finished
		}
		return e
	}
	own := row(runlog.StageReconcile, runlog.StatusFailed, 2, true)
	own.ErrorSummary = "reconcile: 3 records matched more than one local device"
	own.Metrics = json.RawMessage(`{"matched": 1187, "conflicts": {"ambiguous": 3, "medium": 41}, "duration_ms": 3250, "sample": ["SN-1", "SN-2"]}`)
	own.ErrorPayload = json.RawMessage(`{"type":"ReconcileError","message":"reconcile: 3 records matched more than one local device","trace":"reconcile.(*Matcher).Run\n\tmatcher.go:88\nsync.(*Pipeline).Step\n\tpipeline.go:141","previous":[{"type":"*pgconn.PgError","message":"ERROR: deadlock detected (SQLSTATE 40P01)","trace":"store.(*Devices).Lock\n\tdevices.go:52"},{"type":"*net.OpError","message":"read tcp 10.0.0.7:5432: i/o timeout"}],"previous_omitted":2}`)

	laravel := row(runlog.StageExtract, runlog.StatusError, 1, false)
	laravel.RunStatus = runlog.RunRunning
	laravel.ErrorSummary = "cURL error 28: Operation timed out after 30000 milliseconds"
	laravel.Metrics = json.RawMessage(`{"pages_read": 12, "last_cursor": "eyJpZCI6OTl9"}`)
	laravel.ErrorPayload = json.RawMessage(`{"message":"cURL error 28: Operation timed out after 30000 milliseconds","exception":"GuzzleHttp\\Exception\\ConnectException","trace":[{"file":"/app/Vendor/Client.php","line":114},{"file":"/app/Jobs/Extract.php","line":61,"class":"App\\Jobs\\Extract","type":"->","function":"handle"}],"previous":{"class":"RuntimeException","message":"socket timed out","previous":{"class":"ErrorException","message":"fread(): timed out"}}}`)

	chain := row(runlog.StageApply, runlog.StatusFailed, 3, true)
	chain.ErrorSummary = "apply: write refused"
	chain.ErrorPayload = json.RawMessage(laravelChain(9))

	bad := row(runlog.StageDecide, runlog.StatusFailed, 1, true)
	bad.Mode, bad.RunStatus, bad.Stage = runlog.Mode("apply\x1b[2J"), runlog.RunStatus("weird"), runlog.Stage("decide\nnext")
	bad.ErrorSummary = "bad \xff bytes,\x00 NUL and\r\nnew lines"
	bad.Metrics = json.RawMessage("{\"a\": 1, \"b\": [1, \"\xfe\",")
	bad.ErrorPayload = json.RawMessage(`{"message": "cut off`)

	odd := row(runlog.StagePreviewResults, runlog.StatusPreviewReady, 1, true)
	odd.Mode, odd.RunStatus = runlog.ModePreview, runlog.RunPreviewReady
	odd.StartedAt = time.Time{}
	odd.Metrics = json.RawMessage(`["not", "an", "object"]`)
	odd.ErrorPayload = json.RawMessage(`{"foo": "bar"}`)

	clean := row(runlog.StageDecide, runlog.StatusCompleted, 1, true)
	clean.RunStatus = runlog.RunCompleted
	clean.Metrics = json.RawMessage(`{"decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 11000, "NO_MATCH_CREATE_CANDIDATE": 830}, "": "empty key", "note": "two\nlines"}`)

	// A row of which the store could not read every value.
	unread := row(runlog.StageExtract, runlog.StatusFailed, 1, true)
	unread.StartedAt = time.Time{}
	unread.ErrorSummary = "upstream: 502 Bad Gateway"
	unread.Unreadable = []runlog.Unreadable{
		{Field: "started_at", Stored: "0000-00-00 00:00:00", Reason: `parsing time "0000-00-00 00:00:00": month out of range`},
		{Field: "attempt", Stored: "two\x1b[2J\u202e", Reason: "not a whole number"},
		{Field: "metrics_json", Reason: "not text"},
	}

	return []struct {
		name string
		e    runlog.Entry
	}{
		{"own_payload", own},
		{"laravel_running", laravel},
		{"long_chain", chain},
		{"bad_input", bad},
		{"odd_json", odd},
		{"completed", clean},
		{"unreadable", unread},
	}
}

// TestCard_Golden compares the text and JSON renderings of the cards of
// cardCases with testdata/cards; run with -update to rewrite them.
func TestCard_Golden(t *testing.T) {
	for _, tc := range cardCases() {
		t.Run(tc.name, func(t *testing.T) {
			c := details.Expand(tc.e)
			js, err := c.CopyJSON()
			if err != nil {
				t.Fatalf("CopyJSON() error: %v", err)
			}
			golden(t, tc.name+".txt", []byte(c.String()))
			golden(t, tc.name+".json", append(js, '\n'))
		})
	}
}

// golden compares got with testdata/cards/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "cards", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestCard_String(t *testing.T) {
	// Every rendering is valid UTF-8 with no control characters but tab and
	// line feed, whatever the row holds.
	for _, tc := range cardCases() {
		s := details.Expand(tc.e).String()
		if !utf8.ValidString(s) {
			t.Errorf("%s: String() is not valid UTF-8", tc.name)
		}
		for _, r := range s {
			if r < ' ' && r != '\n' && r != '\t' || r == 0x7f {
				t.Errorf("%s: String() holds control character %U", tc.name, r)
				break
			}
		}
	}
	// A card made by hand renders too.
	var c details.Card
	c.MetricsErr = errors.New("custom")
	if got := c.String(); !strings.Contains(got, "(unreadable: custom)") {
		t.Errorf("String() of a hand-made card = %q", got)
	}
	want := "Run       #0 · /\nStage\nStatus\nAttempt   0\nStarted   unknown\nFinished  not finished\n"
	if got := fmt.Sprint(details.Card{}); got != want {
		t.Errorf("String() of the zero card = %q, want %q", got, want)
	}
}

// TestCard_StringSafeToPrint checks that no stored character that a
// terminal would obey reaches the text: control characters (C1 and DEL
// too) and bidirectional formatting characters, wherever they are stored.
func TestCard_StringSafeToPrint(t *testing.T) {
	e := rowOf("summary \u202eevil\u202c\x1b[2J", json.RawMessage("{\"k\u2066\": {\"csi\": \"\u009b2J\", \"del\": \"\x7f\", \"rlo\": \"\u202e\", \"escaped\": \"\\u202e\"}, \"s\": \"x\u200fy\"}"))
	e.ErrorPayload = json.RawMessage("{\"type\": \"T\u202e\", \"message\": \"m\u061c\u0085\", \"trace\": [\"frame\u2069\"], \"previous\": [{\"x\": \"\u202d\"}]}")
	e.Stage = "decide\u202e"
	c := details.Expand(e)
	text := c.String()
	for _, r := range text {
		if r != '\n' && r != '\t' && unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("String() holds %U:\n%s", r, text)
		}
	}
	// Inside JSON values the characters are escaped, so the value means the same.
	want := []details.Metric{
		{"k\uFFFD", "{\n  \"csi\": \"\\u009b2J\",\n  \"del\": \"\\u007f\",\n  \"rlo\": \"\\u202e\",\n  \"escaped\": \"\\u202e\"\n}"},
		{"s", "x\uFFFDy"},
	}
	if diff := cmp.Diff(want, c.Metrics); diff != "" {
		t.Errorf("Metrics mismatch (-want +got):\n%s", diff)
	}
	wantEx := []details.Exception{{Type: "T\uFFFD", Message: "m\uFFFD\uFFFD", Trace: "frame\uFFFD"}, {Message: `{"x":"` + "\uFFFD" + `"}`}}
	if diff := cmp.Diff(wantEx, c.Exceptions); diff != "" {
		t.Errorf("Exceptions mismatch (-want +got):\n%s", diff)
	}
}

// TestExpand_DeepValue checks that JSON nested as deep as the card reads
// is indented only IndentDepth levels, so the card does not grow to many
// times the stored size (indenting every level of 1,000 would make 2 MB of
// a 6 KB value).
func TestExpand_DeepValue(t *testing.T) {
	n := details.MaxDepth - 1
	metrics := `{"a": ` + strings.Repeat(`{"b":`, n) + "1" + strings.Repeat("}", n) + `}`
	e := runlog.Entry{Metrics: json.RawMessage(metrics), ErrorPayload: json.RawMessage(`{"message":"m","context":` + deep(n) + `}`)}
	c := details.Expand(e)
	if c.MetricsErr != nil || len(c.Metrics) != 1 {
		t.Fatalf("Expand() = %d metrics, %v", len(c.Metrics), c.MetricsErr)
	}
	out, err := c.CopyJSON()
	if err != nil || !json.Valid(out) {
		t.Fatalf("CopyJSON() = %v, valid %v", err, json.Valid(out))
	}
	limit := 2*len(metrics) + 2*details.IndentDepth*details.IndentDepth
	for name, got := range map[string]int{"metric": len(c.Metrics[0].Value), "String": len(c.String()), "CopyJSON": len(out) - len(e.ErrorPayload)} {
		if got > limit {
			t.Errorf("%s is %d bytes for %d stored, want at most %d", name, got, len(metrics), limit)
		}
	}
}
