package report_test

import (
	"io"
	"iter"
	"testing"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

// benchRows are the rows of the export benchmarks, held in memory so that
// the benchmarks measure the export alone.
func benchRows(n int) []runlog.Entry {
	var rows []runlog.Entry
	for e := range synthetic(n) {
		rows = append(rows, e)
	}
	return rows
}

// benchExport runs one export of rows per iteration and reports rows/s.
func benchExport(b *testing.B, write func(io.Writer, iter.Seq2[runlog.Entry, error]) (int64, error)) {
	rows := benchRows(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := write(io.Discard, seq(rows...)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
}

func BenchmarkWriteCSV(b *testing.B) { benchExport(b, report.WriteCSV) }

func BenchmarkWriteJSONL(b *testing.B) { benchExport(b, report.WriteJSONL) }
