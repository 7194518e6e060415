package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

// exportRows are the rows of the export golden files: two runs, and rows
// holding what a spreadsheet or a CSV reader could trip on.
func exportRows() []runlog.Entry {
	rows := append(goodRun.entries(1), failedRun.entries(100)...)
	odd := entry(900, runlog.StageReconcile, "{\"note\": \"comma, \\\"quote\\\"\"}\n")
	odd.ErrorSummary = "=HYPERLINK(\"http://evil\", \"click\")"
	odd.ErrorPayload = json.RawMessage("@SUM(1+1)\r\nnot JSON\rat all \xff")
	odd.Status = "+failed"
	odd.Attempt = -3
	running := entry(901, "-stage", "[1, 2]")
	running.ErrorSummary = "line one\nline two, with a comma\tand a tab"
	running.Clipped = true
	return append(rows, odd, running)
}

func TestWriteCSV_Golden(t *testing.T) {
	var b bytes.Buffer
	n, err := report.WriteCSV(&b, seq(exportRows()...))
	if err != nil {
		t.Fatalf("WriteCSV() error: %v", err)
	}
	if want := int64(len(exportRows())); n != want {
		t.Errorf("WriteCSV() = %d rows, want %d", n, want)
	}
	golden(t, "export.csv", b.Bytes())
	if !utf8.Valid(b.Bytes()) {
		t.Error("output is not valid UTF-8")
	}
}

// readCSV reads back what WriteCSV wrote, as a spreadsheet or another
// program would.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("csv.Reader: %v\n%s", err, data)
	}
	return records
}

func TestWriteCSV_Header(t *testing.T) {
	var b bytes.Buffer
	n, err := report.WriteCSV(&b, seq())
	if err != nil || n != 0 {
		t.Fatalf("WriteCSV() = %d, %v; want 0, nil", n, err)
	}
	want := "Run,Stage,Status,Attempt,Started,Finished,Details,id,run_id,error_summary,metrics_json,error_payload\r\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("header mismatch (-want +got):\n%s", diff)
	}
	var cols []string
	for _, c := range runlog.Columns() {
		cols = append(cols, string(c))
	}
	if got := readCSV(t, b.Bytes())[0][:len(cols)]; !cmp.Equal(cols, got) {
		t.Errorf("header starts %q, want runlog.Columns() %q", got, cols)
	}
}

func TestWriteCSV_Fields(t *testing.T) {
	tests := []struct {
		name    string
		summary string // the row's error summary
		want    string // the error_summary field read back
	}{
		{"Plain", "timed out", "timed out"},
		{"Empty", "", ""},
		{"Comma", "a, b", "a, b"},
		{"Quotes", `say "hi"`, `say "hi"`},
		{"Newlines", "one\ntwo\r\nthree\rfour", "one\ntwo\nthree\nfour"},
		{"LeadingSpace", " =1+1", " =1+1"},
		{"Equals", "=1+1", "'=1+1"},
		{"Plus", "+1+1", "'+1+1"},
		{"Minus", "-1+1", "'-1+1"},
		{"At", "@SUM(A1)", "'@SUM(A1)"},
		{"Tab", "\t=1", "'\t=1"},
		{"CR", "\r=1", "'\n=1"},
		{"NUL", "\x00=1", "'\x00=1"},
		{"Inside", "a=1+1", "a=1+1"},
		{"InvalidUTF8", "caf\xe9", "caf\uFFFD"},
		{"Formula", `=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := entry(1, runlog.StageExtract, `{"a": 1}`)
			e.ErrorSummary = tc.summary
			var b bytes.Buffer
			if _, err := report.WriteCSV(&b, seq(e)); err != nil {
				t.Fatalf("WriteCSV() error: %v", err)
			}
			records := readCSV(t, b.Bytes())
			if len(records) != 2 {
				t.Fatalf("read %d records, want 2:\n%q", len(records), b.String())
			}
			if got := records[1][9]; got != tc.want {
				t.Errorf("error_summary = %q, want %q", got, tc.want)
			}
			// The Details cell starts with the summary too, and is guarded
			// the same way.
			if d := records[1][6]; strings.ContainsRune("=+-@\t\r\x00", rune(d[0])) {
				t.Errorf("Details %q starts with a formula character", d)
			}
			if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b.Bytes(), []byte("\r\n"), nil), []byte("\n")) {
				t.Errorf("line breaks are not all CRLF: %q", b.String())
			}
		})
	}
}

func TestWriteCSV_Values(t *testing.T) {
	// The numbers the export writes itself are not prefixed; stored values
	// are, times are RFC 3339 UTC, and raw columns hold the stored text.
	e := failedRun.entries(100)[4]
	e.Attempt = -3
	e.Stage = "-weird"
	e.FinishedAt = nil
	var b bytes.Buffer
	if _, err := report.WriteCSV(&b, seq(e)); err != nil {
		t.Fatalf("WriteCSV() error: %v", err)
	}
	got := readCSV(t, b.Bytes())[1]
	want := []string{
		"#103 · apply / failed", "'-weird", "failed", "-3", "2026-11-27T09:01:55Z", "",
		"Reconcile stopped: 3 upstream records matched more than one local device, and the device lock could not be taken (deadlo… · matched: 1201 · unmatched: 96",
		"104", "103", e.ErrorSummary, string(e.Metrics), string(e.ErrorPayload),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record mismatch (-want +got):\n%s", diff)
	}
}

func TestWriteCSV_IteratorError(t *testing.T) {
	broken := errors.New("connection reset")
	var b bytes.Buffer
	rows := goodRun.entries(1)
	n, err := report.WriteCSV(&b, failing(broken, rows...))
	if err != broken {
		t.Errorf("WriteCSV() error = %v, want %v as it is", err, broken)
	}
	if n != int64(len(rows)) {
		t.Errorf("WriteCSV() = %d rows, want %d", n, len(rows))
	}
	// The rows before the error are written out in full.
	if got := readCSV(t, b.Bytes()); len(got) != 1+len(rows) {
		t.Errorf("read %d records, want %d", len(got), 1+len(rows))
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCSV_WriteError(t *testing.T) {
	_, err := report.WriteCSV(errWriter{}, seq(goodRun.entries(1)...))
	if err == nil || err.Error() != "report: write CSV: disk full" {
		t.Errorf("WriteCSV() error = %v, want report: write CSV: disk full", err)
	}
}

func TestWriteCSV_Stops(t *testing.T) {
	// WriteCSV stops asking for rows once a write fails.
	asked := 0
	entries := func(yield func(runlog.Entry, error) bool) {
		big := entry(1, runlog.StageExtract, `{"a": 1}`)
		big.ErrorSummary = strings.Repeat("x", 10000)
		for asked < 1000 {
			asked++
			if !yield(big, nil) {
				return
			}
		}
	}
	if _, err := report.WriteCSV(errWriter{}, entries); err == nil {
		t.Fatal("WriteCSV() error = nil, want one")
	}
	if asked > 2 {
		t.Errorf("WriteCSV() asked for %d rows after the first write failed", asked)
	}
}

// TestWriteCSV_NegativeYear checks that a time before year 1, which starts
// with "-", is guarded like any text field that does.
func TestWriteCSV_NegativeYear(t *testing.T) {
	e := runlog.Entry{ID: 1, RunID: 1, Stage: runlog.StageExtract, Status: runlog.StatusCompleted, Attempt: 1,
		StartedAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}
	var b strings.Builder
	if _, err := report.WriteCSV(&b, seq(e)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ",'-0001-01-01T00:00:00Z,") {
		t.Errorf("CSV = %q, want the start time prefixed with '", b.String())
	}
}
