package reason_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

func TestOutcomes(t *testing.T) {
	want := []reason.Outcome{reason.OutcomeCreate, reason.OutcomeUpdate, reason.OutcomeSkip, reason.OutcomeConflict}
	if diff := cmp.Diff(want, reason.Outcomes()); diff != "" {
		t.Errorf("Outcomes() mismatch (-want +got):\n%s", diff)
	}
	got := reason.Outcomes()
	got[0] = "changed"
	if reason.Outcomes()[0] != reason.OutcomeCreate {
		t.Error("Outcomes() returned the package's own slice, not a copy")
	}
}

func TestParseOutcome(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    reason.Outcome
		wantErr string
	}{
		{name: "Create", in: "create", want: reason.OutcomeCreate},
		{name: "Update", in: "update", want: reason.OutcomeUpdate},
		{name: "Skip", in: "skip", want: reason.OutcomeSkip},
		{name: "Conflict", in: "conflict", want: reason.OutcomeConflict},
		{name: "Empty", in: "", wantErr: `runlog: unknown value: outcome "" (want one of create, update, skip, conflict)`},
		{name: "OtherCase", in: "Create", wantErr: `runlog: unknown value: outcome "Create" (want one of create, update, skip, conflict)`},
		{name: "InvalidUTF8", in: "\xff", wantErr: `runlog: unknown value: outcome "\xff" (want one of create, update, skip, conflict)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reason.ParseOutcome(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, runlog.ErrUnknownValue) {
					t.Fatalf("ParseOutcome(%q) error = %v, want %q wrapping runlog.ErrUnknownValue", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseOutcome(%q): %v", tt.in, err)
			}
			if got != tt.want || !got.Valid() {
				t.Errorf("ParseOutcome(%q) = %q (valid %t), want %q", tt.in, got, got.Valid(), tt.want)
			}
		})
	}
}

func TestOutcome_String(t *testing.T) {
	tests := []struct {
		in   reason.Outcome
		want string
	}{
		{reason.OutcomeConflict, "conflict"},
		{"", `Outcome("")`},
		{"merge", `Outcome("merge")`},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Outcome(%q).String() = %q, want %q", string(tt.in), got, tt.want)
		}
	}
}
