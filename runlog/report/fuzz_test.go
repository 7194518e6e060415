package report_test

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

// FuzzCompare compares two rows' metrics, whatever they hold: Compare must
// not panic, its table must be clean text, it must encode to JSON, and each
// delta of modest numbers must be their exact difference.
func FuzzCompare(f *testing.F) {
	for _, seed := range [][2]string{
		{`{"a": 1, "b": {"c": 2.50}}`, `{"a": 3, "b": {"c": 1.25}}`},
		{`{"a": 1e3, "b": -0}`, `{"a": 1.5e-2, "b": 0.000}`},
		{`{"a": 9007199254740993}`, `{"a": 9007199254740992.5}`},
		{`{"a": "x", "b": [1], "c": null}`, `{"a": 1, "b": 2, "c": true}`},
		{`[1]`, `{"a": `},
		{"{\"\xff\": 1}", `{"": 1, "": 2}`},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, before, after string) {
		c := report.Compare(
			[]runlog.Entry{entry(1, runlog.StageExtract, before)},
			[]runlog.Entry{inRun(2, entry(2, runlog.StageExtract, after))})
		checkText(t, c.String())
		if _, err := json.Marshal(c); err != nil {
			t.Fatalf("json.Marshal() error: %v", err)
		}
		for _, m := range c.Stages[0].Metrics {
			if m.Delta == "" || len(m.Before) > 100 || len(m.After) > 100 {
				continue
			}
			want, ok := exactDelta(string(m.Before), string(m.After))
			if !ok {
				continue
			}
			got, ok := new(big.Rat).SetString(string(m.Delta))
			if !ok || got.Cmp(want) != 0 {
				t.Errorf("%s: %s − %s = %s, want %s", m.Key, m.After, m.Before, m.Delta, want.FloatString(20))
			}
		}
	})
}

// exactDelta returns after − before worked out with big.Rat, when their
// exponents are small enough for that to be cheap.
func exactDelta(before, after string) (*big.Rat, bool) {
	for _, s := range []string{before, after} {
		if i := strings.IndexAny(s, "eE"); i >= 0 && len(s)-i > 3 { // at most two digits: far from rounding
			return nil, false
		}
	}
	b, okB := new(big.Rat).SetString(before)
	a, okA := new(big.Rat).SetString(after)
	if !okB || !okA {
		return nil, false
	}
	return a.Sub(a, b), true
}
