package report

import (
	"encoding/json"
	"strconv"

	"github.com/opsync/integrationlogs/runlog"
)

// Presence says in which of the two compared runs a stage or a metric is.
type Presence string

// The presences.
const (
	InBoth     Presence = "both"        // in both runs
	BeforeOnly Presence = "before_only" // in the earlier run alone
	AfterOnly  Presence = "after_only"  // in the later run alone
)

// presence returns the presence of something that is in before, in after,
// or in both. It is never called for neither.
func presence(inBefore, inAfter bool) Presence {
	switch {
	case inBefore && inAfter:
		return InBoth
	case inBefore:
		return BeforeOnly
	}
	return AfterOnly
}

// Comparison is the metric by metric comparison of two runs' stage rows.
// It encodes to JSON with the names of its tags.
type Comparison struct {
	// Before and After are the runs compared; nil when a side has no rows.
	Before *RunRef `json:"before"`
	After  *RunRef `json:"after"`
	// Stages are the stages of either run in pipeline order: the known
	// stages in the order of runlog.Stages, then the unknown ones in the
	// order they were first seen, in before's rows and then in after's.
	Stages []StageComparison `json:"stages"`
	// Notes say what was left out of the comparison: the rows of other
	// runs, when a side holds rows of several.
	Notes []string `json:"notes,omitempty"`
}

// RunRef names one of the runs compared, as its rows give it.
type RunRef struct {
	ID     int64            `json:"id"`
	Mode   runlog.Mode      `json:"mode"`
	Status runlog.RunStatus `json:"status"`
}

// StageComparison compares one stage of the two runs.
type StageComparison struct {
	Stage    runlog.Stage `json:"stage"`
	Presence Presence     `json:"presence"`
	// Before and After are the rows compared, those of the stage's last
	// attempt in each run; nil where the run has no row for the stage.
	Before *StageRow `json:"before"`
	After  *StageRow `json:"after"`
	// Metrics are the stage's numeric metrics: every key whose value is a
	// number in at least one of the runs, in before's document order, then
	// the keys after alone has in its order. Members of nested objects are
	// flattened under dotted keys ("dropped.missing_serial").
	Metrics []MetricDelta `json:"metrics"`
	// Skipped are the keys, in the same order, whose values are a number in
	// neither run: strings, true, false, null and arrays. Arrays are not
	// compared element by element, since the elements of two runs' arrays
	// need not stand for the same things.
	Skipped []string `json:"skipped"`
	// Notes say what could not be compared, each starting with the side it
	// is about: "after: metrics are not valid JSON".
	Notes []string `json:"notes,omitempty"`
}

// StageRow is the row a side of a StageComparison compares.
type StageRow struct {
	ID      int64         `json:"id"`
	Status  runlog.Status `json:"status"`
	Attempt int           `json:"attempt"`
	// Rows is how many rows the run recorded for the stage, retries
	// included.
	Rows int `json:"rows"`
}

// MetricDelta is one numeric metric of a stage in the two runs.
type MetricDelta struct {
	// Key is the metric's key; a member of a nested object has the keys
	// of the objects that hold it before its own, joined with dots.
	Key string `json:"key"`
	// Presence says which runs' metrics have the key, whatever its value.
	Presence Presence `json:"presence"`
	// Before and After are the values exactly as written ("1284", "1.50",
	// "1e3"), empty where the run's metrics lack the key or hold something
	// other than a number under it. They encode to JSON as numbers, or null
	// when empty.
	Before json.Number `json:"before"`
	After  json.Number `json:"after"`
	// Delta is After − Before, empty unless both are numbers (and when the
	// numbers are too long to subtract; the stage notes it). Integers give
	// their exact difference however large they are. Other numbers give
	// their exact decimal difference, with as many decimals as the more
	// precise of them ("2.50" − "1.25" is "1.25") or, when either has an
	// exponent, written as JavaScript writes numbers ("1e3" − "1" is
	// "999"); only numbers more than 1,000 orders of magnitude apart give a
	// difference rounded to 34 significant digits.
	Delta json.Number `json:"delta"`
}

