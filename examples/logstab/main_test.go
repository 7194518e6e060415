package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/logstab.golden")

// TestRun plays the whole demo on a fresh database and compares its plain-text
// output with the golden file.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run("", 8, &out, false); err != nil {
		t.Fatalf("run() error = %v", err)
	}
	golden := filepath.Join("testdata", "logstab.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./examples/logstab -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("run() output mismatch (-want +got):\n%s", diff)
	}
}

func TestRun_KeepsDatabaseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs.db")
	if err := run(path, 50, new(bytes.Buffer), false); err != nil {
		t.Fatalf("run(%q) error = %v", path, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file not kept: %v", err)
	}
	err := run(path, 50, new(bytes.Buffer), false)
	if err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("run(%q) on an existing file error = %v, want one saying it exists already", path, err)
	}
}

func TestRun_ColoursBadges(t *testing.T) {
	var out bytes.Buffer
	if err := run("", 8, &out, true); err != nil {
		t.Fatalf("run() error = %v", err)
	}
	if !strings.Contains(out.String(), "\x1b[31mfailed\x1b[0m") {
		t.Error("a failed status badge is not red on a terminal")
	}
}
