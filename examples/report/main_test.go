package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestRun plays the report on a fresh database and compares its output and
// its export with the golden files.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	export := filepath.Join(t.TempDir(), "logs.csv")
	if err := run(&out, export); err != nil {
		t.Fatalf("run() error = %v", err)
	}
	csvText, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "report.golden", out.String())
	golden(t, "logs.csv", string(csvText))

	records, err := csv.NewReader(bytes.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatalf("the export is not valid CSV: %v", err)
	}
	if len(records) != 26 { // the header and the instance's 25 rows
		t.Errorf("export has %d records, want 26", len(records))
	}
	if strings.Contains(string(csvText), "hunter2") || strings.Contains(string(csvText), "s3cr3t") {
		t.Errorf("the export holds a password")
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./examples/report -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}