// MarshalJSON encodes m with null for its empty numbers; encoding/json
// would write an empty json.Number as 0.
func (m MetricDelta) MarshalJSON() ([]byte, error) {
	orNull := func(n json.Number) *json.Number {
		if n == "" {
			return nil
		}
		return &n
	}
	return json.Marshal(struct {
		Key      string       `json:"key"`
		Presence Presence     `json:"presence"`
		Before   *json.Number `json:"before"`
		After    *json.Number `json:"after"`
		Delta    *json.Number `json:"delta"`
	}{m.Key, m.Presence, orNull(m.Before), orNull(m.After), orNull(m.Delta)})
}

// Compare compares the stage rows of two runs, before (the earlier, say a
// known-good run) and after, metric by metric. Each side holds the rows of
// one run; rows of other runs than that of its first row are left out, and
// the comparison notes it. A stage retried within a run is compared by its
// last attempt: the row with the highest Attempt and, among those, the
// highest ID.
//
// Compare never fails. Metrics that are absent compare as an empty object;
// metrics that are not valid JSON or not a JSON object are compared as
// having no members, and the stage's Notes say so.
func Compare(before, after []runlog.Entry) Comparison {
	var c Comparison
	var others [2]int
	before, others[0] = oneRun(before)
	after, others[1] = oneRun(after)
	c.Before, c.After = runRef(before), runRef(after)
	for i, side := range []string{"before", "after"} {
		if others[i] > 0 {
			c.Notes = append(c.Notes, side+": "+strconv.Itoa(others[i])+" "+plural(others[i], "row", "rows")+" of other runs left out")
		}
	}
	b, seenB := byStage(before)
	a, seenA := byStage(after)
	for _, s := range stageOrder(nil, append(seenB, seenA...)) {
		c.Stages = append(c.Stages, compareStage(s, b[s], a[s]))
	}
	if c.Stages == nil {
		c.Stages = []StageComparison{}
	}
	return c
}

// runRef returns the run of a side's rows, nil when there are none.
func runRef(entries []runlog.Entry) *RunRef {
	if len(entries) == 0 {
		return nil
	}
	e := entries[0]
	return &RunRef{ID: e.RunID, Mode: e.Mode, Status: e.RunStatus}
}

// compareStage compares the rows of one stage; b or a is nil where a run
// has none.
func compareStage(s runlog.Stage, b, a *stageRows) StageComparison {
	sc := StageComparison{
		Stage:    s,
		Presence: presence(b != nil, a != nil),
		Before:   stageRow(b),
		After:    stageRow(a),
		Metrics:  []MetricDelta{},
		Skipped:  []string{},
	}
	lb := sideLeaves(&sc, "before", b)
	la := sideLeaves(&sc, "after", a)
	tooLong := false
	add := func(key string) {
		x, inB := lb.get(key)
		y, inA := la.get(key)
		if !x.isNum && !y.isNum {
			sc.Skipped = append(sc.Skipped, key)
			return
		}
		m := MetricDelta{Key: key, Presence: presence(inB, inA), Before: x.num, After: y.num}
		if x.isNum && y.isNum {
			var ok bool
			if m.Delta, ok = delta(x.num, y.num); !ok {
				tooLong = true
			}
		}
		sc.Metrics = append(sc.Metrics, m)
	}
	for _, l := range lb.list {
		add(l.key)
	}
	for _, l := range la.list {
		if _, inB := lb.get(l.key); !inB {
			add(l.key)
		}
	}
	if tooLong {
		sc.Notes = append(sc.Notes, "some numbers are too long or too large to subtract ("+
			strconv.Itoa(MaxNumberLen)+" characters at most); their delta is empty")
	}
	return sc
}

// stageRow returns the row a side compares, nil when there is none.
func stageRow(g *stageRows) *StageRow {
	if g == nil {
		return nil
	}
	return &StageRow{ID: g.last.ID, Status: g.last.Status, Attempt: g.last.Attempt, Rows: g.rows}
}

// sideLeaves returns the flattened metrics of a side's row, adding to sc's
// notes what could not be read.
func sideLeaves(sc *StageComparison, side string, g *stageRows) leaves {
	if g == nil {
		return leaves{}
	}
	ls, notes := flatten(g.last.Metrics)
	if g.last.Clipped {
		notes = append(notes, "the row was read clipped, so its metrics may be cut short")
	}
	for _, n := range notes {
		sc.Notes = append(sc.Notes, side+": "+n)
	}
	return ls
}
