package reason_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

// wantBuiltins are the built-in infos without their meanings, which
// TestAll_Meanings checks on their own.
var wantBuiltins = []reason.Info{
	{Code: runlog.ReasonLinkFoundByExternalID, Outcome: reason.OutcomeUpdate, Writes: true, NeedsReview: false},
	{Code: runlog.ReasonMediumMatchRequiresReview, Outcome: reason.OutcomeConflict, Writes: false, NeedsReview: true},
	{Code: runlog.ReasonAmbiguousMatchMultipleDevices, Outcome: reason.OutcomeConflict, Writes: false, NeedsReview: true},
	{Code: runlog.ReasonNoMatchCreateCandidate, Outcome: reason.OutcomeCreate, Writes: true, NeedsReview: false},
}

var ignoreMeaning = cmpopts.IgnoreFields(reason.Info{}, "Meaning")

func TestAll(t *testing.T) {
	if diff := cmp.Diff(wantBuiltins, reason.All(), ignoreMeaning); diff != "" {
		t.Errorf("All() mismatch (-want +got):\n%s", diff)
	}
	var codes []runlog.ReasonCode
	for _, i := range reason.All() {
		codes = append(codes, i.Code)
	}
	if diff := cmp.Diff(runlog.ReasonCodes(), codes); diff != "" {
		t.Errorf("All() is not in the order of runlog.ReasonCodes() (-want +got):\n%s", diff)
	}
	all := reason.All()
	all[0].Writes = false
	if !reason.All()[0].Writes {
		t.Error("All() returned the package's own slice, not a copy")
	}
}

func TestAll_Meanings(t *testing.T) {
	seen := map[string]bool{}
	for _, i := range reason.All() {
		m := i.Meaning
		if m == "" || strings.ContainsAny(m, "\n\r\t") || !strings.HasSuffix(m, ".") {
			t.Errorf("%s: meaning %q is not one line ending in a full stop", i.Code, m)
		}
		if !strings.Contains(m, "apply") {
			t.Errorf("%s: meaning %q does not say what apply does", i.Code, m)
		}
		if seen[m] {
			t.Errorf("%s: meaning %q is shared with another code", i.Code, m)
		}
		seen[m] = true
	}
}

func TestLookup(t *testing.T) {
	for _, want := range wantBuiltins {
		t.Run(string(want.Code), func(t *testing.T) {
			got, ok := reason.Lookup(want.Code)
			if !ok {
				t.Fatalf("Lookup(%s) found nothing", want.Code)
			}
			if diff := cmp.Diff(want, got, ignoreMeaning); diff != "" {
				t.Errorf("Lookup(%s) mismatch (-want +got):\n%s", want.Code, diff)
			}
		})
	}
	for _, code := range []runlog.ReasonCode{"", "HOST_CODE", "link_found_by_external_id", "\xff"} {
		t.Run("Unknown/"+string(code), func(t *testing.T) {
			got, ok := reason.Lookup(code)
			if ok || got != (reason.Info{}) {
				t.Errorf("Lookup(%q) = %+v, %t; want zero Info, false", code, got, ok)
			}
		})
	}
}

// hostInfos are a host's own codes.
var hostInfos = []reason.Info{
	{Code: "SERIAL_MATCH", Meaning: "The serial number matched; apply updates the device.", Outcome: reason.OutcomeUpdate, Writes: true},
	{Code: "RETIRED_UPSTREAM", Meaning: "The device is retired upstream; apply leaves it alone.", Outcome: reason.OutcomeSkip},
}

