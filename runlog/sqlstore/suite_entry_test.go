package sqlstore_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func ptr[T any](v T) *T { return &v }

// listAll returns every entry of instanceID, read with the largest pages.
func listAll(t *testing.T, store *sqlstore.Store, instanceID int64) []runlog.Entry {
	t.Helper()
	var all []runlog.Entry
	p := sqlstore.ListParams{Limit: sqlstore.MaxLimit}
	for {
		res, err := store.List(t.Context(), instanceID, p)
		if err != nil {
			t.Fatalf("List() error: %v", err)
		}
		all = append(all, res.Entries...)
		if res.Next == "" {
			return all
		}
		p.Cursor = res.Next
	}
}

// checkRoundTrip checks that rows written as stages come back as want from
// both List (without payloads) and Entry.
func checkRoundTrip(t *testing.T, store *sqlstore.Store, instanceID int64, want []runlog.Entry) {
	t.Helper()
	listed := make([]runlog.Entry, len(want))
	for i, e := range want {
		e.ErrorPayload = nil
		listed[i] = e
	}
	if diff := cmp.Diff(listed, listAll(t, store, instanceID)); diff != "" {
		t.Errorf("List() mismatch (-want +got):\n%s", diff)
	}
	for _, w := range want {
		got, err := store.Entry(t.Context(), instanceID, w.ID)
		if err != nil {
			t.Fatalf("Entry(%d) error: %v", w.ID, err)
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("Entry(%d) mismatch (-want +got):\n%s", w.ID, diff)
		}
	}
}

func testEntry(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	payload := []byte(`{"error":"boom","chain":[{"type":"Timeout","message":"upstream"}]}`)
	h := History{InstanceID: 1, Runs: 3, ErrorPayload: payload}
	runs, stages := h.Rows()
	// One row carries a payload of 1 MiB.
	big := append([]byte(`{"blob":"`), bytes.Repeat([]byte("x"), 1<<20)...)
	big = append(big, `"}`...)
	stages[0].ErrorPayload = big
	InsertRuns(t, db, sqlstore.Tables{}, runs...)
	InsertStages(t, db, sqlstore.Tables{}, stages...)
	Seed(t, db, History{InstanceID: 2, FirstRunID: 10, Runs: 1})

	want := fixtureEntries(runs, stages, OrderedIDs(t, db, 1), true)
	checkRoundTrip(t, store, 1, want)

	ctx := t.Context()
	other := OrderedIDs(t, db, 2)[0]
	for _, tc := range []struct {
		instance, id int64
	}{{1, other}, {2, want[0].ID}, {1, 1 << 40}, {1, -1}} {
		if _, err := store.Entry(ctx, tc.instance, tc.id); !errors.Is(err, sqlstore.ErrNotFound) {
			t.Errorf("Entry(%d, %d) error = %v, want ErrNotFound", tc.instance, tc.id, err)
		}
	}
}

func testNullColumns(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	// A run with values the library does not know, and a stage row with only
	// its required columns: one of that run, one of no run at all.
	if _, err := db.Exec(db.Rebind("INSERT INTO integration_runs (id, instance_id, mode, status) VALUES (?, ?, ?, ?)"),
		5, 1, "turbo", "exploded"); err != nil {
		t.Fatal(err)
	}
	for _, runID := range []int64{5, 999} {
		if _, err := db.Exec(db.Rebind("INSERT INTO integration_run_stages (instance_id, run_id, stage, status) VALUES (?, ?, ?, ?)"),
			1, runID, "weird_stage", "mystery"); err != nil {
			t.Fatal(err)
		}
	}
	// A run of another instance with the same id as the orphan's run_id
	// must not be joined to it.
	if _, err := db.Exec(db.Rebind("INSERT INTO integration_runs (id, instance_id, mode, status) VALUES (?, ?, ?, ?)"),
		999, 2, "apply", "completed"); err != nil {
		t.Fatal(err)
	}
	ids := OrderedIDs(t, db, 1)
	want := []runlog.Entry{
		{ID: ids[0], InstanceID: 1, RunID: 999, Stage: "weird_stage", Status: "mystery", Attempt: 1},
		{ID: ids[1], InstanceID: 1, RunID: 5, Mode: "turbo", RunStatus: "exploded", Stage: "weird_stage", Status: "mystery", Attempt: 1},
	}
	checkRoundTrip(t, store, 1, want)
}

