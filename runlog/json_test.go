package runlog

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// equalTimes compares times by instant, as a round trip through JSON keeps
// them (the location becomes a fixed zone).
var equalTimes = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func TestEntry_MarshalJSON(t *testing.T) {
	started := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	finished := started.Add(3250 * time.Millisecond)
	zero := time.Time{}
	full := Entry{
		ID: 1001, InstanceID: 7, RunID: 42, Mode: ModeApply, RunStatus: RunFailed,
		Stage: StageReconcile, Status: StatusFailed, Attempt: 2, StartedAt: started, FinishedAt: &finished,
		ErrorSummary: "boom", ErrorPayload: json.RawMessage(`{"type": "E", "message": "m"}`),
		Metrics: json.RawMessage(`{"zeta": 1, "alpha": 12345678901234567890}`),
	}
	const head = `{"id":1001,"instance_id":7,"run_id":42,"mode":"apply","run_status":"failed","stage":"reconcile","status":"failed","attempt":2,`
	for _, tc := range []struct {
		name, why string
		edit      func(e *Entry)
		want      string // after head
	}{
		{"Full", "stored JSON embedded, in document order and exactly", func(e *Entry) {},
			`"started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T09:00:03.25Z","error_summary":"boom","error_payload":{"type":"E","message":"m"},"metrics":{"zeta":1,"alpha":12345678901234567890}}`},
		{"Queued", "a row that has not started has null times", func(e *Entry) { e.StartedAt, e.FinishedAt = time.Time{}, nil },
			`"started_at":null,"finished_at":null,"error_summary":"boom","error_payload":{"type":"E","message":"m"},"metrics":{"zeta":1,"alpha":12345678901234567890}}`},
		{"ZeroFinish", "a finish time that could not be read is null too", func(e *Entry) { e.FinishedAt = &zero },
			`"started_at":"2026-11-20T09:00:00Z","finished_at":null,"error_summary":"boom","error_payload":{"type":"E","message":"m"},"metrics":{"zeta":1,"alpha":12345678901234567890}}`},
		{"Absent", "no text, white space and null are null", func(e *Entry) { e.ErrorPayload, e.Metrics = json.RawMessage(" \n"), json.RawMessage(" null ") },
			`"started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T09:00:03.25Z","error_summary":"boom","error_payload":null,"metrics":null}`},
		{"Nil", "nil is null", func(e *Entry) { e.ErrorPayload, e.Metrics = nil, nil },
			`"started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T09:00:03.25Z","error_summary":"boom","error_payload":null,"metrics":null}`},
		{"Invalid", "stored text that is not JSON is a string", func(e *Entry) {
			e.ErrorPayload, e.Metrics = json.RawMessage(`{"message": "cut off`), json.RawMessage(`rows=12`)
		}, `"started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T09:00:03.25Z","error_summary":"boom","error_payload":"{\"message\": \"cut off","metrics":"rows=12"}`},
		{"TooDeep", "JSON nested deeper than encoding/json reads is a string", func(e *Entry) {
			e.ErrorPayload, e.Metrics = nil, json.RawMessage(strings.Repeat("[", 20_000)+strings.Repeat("]", 20_000))
		}, `"started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T09:00:03.25Z","error_summary":"boom","error_payload":null,"metrics":"` + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + `"}`},
		{"InvalidUTF8", "each bad byte is U+FFFD, in strings and in stored JSON", func(e *Entry) {
			e.Mode, e.ErrorSummary = "ap\xffply", "bad \xfe\xfd"
			e.ErrorPayload, e.Metrics = json.RawMessage("{\"message\": \"\xff\"}"), json.RawMessage("not \xff json")
		}, ``},
		{"FarFuture", "a year past 9999 is written, not refused", func(e *Entry) {
			e.StartedAt = time.Date(10000, 1, 2, 3, 4, 5, 6, time.UTC)
		}, `"started_at":"10000-01-02T03:04:05.000000006Z","finished_at":"2026-11-20T09:00:03.25Z","error_summary":"boom","error_payload":{"type":"E","message":"m"},"metrics":{"zeta":1,"alpha":12345678901234567890}}`},
		{"OddZone", "an offset RFC 3339 cannot hold is written in UTC", func(e *Entry) {
			e.StartedAt = started.In(time.FixedZone("odd", 25*3600))
		}, `"started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T09:00:03.25Z","error_summary":"boom","error_payload":{"type":"E","message":"m"},"metrics":{"zeta":1,"alpha":12345678901234567890}}`},
		{"ClippedAndUnreadable", "the list's flags are kept", func(e *Entry) {
			e.Clipped, e.StartedAt = true, time.Time{}
			e.Unreadable = []Unreadable{{Field: "started_at", Stored: "0000-00-00 00:00:00", Reason: "month out of range"}}
		}, `"started_at":null,"finished_at":"2026-11-20T09:00:03.25Z","error_summary":"boom","error_payload":{"type":"E","message":"m"},"metrics":{"zeta":1,"alpha":12345678901234567890},"clipped":true,"unreadable":[{"field":"started_at","stored":"0000-00-00 00:00:00","reason":"month out of range"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := full
			tc.edit(&e)
			got, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("%s: Marshal() error: %v", tc.why, err)
			}
			if !json.Valid(got) || !utf8.Valid(got) {
				t.Fatalf("%s: Marshal() is not valid JSON and UTF-8: %s", tc.why, got)
			}
			if tc.want != "" {
				if diff := cmp.Diff(head+tc.want, string(got)); diff != "" {
					t.Errorf("%s: Marshal() mismatch (-want +got):\n%s", tc.why, diff)
				}
			}
			// Decoding gives the row back; stored text that was not JSON
			// comes back as the JSON string that stood for it.
			var back Entry
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("Unmarshal() error: %v", err)
			}
			again, err := json.Marshal(back)
			if err != nil {
				t.Fatal(err)
			}
			var first, second any
			_, _ = json.Unmarshal(got, &first), json.Unmarshal(again, &second)
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("encoding the decoded row gives another document (-first +second):\n%s", diff)
			}
		})
	}
	t.Run("InvalidUTF8Text", func(t *testing.T) {
		e := full
		e.Mode, e.ErrorSummary = "ap\xffply", "bad \xfe\xfd"
		e.ErrorPayload, e.Metrics = json.RawMessage("{\"message\": \"\xff\"}"), json.RawMessage("not \xff json")
		var got map[string]any
		b, _ := json.Marshal(e)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"mode": "ap\uFFFDply", "error_summary": "bad \uFFFD\uFFFD", "error_payload": map[string]any{"message": "\uFFFD"}, "metrics": "not \uFFFD json"}
		for key, w := range want {
			if diff := cmp.Diff(w, got[key]); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", key, diff)
			}
		}
	})
}

func TestEntry_JSONRoundTrip(t *testing.T) {
	started := time.Date(2026, 11, 20, 9, 0, 0, 123456789, time.FixedZone("+0530", 5*3600+1800))
	finished := started.Add(time.Hour)
	far := time.Date(12345, 6, 7, 8, 9, 10, 0, time.UTC)
	for _, e := range []Entry{
		{},
		{ID: 1, Mode: "dry-run", Stage: "host_stage", StartedAt: started, FinishedAt: &finished, ErrorPayload: json.RawMessage(`{"a":[1,2]}`), Metrics: json.RawMessage(`{"b":"c"}`)},
		{ID: 2, StartedAt: far, FinishedAt: &far, Clipped: true, Unreadable: []Unreadable{{Field: "finished_at", Reason: "no"}}},
		{ID: 3, StartedAt: time.Date(-1, 2, 3, 4, 5, 6, 0, time.UTC)},
	} {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", e, err)
		}
		var got Entry
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if diff := cmp.Diff(e, got, equalTimes); diff != "" {
			t.Errorf("round trip of %s mismatch (-want +got):\n%s", b, diff)
		}
	}
}

// TestEntry_MarshalJSONPage checks that one bad row does not stop a page
// from encoding.
func TestEntry_MarshalJSONPage(t *testing.T) {
	good := Entry{ID: 1, Metrics: json.RawMessage(`{"rows": 12}`), StartedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	bad := Entry{ID: 2, Metrics: json.RawMessage(`{"rows": `), ErrorPayload: json.RawMessage{}, Status: "\xff\x00",
		StartedAt: time.Date(99999, 1, 1, 0, 0, 0, 0, time.UTC)}
	page := []Entry{good, bad, good}
	b, err := json.Marshal(page)
	if err != nil {
		t.Fatalf("Marshal(page) error: %v", err)
	}
	var back []map[string]any
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 3 {
		t.Fatalf("Unmarshal(page) = %d rows, %v", len(back), err)
	}
	want := map[string]any{"metrics": `{"rows": `, "error_payload": nil, "status": "\uFFFD\u0000", "started_at": "99999-01-01T00:00:00Z"}
	for key, w := range want {
		if diff := cmp.Diff(w, back[1][key]); diff != "" {
			t.Errorf("bad row's %s mismatch (-want +got):\n%s", key, diff)
		}
	}
	if diff := cmp.Diff(map[string]any{"rows": float64(12)}, back[2]["metrics"]); diff != "" {
		t.Errorf("good row after the bad one (-want +got):\n%s", diff)
	}
}

func TestRun_MarshalJSON(t *testing.T) {
	created := time.Date(2026, 11, 20, 8, 59, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		run  Run
		want string
	}{
		{"Queued", Run{ID: 42, InstanceID: 7, Mode: ModePreview, Status: RunQueued, CreatedAt: created},
			`{"id":42,"instance_id":7,"mode":"preview","status":"queued","debug":false,"summary":null,"created_at":"2026-11-20T08:59:00Z","started_at":null,"finished_at":null}`},
		{"Finished", Run{ID: 42, Mode: ModeApply, Status: RunCompleted, Debug: true, Summary: json.RawMessage(`{"top_decision_reason_codes":[]}`),
			CreatedAt: created, StartedAt: created.Add(time.Second), FinishedAt: &created},
			`{"id":42,"instance_id":0,"mode":"apply","status":"completed","debug":true,"summary":{"top_decision_reason_codes":[]},"created_at":"2026-11-20T08:59:00Z","started_at":"2026-11-20T08:59:01Z","finished_at":"2026-11-20T08:59:00Z"}`},
		{"BadSummary", Run{ID: 1, Summary: json.RawMessage("{\"cut"), Unreadable: []Unreadable{{Field: "created_at", Stored: "infinity", Reason: "not a time"}}},
			`{"id":1,"instance_id":0,"mode":"","status":"","debug":false,"summary":"{\"cut","created_at":null,"started_at":null,"finished_at":null,"unreadable":[{"field":"created_at","stored":"infinity","reason":"not a time"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.run)
			if err != nil {
				t.Fatalf("Marshal() error: %v", err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("Marshal() mismatch (-want +got):\n%s", diff)
			}
			var back Run
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if tc.name != "BadSummary" {
				if diff := cmp.Diff(tc.run, back, equalTimes); diff != "" {
					t.Errorf("round trip mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestJSONShapes checks that the JSON shapes keep the fields of the types
// they stand for, in order and under the names of their tags, so that a
// field added to Entry or Run is not left out of their JSON.
func TestJSONShapes(t *testing.T) {
	for _, tc := range []struct{ typ, shape reflect.Type }{
		{reflect.TypeFor[Entry](), reflect.TypeFor[entryJSON]()},
		{reflect.TypeFor[Run](), reflect.TypeFor[runJSON]()},
	} {
		var want, got []string
		for f := range tc.typ.Fields() {
			want = append(want, f.Name+" "+f.Tag.Get("json"))
		}
		for f := range tc.shape.Fields() {
			got = append(got, f.Name+" "+f.Tag.Get("json"))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: JSON shape mismatch (-fields +shape):\n%s", tc.typ, diff)
		}
	}
}
