package runlog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEntry_RunLabel(t *testing.T) {
	tests := []struct {
		name  string
		entry Entry
		want  string
	}{
		{"FailedFullSync", Entry{RunID: 42, Mode: ModeApply, RunStatus: RunFailed}, "#42 · apply / failed"},
		{"PreviewReady", Entry{RunID: 7, Mode: ModePreview, RunStatus: RunPreviewReady}, "#7 · preview / preview_ready"},
		{"UnknownValuesShownAsStored", Entry{RunID: 1, Mode: "dry-run", RunStatus: "paused"}, "#1 · dry-run / paused"},
		{"NoRunJoined", Entry{RunID: 9}, "#9 ·  / "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.entry.RunLabel(); got != tt.want {
				t.Errorf("RunLabel() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEntry_Retried(t *testing.T) {
	for attempt, want := range map[int]bool{0: false, 1: false, 2: true, 5: true} {
		if got := (Entry{Attempt: attempt}).Retried(); got != want {
			t.Errorf("Entry{Attempt: %d}.Retried() = %v, want %v", attempt, got, want)
		}
	}
}

func TestColumns(t *testing.T) {
	want := []Column{"Run", "Stage", "Status", "Attempt", "Started", "Finished", "Details"}
	if diff := cmp.Diff(want, Columns()); diff != "" {
		t.Errorf("Columns() mismatch (-want +got):\n%s", diff)
	}
}
