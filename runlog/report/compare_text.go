package report

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/opsync/integrationlogs/runlog"
)

// String renders the comparison as an aligned text table, for example:
//
//	Before  #101 · apply / completed
//	After   #103 · apply / failed
//
//	Stage      Metric          Before  After  Delta  Note
//	extract                                          completed → completed; attempt 1 → 2
//	           records_pulled    1284   1302    +18
//	           pages               13     14     +1
//	reconcile                                        completed → failed
//	           matched           1190   1201    +11
//	           ambiguous                   3         only in after
//	decide                                           only in before (completed)
//	           decisions         1279                only in before
//
// Each stage has a line of its own with its statuses, its attempts when
// either is not 1, and its notes, followed by a line per numeric metric and
// one per skipped key ("not a number"). A positive delta is shown with its
// plus sign. Stored text (keys, stage names, numbers) is shown on one line,
// control characters as U+FFFD, and cut at 60 characters.
func (c Comparison) String() string {
	var b strings.Builder
	table(&b, [][]string{
		{"Before", runText(c.Before)},
		{"After", runText(c.After)},
	})
	for _, n := range c.Notes {
		b.WriteString("Note    " + n + "\n")
	}
	b.WriteByte('\n')
	if len(c.Stages) == 0 {
		b.WriteString("No stages to compare.\n")
		return b.String()
	}
	rows := [][]string{{"Stage", "Metric", "Before", "After", "Delta", "Note"}}
	for _, s := range c.Stages {
		rows = append(rows, []string{inline(string(s.Stage), cellRunes), "", "", "", "", stageNote(s)})
		for _, m := range s.Metrics {
			rows = append(rows, []string{"", inline(keyText(m.Key), cellRunes),
				inline(string(m.Before), cellRunes), inline(string(m.After), cellRunes),
				inline(signed(m.Delta), cellRunes), metricNote(m)})
		}
		for _, k := range s.Skipped {
			rows = append(rows, []string{"", inline(keyText(k), cellRunes), "", "", "", "not a number"})
		}
	}
	table(&b, rows, 2, 3, 4)
	return b.String()
}

// runText describes a compared run.
func runText(r *RunRef) string {
	if r == nil {
		return "no rows"
	}
	e := runlog.Entry{RunID: r.ID, Mode: r.Mode, RunStatus: r.Status}
	return inline(e.RunLabel(), 0)
}

// stageNote is the note of a stage's own line.
func stageNote(s StageComparison) string {
	var parts []string
	status := func(r *StageRow) string { return inline(string(r.Status), cellRunes) }
	switch s.Presence {
	case InBoth:
		parts = append(parts, status(s.Before)+" → "+status(s.After))
		if s.Before.Attempt != 1 || s.After.Attempt != 1 {
			parts = append(parts, "attempt "+strconv.Itoa(s.Before.Attempt)+" → "+strconv.Itoa(s.After.Attempt))
		}
	case BeforeOnly:
		parts = append(parts, "only in before ("+status(s.Before)+")")
	case AfterOnly:
		parts = append(parts, "only in after ("+status(s.After)+")")
	}
	if s.Presence != InBoth {
		r := s.Before
		if r == nil {
			r = s.After
		}
		if r != nil && r.Attempt != 1 {
			parts = append(parts, "attempt "+strconv.Itoa(r.Attempt))
		}
	}
	parts = append(parts, s.Notes...)
	return strings.Join(parts, "; ")
}

// metricNote is the note of a metric's line.
func metricNote(m MetricDelta) string {
	switch {
	case m.Presence == BeforeOnly:
		return "only in before"
	case m.Presence == AfterOnly:
		return "only in after"
	case m.Before == "":
		return "not a number in before"
	case m.After == "":
		return "not a number in after"
	}
	return ""
}

// keyText shows an empty key as "".
func keyText(k string) string {
	if k == "" {
		return `""`
	}
	return k
}

// signed returns a delta with a plus sign when it is above zero.
func signed(d json.Number) string {
	s := string(d)
	if s == "" || s[0] == '-' || strings.Trim(s, "0.") == "" {
		return s
	}
	return "+" + s
}
