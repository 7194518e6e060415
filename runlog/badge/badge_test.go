package badge_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/badge"
)

// ignoreMeaning compares known badges on label and tone; checkMeanings looks
// after the meanings.
var ignoreMeaning = cmpopts.IgnoreFields(badge.Badge{}, "Meaning")

// knownCase is one known value and the badge it must get.
type knownCase[T ~string] struct {
	value T
	want  badge.Badge
}

// testKnown checks the badge of every known value (all, from runlog's
// enumerator) against cases, so a value added to runlog without a case here
// fails the test.
func testKnown[T ~string](t *testing.T, all []T, cases []knownCase[T], badgeFor func(T) badge.Badge) {
	t.Helper()
	var listed []T
	for _, c := range cases {
		listed = append(listed, c.value)
	}
	if diff := cmp.Diff(all, listed); diff != "" {
		t.Errorf("cases do not cover the enumerator in order (-enumerator +cases):\n%s", diff)
	}
	meanings := map[string]T{}
	for _, c := range cases {
		t.Run(string(c.value), func(t *testing.T) {
			got := badgeFor(c.value)
			if diff := cmp.Diff(c.want, got, ignoreMeaning); diff != "" {
				t.Errorf("badge mismatch (-want +got):\n%s", diff)
			}
			checkMeaning(t, got.Meaning)
			if other, dup := meanings[got.Meaning]; dup {
				t.Errorf("meaning %q is shared with %q", got.Meaning, other)
			}
			meanings[got.Meaning] = c.value
		})
	}
}

// checkMeaning fails unless m is one line of plain text ending in a full stop.
func checkMeaning(t *testing.T, m string) {
	t.Helper()
	if m == "" || strings.ContainsAny(m, "\n\r\t") || !strings.HasSuffix(m, ".") {
		t.Errorf("meaning %q is not one line ending in a full stop", m)
	}
}

// unknownCase is a value the library does not know.
type unknownCase struct {
	name  string
	value string
	want  string // the label
}

var unknownCases = []unknownCase{
	{name: "Empty", value: "", want: ""},
	{name: "Weird", value: "weird", want: "weird"},
	{name: "OtherCase", value: "Completed", want: "Completed"},
	{name: "LabelIsNotAValue", value: "preview ready", want: "preview ready"},
	{name: "Padded", value: " failed ", want: " failed "},
	{name: "InvalidUTF8", value: "bad\xff\xfevalue", want: "bad\uFFFDvalue"},
	{name: "NUL", value: "a\x00b", want: "a\uFFFDb"},
	{name: "TerminalEscape", value: "\x1b[2Jcleared", want: "\uFFFD[2Jcleared"},
	{name: "LineBreaks", value: "one\r\ntwo\tthree", want: "one\uFFFD\uFFFDtwo\uFFFDthree"},
	{name: "DELAndC1", value: "a\x7fb\u0085c\u009bd", want: "a\uFFFDb\uFFFDc\uFFFDd"},
	{name: "BidiOverride", value: "ok\u202edeliaf", want: "ok\uFFFDdeliaf"},
	{name: "BidiIsolatesAndMarks", value: "\u2066a\u2069\u200e\u200f\u061c\u202a\u202c", want: "\uFFFDa\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"},
	{name: "PrintableUnicode", value: "ÉTAT «prêt» 準備 😀\u00a0x", want: "ÉTAT «prêt» 準備 😀\u00a0x"},
	{name: "Long", value: strings.Repeat("x", 1<<16), want: strings.Repeat("x", 1<<16)},
}

// testUnknown checks that every unknown value gets a neutral badge with its
// raw text, made valid UTF-8 and safe to print, as the label.
func testUnknown(t *testing.T, meaning string, badgeFor func(string) badge.Badge) {
	t.Helper()
	for _, c := range unknownCases {
		t.Run(c.name, func(t *testing.T) {
			got := badgeFor(c.value)
			want := badge.Badge{Label: c.want, Tone: runlog.ToneNeutral, Meaning: meaning}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("badge mismatch (-want +got):\n%s", diff)
			}
			if !utf8.ValidString(got.Label) {
				t.Errorf("label %q is not valid UTF-8", got.Label)
			}
			for _, r := range got.Label {
				if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
					t.Errorf("label %q holds %U", got.Label, r)
				}
			}
		})
	}
}

