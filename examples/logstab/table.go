package main

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/badge"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// ansi maps a badge tone to a terminal colour.
var ansi = map[runlog.Tone]string{
	runlog.ToneInfo:      "\x1b[36m", // cyan
	runlog.TonePrimary:   "\x1b[34m", // blue
	runlog.ToneSecondary: "\x1b[35m", // magenta
	runlog.ToneSuccess:   "\x1b[32m", // green
	runlog.ToneWarning:   "\x1b[33m", // yellow
	runlog.ToneDanger:    "\x1b[31m", // red
}

// cell is one table cell: its text and, for badges, its tone.
type cell struct {
	text string
	tone runlog.Tone
}

// page prints one page of the Logs table in runlog.Columns order, then the
// pager's buttons.
func (d demo) page(title string, p sqlstore.ListResult) {
	cols := runlog.Columns()
	rows := [][]cell{make([]cell, len(cols))}
	for i, c := range cols {
		rows[0][i] = cell{text: string(c)}
	}
	for _, e := range p.Entries {
		rows = append(rows, row(e))
	}

	widths := make([]int, len(cols))
	for _, r := range rows {
		for i, c := range r[:len(r)-1] { // the last column is not padded
			widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
		}
	}

	d.printf("%s (%d rows)\n", title, len(p.Entries))
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			text := c.text
			if color, ok := ansi[c.tone]; ok && d.color {
				text = color + text + "\x1b[0m"
			}
			b.WriteString(text)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c.text)+2))
			}
		}
		d.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
	d.printf("[%s]  [%s]\n\n", button("Prev", p.Prev), button("Next", p.Next))
}

// row renders one entry as the table's cells.
func row(e runlog.Entry) []cell {
	stage, status := badge.ForStage(e.Stage), badge.ForStatus(e.Status)
	attempt := strconv.Itoa(e.Attempt)
	if e.Retried() {
		attempt += " (retry)"
	}
	finished := ""
	if e.FinishedAt != nil {
		finished = clock(*e.FinishedAt)
	}
	return []cell{
		{text: e.RunLabel()},
		{text: stage.Label, tone: stage.Tone},
		{text: status.Label, tone: status.Tone},
		{text: attempt},
		{text: clock(e.StartedAt)},
		{text: finished},
		{text: details.Summarize(e).String()},
	}
}

func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// button shows a pager button, marked "none" when there is no page that way.
func button(label, cursor string) string {
	if cursor == "" {
		return label + ": none"
	}
	return label
}

// indent indents every non-empty line of s by two spaces.
func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}
