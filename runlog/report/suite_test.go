package report_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

// suiteFiles returns the y_ and n_ files of the shared JSONTestSuite, and
// skips the test when the folder is absent.
func suiteFiles(t *testing.T) map[string][]byte {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "testdata", "JSONTestSuite", "test_parsing")
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(names) == 0 {
		t.Skipf("JSONTestSuite not found at %s; skipping", dir)
	}
	files := map[string][]byte{}
	for _, name := range names {
		base := filepath.Base(name)
		if !strings.HasPrefix(base, "y_") && !strings.HasPrefix(base, "n_") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files[base] = data
	}
	return files
}

// TestCompare_JSONTestSuite checks that Compare reads metrics as
// encoding/json does: every document it accepts is read, every one it
// rejects is noted as not valid JSON, and it never panics.
func TestCompare_JSONTestSuite(t *testing.T) {
	for name, data := range suiteFiles(t) {
		t.Run(name, func(t *testing.T) {
			c := report.Compare(nil, []runlog.Entry{entry(1, runlog.StageExtract, string(data))})
			notes := c.Stages[0].Notes
			invalid := slices.Contains(notes, "after: metrics are not valid JSON")
			// Empty metrics and null are absent, as in package details.
			if trimmed := strings.TrimSpace(string(data)); trimmed == "" || trimmed == "null" {
				return
			}
			var v any
			if accepted := json.Unmarshal(data, &v) == nil; accepted == invalid {
				t.Errorf("encoding/json accepts it: %v; Compare notes %q", accepted, notes)
			}
			if _, err := json.Marshal(c); err != nil {
				t.Errorf("json.Marshal() error: %v", err)
			}
			checkText(t, c.String())
		})
	}
}