func TestForStage(t *testing.T) {
	t.Run("Known", func(t *testing.T) {
		testKnown(t, runlog.Stages(), []knownCase[runlog.Stage]{
			{runlog.StageValidateSetup, badge.Badge{Label: "validate setup", Tone: runlog.ToneInfo}},
			{runlog.StageExtract, badge.Badge{Label: "extract", Tone: runlog.TonePrimary}},
			{runlog.StageCanonicalize, badge.Badge{Label: "canonicalize", Tone: runlog.TonePrimary}},
			{runlog.StageReconcile, badge.Badge{Label: "reconcile", Tone: runlog.TonePrimary}},
			{runlog.StageDecide, badge.Badge{Label: "decide", Tone: runlog.TonePrimary}},
			{runlog.StageApply, badge.Badge{Label: "apply", Tone: runlog.ToneSecondary}},
			{runlog.StagePreviewResults, badge.Badge{Label: "preview results", Tone: runlog.ToneSecondary}},
		}, badge.ForStage)
	})
	t.Run("Unknown", func(t *testing.T) {
		testUnknown(t, "Not a stage this library knows; shown as stored.",
			func(s string) badge.Badge { return badge.ForStage(runlog.Stage(s)) })
	})
}

func TestForStatus(t *testing.T) {
	t.Run("Known", func(t *testing.T) {
		testKnown(t, runlog.Statuses(), []knownCase[runlog.Status]{
			{runlog.StatusQueued, badge.Badge{Label: "queued", Tone: runlog.ToneWarning}},
			{runlog.StatusRunning, badge.Badge{Label: "running", Tone: runlog.ToneWarning}},
			{runlog.StatusCompleted, badge.Badge{Label: "completed", Tone: runlog.ToneSuccess}},
			{runlog.StatusPreviewReady, badge.Badge{Label: "preview ready", Tone: runlog.ToneSuccess}},
			{runlog.StatusFailed, badge.Badge{Label: "failed", Tone: runlog.ToneDanger}},
			{runlog.StatusError, badge.Badge{Label: "error", Tone: runlog.ToneDanger}},
		}, badge.ForStatus)
	})
	t.Run("Unknown", func(t *testing.T) {
		testUnknown(t, "Not a stage status this library knows; shown as stored.",
			func(s string) badge.Badge { return badge.ForStatus(runlog.Status(s)) })
	})
}

func TestForRunStatus(t *testing.T) {
	t.Run("Known", func(t *testing.T) {
		testKnown(t, runlog.RunStatuses(), []knownCase[runlog.RunStatus]{
			{runlog.RunQueued, badge.Badge{Label: "queued", Tone: runlog.ToneWarning}},
			{runlog.RunRunning, badge.Badge{Label: "running", Tone: runlog.ToneWarning}},
			{runlog.RunPreviewReady, badge.Badge{Label: "preview ready", Tone: runlog.ToneSuccess}},
			{runlog.RunCompleted, badge.Badge{Label: "completed", Tone: runlog.ToneSuccess}},
			{runlog.RunFailed, badge.Badge{Label: "failed", Tone: runlog.ToneDanger}},
		}, badge.ForRunStatus)
	})
	t.Run("Unknown", func(t *testing.T) {
		testUnknown(t, "Not a run status this library knows; shown as stored.",
			func(s string) badge.Badge { return badge.ForRunStatus(runlog.RunStatus(s)) })
	})
}

// TestStatusAndRunStatusAgree checks that a value that is both a stage status
// and a run status gets the same label and tone as either.
func TestStatusAndRunStatusAgree(t *testing.T) {
	for _, rs := range runlog.RunStatuses() {
		s := runlog.Status(rs)
		if !s.Valid() {
			continue
		}
		got, want := badge.ForRunStatus(rs), badge.ForStatus(s)
		if diff := cmp.Diff(want, got, ignoreMeaning); diff != "" {
			t.Errorf("%s: run status badge differs from stage status badge (-status +run status):\n%s", rs, diff)
		}
	}
}