func testExplicitIDs(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	at := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	InsertRuns(t, db, sqlstore.Tables{},
		Run{ID: 10, InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunCompleted},
		Run{ID: 20, InstanceID: 1, Mode: runlog.ModePreview, Status: runlog.RunPreviewReady})
	InsertStages(t, db, sqlstore.Tables{},
		StageRow{ID: 100, InstanceID: 1, RunID: 10, Stage: runlog.StageExtract, Status: runlog.StatusCompleted, StartedAt: &at},
		StageRow{ID: 90, InstanceID: 1, RunID: 10, Stage: runlog.StageValidateSetup, Status: runlog.StatusCompleted, StartedAt: &at},
		StageRow{ID: 200, InstanceID: 1, RunID: 20, Stage: runlog.StageDecide, Status: runlog.StatusPreviewReady, StartedAt: &at})
	// Imported ids; then the identity sequences are advanced (PostgreSQL
	// only) and new rows get generated ids above them.
	SyncIDs(t, db, sqlstore.Tables{})
	InsertRuns(t, db, sqlstore.Tables{}, Run{InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunRunning})
	var runID int64
	if err := db.Get(&runID, "SELECT MAX(id) FROM integration_runs"); err != nil || runID <= 20 {
		t.Fatalf("generated run id = %d, %v; want above 20", runID, err)
	}
	InsertStages(t, db, sqlstore.Tables{}, StageRow{InstanceID: 1, RunID: runID, Stage: runlog.StageValidateSetup, Status: runlog.StatusRunning, StartedAt: &at})
	got := entryIDs(listAll(t, store, 1))
	if len(got) != 4 || got[0] <= 200 {
		t.Fatalf("IDs = %v, want a generated id above 200 first", got)
	}
	if diff := cmp.Diff([]int64{got[0], 200, 90, 100}, got); diff != "" {
		t.Errorf("IDs mismatch (-want +got):\n%s", diff)
	}
}

func testTimes(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	ist := time.FixedZone("IST", 5*3600+1800)
	started := time.Date(2025, 3, 4, 10, 36, 7, 123456000, ist)
	finished := time.Date(2025, 3, 4, 5, 6, 8, 1000, time.UTC)
	InsertRuns(t, db, sqlstore.Tables{}, Run{ID: 1, InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunCompleted})
	InsertStages(t, db, sqlstore.Tables{}, StageRow{InstanceID: 1, RunID: 1, Stage: runlog.StageExtract,
		Status: runlog.StatusCompleted, StartedAt: &started, FinishedAt: &finished})
	entries := listAll(t, store, 1)
	if len(entries) != 1 {
		t.Fatalf("List() = %d entries, want 1", len(entries))
	}
	e := entries[0]
	if !e.StartedAt.Equal(started) || e.StartedAt.Location() != time.UTC {
		t.Errorf("StartedAt = %v, want %v in UTC", e.StartedAt, started.UTC())
	}
	if e.FinishedAt == nil || !e.FinishedAt.Equal(finished) || e.FinishedAt.Location() != time.UTC {
		t.Errorf("FinishedAt = %v, want %v in UTC", e.FinishedAt, finished)
	}

	// The bounds compare exactly with the stored microseconds.
	for _, tc := range []struct {
		name string
		p    sqlstore.ListParams
		want int
	}{
		{"AfterAtStart", sqlstore.ListParams{StartedAfter: started}, 1},
		{"AfterJustPastStart", sqlstore.ListParams{StartedAfter: started.Add(time.Nanosecond)}, 0},
		{"BeforeAtStart", sqlstore.ListParams{StartedBefore: started}, 0},
		{"BeforeJustPastStart", sqlstore.ListParams{StartedBefore: started.Add(time.Nanosecond)}, 1},
		{"BeforeOneMicrosecondPast", sqlstore.ListParams{StartedBefore: started.Add(time.Microsecond)}, 1},
	} {
		res, err := store.List(t.Context(), 1, tc.p)
		if err != nil {
			t.Fatalf("%s: List() error: %v", tc.name, err)
		}
		if len(res.Entries) != tc.want {
			t.Errorf("%s: List() = %d entries, want %d", tc.name, len(res.Entries), tc.want)
		}
	}

	// Drivers configured otherwise read the same times.
	var other *sqlx.DB
	switch d {
	case sqlstore.MySQL:
		var name string
		if err := db.Get(&name, "SELECT DATABASE()"); err != nil {
			t.Fatal(err)
		}
		other = openMySQLDatabase(t, name, func(c *mysql.Config) { c.ParseTime = true })
	case sqlstore.SQLite:
		// Without _time_format, modernc.org/sqlite writes time.Time.String().
		var file string
		if err := db.Get(&file, "SELECT file FROM pragma_database_list WHERE name = 'main'"); err != nil {
			t.Fatal(err)
		}
		var err error
		if other, err = sqlx.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)"); err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := other.Exec("INSERT INTO integration_run_stages (instance_id, run_id, stage, status, started_at) VALUES (?, ?, ?, ?, ?)",
			2, 2, "extract", "running", started); err != nil {
			t.Fatal(err)
		}
		got := listAll(t, store, 2)
		if len(got) != 1 || !got[0].StartedAt.Equal(started) {
			t.Errorf("time written as time.Time.String() read as %v, want %v", got, started)
		}
	default:
		return
	}
	otherStore, err := sqlstore.New(other, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(entries, listAll(t, otherStore, 1)); diff != "" {
		t.Errorf("read through another connection mismatch (-want +got):\n%s", diff)
	}
}

