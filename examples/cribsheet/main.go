// Cribsheet prints the reason code crib sheet and the badge reference as
// aligned plain text: every built-in reason code with its outcome, whether
// applying it writes, whether it needs review and what it means; then every
// stage, stage status and run status with its badge label, tone and meaning.
//
// Usage:
//
//	go run ./examples/cribsheet
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/badge"
	"github.com/opsync/integrationlogs/runlog/reason"
)

func main() {
	if err := render(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cribsheet:", err)
		os.Exit(1)
	}
}

// render writes the crib sheet and the badge reference to w.
func render(w io.Writer) error {
	var codes [][]string
	for _, i := range reason.All() {
		codes = append(codes, []string{string(i.Code), string(i.Outcome), yesNo(i.Writes), yesNo(i.NeedsReview), i.Meaning})
	}
	var stages, statuses, runStatuses [][]string
	for _, s := range runlog.Stages() {
		stages = append(stages, badgeRow(string(s), badge.ForStage(s)))
	}
	for _, s := range runlog.Statuses() {
		statuses = append(statuses, badgeRow(string(s), badge.ForStatus(s)))
	}
	for _, s := range runlog.RunStatuses() {
		runStatuses = append(runStatuses, badgeRow(string(s), badge.ForRunStatus(s)))
	}
	badgeHeader := []string{"VALUE", "LABEL", "TONE", "MEANING"}
	tables := []struct {
		title  string
		header []string
		rows   [][]string
	}{
		{"Reason codes", []string{"CODE", "OUTCOME", "WRITES", "REVIEW", "MEANING"}, codes},
		{"Stages", badgeHeader, stages},
		{"Stage statuses", badgeHeader, statuses},
		{"Run statuses", badgeHeader, runStatuses},
	}
	for n, t := range tables {
		if n > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := table(w, t.title, t.header, t.rows); err != nil {
			return err
		}
	}
	return nil
}

// table writes a titled table to w with its columns aligned.
func table(w io.Writer, title string, header []string, rows [][]string) error {
	if _, err := fmt.Fprintf(w, "%s\n\n", title); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, cells := range append([][]string{header}, rows...) {
		if _, err := io.WriteString(tw, strings.Join(cells, "\t")+"\n"); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// badgeRow returns a badge's row: the stored value, then the badge.
func badgeRow(value string, b badge.Badge) []string {
	return []string{value, b.Label, string(b.Tone), b.Meaning}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
