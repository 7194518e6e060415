package details_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
)

// summaryOf returns an error summary of at least size bytes in mixed
// scripts (Latin, Cyrillic, Greek, CJK, Arabic), with line breaks and runs
// of white space, as a failing stage writes them.
func summaryOf(size int) string {
	const para = "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock; " +
		"устройство «Склад-3» не найдено в справочнике,\n\t  Σφάλμα συγχρονισμού: η συσκευή δεν βρέθηκε; " +
		"設備が見つかりません（在庫管理システム）。 لم يتم العثور على الجهاز  — retrying in 30s\r\n"
	var b strings.Builder
	for b.Len() < size {
		b.WriteString(para)
	}
	return b.String()
}

// metricsOf returns a metrics object of n members as a decide or apply
// stage writes it: counters, durations, and nested objects of counts.
func metricsOf(n int) json.RawMessage {
	head := []string{
		`"duration_ms": 18342`,
		`"records": {"read": 12000, "written": 11874, "skipped": 126}`,
		`"decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 11000, "MEDIUM_MATCH_REQUIRES_REVIEW": 41, "AMBIGUOUS_MATCH_MULTIPLE_DEVICES": 3, "NO_MATCH_CREATE_CANDIDATE": 830}`,
		`"source": {"system": "inventory-eu", "cursor": "2026-11-20T08:59:58Z", "page_size": 500}`,
		`"batches": {"size": 500, "count": 24, "failed": 1, "retried": [7, 19]}`,
		`"throughput_per_s": 654.2`,
		`"dry_run": false`,
		`"warnings": ["3 devices without serial number", "clock skew 1.4s"]`,
	}
	members := make([]string, 0, n)
	for i := 0; len(members) < n; i++ {
		if i < len(head) {
			members = append(members, head[i])
			continue
		}
		members = append(members, fmt.Sprintf(`"shard_%04d": {"read": %d, "written": %d, "lag_ms": %d, "ok": true}`, i, 300+i, 290+i, 12*i))
	}
	return json.RawMessage("{\n  " + strings.Join(members, ",\n  ") + "\n}")
}

// rowOf returns a failed row with the given summary and metrics.
func rowOf(summary string, metrics json.RawMessage) runlog.Entry {
	started := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	finished := started.Add(18342 * time.Millisecond)
	return runlog.Entry{
		ID: 1001, InstanceID: 7, RunID: 42, Mode: runlog.ModeApply, RunStatus: runlog.RunFailed,
		Stage: runlog.StageDecide, Status: runlog.StatusFailed, Attempt: 2,
		StartedAt: started, FinishedAt: &finished,
		ErrorSummary: summary,
		ErrorPayload: json.RawMessage(`{"type":"*pgconn.PgError","message":"ERROR: deadlock detected (SQLSTATE 40P01)","trace":"store.(*Devices).Lock\n\tdevices.go:52","previous":[{"type":"*net.OpError","message":"read tcp 10.0.0.7:5432: i/o timeout"}],"previous_omitted":0}`),
		Metrics:      metrics,
	}
}

// Sinks keep results alive so the compiler cannot drop the work; they are
// typed so that storing a result costs nothing.
var (
	summarySink details.Summary
	mapSink     map[string]any
)

func BenchmarkSummarize(b *testing.B) {
	realistic := rowOf(summaryOf(10<<10), metricsOf(40))
	b.Run("realistic", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			summarySink = details.Summarize(realistic)
		}
	})
	// The naive baseline decodes the metrics into a map, which also loses
	// their document order; it does not even look at the summary.
	b.Run("baseline=map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(realistic.Metrics, &m); err != nil {
				b.Fatal(err)
			}
			mapSink = m
		}
	})
	// The cost must not grow with the metrics beyond their first members,
	// nor with the summary beyond what the cell shows.
	for _, bc := range []struct {
		name string
		e    runlog.Entry
	}{
		{"keys=4000", rowOf(summaryOf(10<<10), metricsOf(4000))},
		{"summary=10KB", rowOf(summaryOf(10<<10), metricsOf(40))},
		{"summary=10MB", rowOf(summaryOf(10<<20), metricsOf(40))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				summarySink = details.Summarize(bc.e)
			}
		})
	}
}

var cardSink details.Card

// chainOf returns an error payload of about size bytes holding n
// exceptions, each with a message and a context string of the same length,
// as Laravel writes them. Nested, each is the "previous" of the one before,
// n levels deep, after its other fields; otherwise the first holds the
// others in a "previous" list.
func chainOf(size, n int, nested bool) json.RawMessage {
	text := summaryOf(size / n)
	text = strings.ToValidUTF8(text[:size/n*9/10], "")
	context, _ := json.Marshal(text)
	var b strings.Builder
	b.Grow(size + 100*n)
	for i := range n {
		switch {
		case i == 1 && !nested:
			b.WriteString(`,"previous":[`)
		case i > 1 && !nested:
			b.WriteString(",")
		case i > 0:
			b.WriteString(`,"previous":`)
		}
		fmt.Fprintf(&b, `{"class":"App\\Exceptions\\Level%dException","message":"level %d failed","context":%s`, i, i, context)
		if !nested && i > 0 {
			b.WriteString("}")
		}
	}
	if nested {
		b.WriteString(strings.Repeat("}", n))
	} else {
		b.WriteString("]}")
	}
	return json.RawMessage(b.String())
}

func BenchmarkExpand(b *testing.B) {
	deep, flat := rowOf("deep", nil), rowOf("flat", nil)
	deep.ErrorPayload, flat.ErrorPayload = chainOf(10<<20, 999, true), chainOf(10<<20, 999, false)
	for _, bc := range []struct {
		name string
		e    runlog.Entry
	}{
		{"realistic", rowOf(summaryOf(10<<10), metricsOf(40))},
		{"keys=4000", rowOf(summaryOf(10<<10), metricsOf(4000))},
		// The same 10 MB and 999 exceptions, nested 999 levels deep and in
		// one flat list: the cost must follow the size, not the shape.
		{"payload=10MB/depth=999", deep},
		{"payload=10MB/flat", flat},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cardSink = details.Expand(bc.e)
			}
		})
	}
}

func BenchmarkCard_CopyJSON(b *testing.B) {
	c := details.Expand(rowOf(summaryOf(10<<10), metricsOf(40)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.CopyJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