// unicodeTexts are summaries that must round-trip byte for byte.
var unicodeTexts = []string{
	"emoji: rocket 🚀, family 👩‍👩‍👧‍👦, flag 🇯🇵, skin tone 👍🏽",
	"CJK: 同期に失敗しました・数据同步失败・동기화 실패",
	"combining marks: e\u0301 a\u0308 n\u0303 (NFD, not composed)",
	"RTL: فشل المزامنة — הסנכרון נכשל \u202eoverride\u202c",
	"astral: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 \U0010FFFD",
	"quotes and escapes: 'single' \"double\" \\back\\slash\\ %_ ; -- /* */",
}

func testUnicode(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	InsertRuns(t, db, sqlstore.Tables{}, Run{ID: 1, InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunFailed})
	var stages []StageRow
	for i, s := range unicodeTexts {
		stages = append(stages, StageRow{InstanceID: 1, RunID: 1, Stage: runlog.StageReconcile, Status: runlog.StatusError,
			Attempt: i + 1, ErrorSummary: ptr(s),
			ErrorPayload: fmt.Appendf(nil, `{"message":%q}`, s),
			Metrics:      fmt.Appendf(nil, `{"note":%q,"n":%d}`, s, i)})
	}
	InsertStages(t, db, sqlstore.Tables{}, stages...)
	want := fixtureEntries([]Run{{ID: 1, Mode: runlog.ModeApply, Status: runlog.RunFailed}}, stages, OrderedIDs(t, db, 1), true)
	checkRoundTrip(t, store, 1, want)
}

// orderedMetrics are metrics whose keys are not in sorted order, with
// spacing, duplicates and invalid JSON, which must all come back as written.
var orderedMetrics = []string{
	`{"zeta": 1, "alpha": 2, "mid": 3}`,
	`{"records_out":120,"records_in":130,"errors":0,"duration_ms":5012}`,
	`{"z":{"b":1,"a":2},"a":[3,1,2],"m":null}`,
	`{"dup":1,"dup":2}`,
	`{"unterminated": [1, 2`,
	"  {\n  \"indented\": true\n}\n",
	`{"big":12345678901234567890123,"float":1.000}`,
}

func testMetricsOrder(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	InsertRuns(t, db, sqlstore.Tables{}, Run{ID: 1, InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunCompleted})
	var stages []StageRow
	for i, m := range orderedMetrics {
		stages = append(stages, StageRow{InstanceID: 1, RunID: 1, Stage: runlog.StageDecide, Status: runlog.StatusCompleted,
			Attempt: i + 1, Metrics: []byte(m), ErrorPayload: []byte(strings.ReplaceAll(m, "1", "9"))})
	}
	InsertStages(t, db, sqlstore.Tables{}, stages...)
	want := fixtureEntries([]Run{{ID: 1, Mode: runlog.ModeApply, Status: runlog.RunCompleted}}, stages, OrderedIDs(t, db, 1), true)
	checkRoundTrip(t, store, 1, want)
}
