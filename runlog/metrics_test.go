package runlog

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMetrics(t *testing.T) {
	var m Metrics
	if doc, err := json.Marshal(m); err != nil || string(doc) != "{}" {
		t.Errorf("zero Metrics = %s, %v; want {}", doc, err)
	}
	m.Set("z", 1).Set("a", map[string]int{"x": 2}).Set("<html>", "é\x00").Set("z", "again")
	doc, err := json.Marshal(&m)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"z":"again","a":{"x":2},"\u003chtml\u003e":"é\u0000"}`, string(doc)); diff != "" {
		t.Errorf("Marshal mismatch (-want +got):\n%s", diff)
	}
	if v, ok := m.Get("a"); !ok || v.(map[string]int)["x"] != 2 {
		t.Errorf("Get(a) = %v, %v", v, ok)
	}
	if _, ok := m.Get("missing"); ok || m.Len() != 3 {
		t.Errorf("Get(missing) found, or Len() = %d, want 3", m.Len())
	}
	m.Set("bad", math.NaN())
	if _, err := json.Marshal(&m); err == nil {
		t.Errorf("Marshal of a NaN value: no error")
	}
}
