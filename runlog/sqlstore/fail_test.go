package sqlstore

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/opsync/integrationlogs/runlog/details"
)

// TestBoundPayload checks that boundPayload ends with valid JSON within the
// limit for payloads whose texts are short but whose JSON is long: escapes
// (a "<" is six bytes of JSON) and many previous errors.
func TestBoundPayload(t *testing.T) {
	ex := func(msg string) details.Exception {
		return details.Exception{Type: "*fmt.wrapError", Message: msg, Trace: strings.Repeat("main.f\n\t/app/main.go:1\n", 3)}
	}
	previous := func(n int, msg string) []details.Exception {
		var ps []details.Exception
		for range n {
			ps = append(ps, ex(msg))
		}
		return ps
	}
	tests := []struct {
		name  string
		p     details.Payload
		limit int
	}{
		{"escaped message", details.Payload{Type: "*errors.errorString", Message: "upstream said: " + strings.Repeat("<", 300)}, minLimit},
		{"escaped texts of 64 bytes", details.Payload{Type: strings.Repeat("&", 64), Message: strings.Repeat("\x01", 64)}, minLimit},
		{"five previous of 200 bytes", details.Payload{Type: "*errors.errorString", Message: "sync failed", Previous: previous(5, strings.Repeat("m", 200))}, minLimit},
		{"texts of 65 to 67 bytes", details.Payload{Type: strings.Repeat("t", 66), Message: strings.Repeat("m", 67), Trace: strings.Repeat("r", 65), Previous: previous(5, strings.Repeat("x", 66))}, minLimit},
		{"a debug chain at 1 KiB", details.Payload{Type: "*fmt.wrapError", Message: "reconcile: lock devices", Trace: strings.Repeat("store.(*Devices).Lock\n\t/app/store/devices.go:52\n", 20), Previous: previous(5, "lock devices: deadlock detected")}, 1024},
		{"multi-byte runes", details.Payload{Type: strings.Repeat("é", 100), Message: strings.Repeat("😀", 100), Previous: previous(5, strings.Repeat("ж", 100))}, minLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig, _ := json.Marshal(tt.p)
			doc := boundPayload(tt.p, tt.limit)
			if len(doc) > tt.limit {
				t.Errorf("%d bytes, over the limit of %d:\n%s", len(doc), tt.limit, doc)
			}
			var got details.Payload
			if err := json.Unmarshal(doc, &got); err != nil {
				t.Fatalf("not valid JSON: %v\n%s", err, doc)
			}
			if got.OriginalSize != len(orig) {
				t.Errorf("OriginalSize = %d, want %d", got.OriginalSize, len(orig))
			}
			if kept := len(got.Previous) + got.PreviousOmitted; kept != len(tt.p.Previous) {
				t.Errorf("%d previous errors kept and %d omitted, want %d in all", len(got.Previous), got.PreviousOmitted, len(tt.p.Previous))
			}
		})
	}
}

// TestBoundPayload_Fits checks that a payload within the limit is written
// as it is.
func TestBoundPayload_Fits(t *testing.T) {
	p := details.Payload{Type: "*errors.errorString", Message: "timeout"}
	want, _ := json.Marshal(p)
	if got := boundPayload(p, minLimit); string(got) != string(want) {
		t.Errorf("boundPayload = %s, want %s", got, want)
	}
}