func TestNewCatalog(t *testing.T) {
	c, err := reason.NewCatalog(hostInfos...)
	if err != nil {
		t.Fatalf("NewCatalog: %v", err)
	}
	want := append(reason.All(), hostInfos...)
	if diff := cmp.Diff(want, c.All()); diff != "" {
		t.Errorf("All() mismatch (-want +got):\n%s", diff)
	}
	for _, i := range want {
		got, ok := c.Lookup(i.Code)
		if !ok {
			t.Errorf("Lookup(%s) found nothing", i.Code)
			continue
		}
		if diff := cmp.Diff(i, got); diff != "" {
			t.Errorf("Lookup(%s) mismatch (-want +got):\n%s", i.Code, diff)
		}
	}
	if _, ok := c.Lookup("ELSEWHERE"); ok {
		t.Error(`Lookup("ELSEWHERE") found an info`)
	}
	if _, ok := reason.Lookup(hostInfos[0].Code); ok {
		t.Errorf("package Lookup(%s) found a host's code", hostInfos[0].Code)
	}

	t.Run("NoHostInfos", func(t *testing.T) {
		c, err := reason.NewCatalog()
		if err != nil {
			t.Fatalf("NewCatalog(): %v", err)
		}
		if diff := cmp.Diff(reason.All(), c.All()); diff != "" {
			t.Errorf("All() mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestNewCatalog_Errors(t *testing.T) {
	valid := hostInfos[0]
	with := func(change func(*reason.Info)) reason.Info {
		i := valid
		change(&i)
		return i
	}
	tests := []struct {
		name    string
		infos   []reason.Info
		wantErr error
		wantMsg string
	}{
		{
			name:    "DuplicateOfBuiltin",
			infos:   []reason.Info{with(func(i *reason.Info) { i.Code = runlog.ReasonNoMatchCreateCandidate })},
			wantErr: reason.ErrDuplicateCode,
			wantMsg: `reason: duplicate code: "NO_MATCH_CREATE_CANDIDATE"`,
		},
		{
			name:    "DuplicateOfHost",
			infos:   []reason.Info{valid, hostInfos[1], valid},
			wantErr: reason.ErrDuplicateCode,
			wantMsg: `reason: duplicate code: "SERIAL_MATCH"`,
		},
		{
			name:    "EmptyCode",
			infos:   []reason.Info{with(func(i *reason.Info) { i.Code = "" })},
			wantErr: reason.ErrInvalidInfo,
			wantMsg: "reason: invalid info: empty code",
		},
		{
			name:    "InvalidUTF8Code",
			infos:   []reason.Info{with(func(i *reason.Info) { i.Code = "BAD_\xff" })},
			wantErr: reason.ErrInvalidInfo,
			wantMsg: `reason: invalid info: code "BAD_\xff" is not valid UTF-8`,
		},
		{
			name:    "UnknownOutcome",
			infos:   []reason.Info{with(func(i *reason.Info) { i.Outcome = "merge" })},
			wantErr: reason.ErrInvalidInfo,
			wantMsg: `reason: invalid info: SERIAL_MATCH: outcome "merge" (want one of create, update, skip, conflict)`,
		},
		{
			name:    "EmptyOutcome",
			infos:   []reason.Info{with(func(i *reason.Info) { i.Outcome = "" })},
			wantErr: reason.ErrInvalidInfo,
			wantMsg: `reason: invalid info: SERIAL_MATCH: outcome "" (want one of create, update, skip, conflict)`,
		},
		{
			name:    "EmptyMeaning",
			infos:   []reason.Info{with(func(i *reason.Info) { i.Meaning = "" })},
			wantErr: reason.ErrInvalidInfo,
			wantMsg: "reason: invalid info: SERIAL_MATCH: empty meaning",
		},
		{
			name:    "InvalidUTF8Meaning",
			infos:   []reason.Info{with(func(i *reason.Info) { i.Meaning = "bad \xff" })},
			wantErr: reason.ErrInvalidInfo,
			wantMsg: "reason: invalid info: SERIAL_MATCH: meaning is not valid UTF-8",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := reason.NewCatalog(tt.infos...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewCatalog() error = %v, want one wrapping %v", err, tt.wantErr)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("NewCatalog() error = %q, want %q", err, tt.wantMsg)
			}
			if c != nil {
				t.Errorf("NewCatalog() = %+v with its error, want nil", c)
			}
		})
	}
}

func TestCatalog_NilAndZero(t *testing.T) {
	for name, c := range map[string]*reason.Catalog{"Nil": nil, "Zero": {}} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(reason.All(), c.All()); diff != "" {
				t.Errorf("All() mismatch (-want +got):\n%s", diff)
			}
			want, _ := reason.Lookup(runlog.ReasonLinkFoundByExternalID)
			got, ok := c.Lookup(runlog.ReasonLinkFoundByExternalID)
			if !ok || got != want {
				t.Errorf("Lookup() = %+v, %t; want %+v, true", got, ok, want)
			}
		})
	}
}

func TestCatalog_AllIsACopy(t *testing.T) {
	c, err := reason.NewCatalog(hostInfos...)
	if err != nil {
		t.Fatal(err)
	}
	all := c.All()
	all[len(all)-1].Meaning = "changed"
	if got, _ := c.Lookup(hostInfos[1].Code); got.Meaning != hostInfos[1].Meaning {
		t.Errorf("changing All()'s slice changed the catalogue: meaning %q", got.Meaning)
	}
}

// TestCatalog_Concurrent reads one catalogue from many goroutines; run it
// with -race.
func TestCatalog_Concurrent(t *testing.T) {
	c, err := reason.NewCatalog(hostInfos...)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				for _, i := range c.All() {
					if got, ok := c.Lookup(i.Code); !ok || got != i {
						t.Errorf("Lookup(%s) = %+v, %t; want %+v, true", i.Code, got, ok, i)
						return
					}
				}
				reason.All()
			}
		})
	}
	wg.Wait()
}
