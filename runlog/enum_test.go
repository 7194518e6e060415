package runlog

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// enumCase checks one enumeration: every listed value is Valid, parses to
// itself and prints as itself; the unknown value does none of that.
type enumCase struct {
	name    string
	values  []string
	valid   func(string) bool
	parse   func(string) (string, error)
	str     func(string) string
	unknown string // how String prints the value "weird"
}

func TestEnums(t *testing.T) {
	cases := []enumCase{
		{
			name:    "Stage",
			values:  toStrings(Stages()),
			valid:   func(s string) bool { return Stage(s).Valid() },
			parse:   func(s string) (string, error) { v, err := ParseStage(s); return string(v), err },
			str:     func(s string) string { return Stage(s).String() },
			unknown: `Stage("weird")`,
		},
		{
			name:    "Status",
			values:  toStrings(Statuses()),
			valid:   func(s string) bool { return Status(s).Valid() },
			parse:   func(s string) (string, error) { v, err := ParseStatus(s); return string(v), err },
			str:     func(s string) string { return Status(s).String() },
			unknown: `Status("weird")`,
		},
		{
			name:    "RunStatus",
			values:  toStrings(RunStatuses()),
			valid:   func(s string) bool { return RunStatus(s).Valid() },
			parse:   func(s string) (string, error) { v, err := ParseRunStatus(s); return string(v), err },
			str:     func(s string) string { return RunStatus(s).String() },
			unknown: `RunStatus("weird")`,
		},
		{
			name:    "Mode",
			values:  toStrings(Modes()),
			valid:   func(s string) bool { return Mode(s).Valid() },
			parse:   func(s string) (string, error) { v, err := ParseMode(s); return string(v), err },
			str:     func(s string) string { return Mode(s).String() },
			unknown: `Mode("weird")`,
		},
		{
			name:    "Tone",
			values:  toStrings(Tones()),
			valid:   func(s string) bool { return Tone(s).Valid() },
			parse:   func(s string) (string, error) { v, err := ParseTone(s); return string(v), err },
			str:     func(s string) string { return Tone(s).String() },
			unknown: `Tone("weird")`,
		},
		{
			name:    "ReasonCode",
			values:  toStrings(ReasonCodes()),
			valid:   func(s string) bool { return ReasonCode(s).Valid() },
			parse:   func(s string) (string, error) { v, err := ParseReasonCode(s); return string(v), err },
			str:     func(s string) string { return s }, // hosts' own codes print as themselves
			unknown: "weird",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range tc.values {
				if !tc.valid(v) {
					t.Errorf("%s(%q).Valid() = false, want true", tc.name, v)
				}
				got, err := tc.parse(v)
				if err != nil || got != v {
					t.Errorf("Parse%s(%q) = %q, %v; want %q, nil", tc.name, v, got, err, v)
				}
				if s := tc.str(v); s != v {
					t.Errorf("%s(%q).String() = %q, want %q", tc.name, v, s, v)
				}
			}
			for _, bad := range []string{"weird", "", " " + tc.values[0], "\xff\x00"} {
				if tc.valid(bad) {
					t.Errorf("%s(%q).Valid() = true, want false", tc.name, bad)
				}
				got, err := tc.parse(bad)
				if !errors.Is(err, ErrUnknownValue) || got != "" {
					t.Errorf("Parse%s(%q) = %q, %v; want \"\", ErrUnknownValue", tc.name, bad, got, err)
				}
			}
			if s := tc.str("weird"); s != tc.unknown {
				t.Errorf("%s(\"weird\").String() = %q, want %q", tc.name, s, tc.unknown)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := ParseMode("dry-run")
	want := `runlog: unknown value: mode "dry-run" (want one of preview, apply)`
	if err == nil || err.Error() != want {
		t.Errorf("ParseMode(\"dry-run\") error = %v, want %s", err, want)
	}
}

func TestEnumeratorsReturnCopies(t *testing.T) {
	s := Stages()
	s[0] = "changed"
	if Stages()[0] != StageValidateSetup {
		t.Error("Stages() shares its backing array with the package")
	}
}

func TestPipeline(t *testing.T) {
	// The stored values are spelled out, not taken from the constants, so
	// that a renamed value is caught as well as a reordered list.
	tests := []struct {
		name string
		mode Mode
		want []Stage
	}{
		{"FullSyncWritesSix", ModeApply, []Stage{"validate_setup", "extract", "canonicalize", "reconcile", "decide", "apply"}},
		{"SyncPreviewWritesFive", ModePreview, []Stage{"validate_setup", "extract", "canonicalize", "reconcile", "decide"}},
		{"UnknownModeHasNone", Mode("dry-run"), nil},
	}
	check := func(t *testing.T) {
		t.Helper()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if diff := cmp.Diff(tt.want, Pipeline(tt.mode)); diff != "" {
					t.Errorf("Pipeline(%q) mismatch (-want +got):\n%s", tt.mode, diff)
				}
			})
		}
	}
	check(t)
	// Pipeline must not depend on the order of the list Stages returns:
	// insert a stage at the front and move apply, and nothing may change.
	t.Run("IndependentOfStages", func(t *testing.T) {
		saved := stages
		t.Cleanup(func() { stages = saved })
		stages = append([]Stage{"host_stage", StageApply}, slices.DeleteFunc(slices.Clone(saved), func(s Stage) bool { return s == StageApply })...)
		check(t)
	})
	t.Run("ReturnsCopies", func(t *testing.T) {
		Pipeline(ModeApply)[0] = "changed"
		if got := Pipeline(ModeApply)[0]; got != StageValidateSetup {
			t.Errorf("Pipeline(ModeApply)[0] = %q after a caller changed it", got)
		}
	})
}

func toStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
