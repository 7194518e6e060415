package sqlstore

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNullTime_Scan(t *testing.T) {
	want := time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)
	kolkata := time.FixedZone("IST", 5*3600+1800)
	tests := []struct {
		name string
		src  any
		want nullTime
	}{
		{"Null", nil, nullTime{}},
		{"TimeUTC", want, nullTime{Time: want, Valid: true}},
		{"TimeZoned", want.In(kolkata), nullTime{Time: want, Valid: true}},
		{"SQLiteText", "2025-03-04 05:06:07.123456+00:00", nullTime{Time: want, Valid: true}},
		{"SQLiteTextZoned", "2025-03-04 10:36:07.123456+05:30", nullTime{Time: want, Valid: true}},
		{"SQLiteDefault", "2025-03-04 05:06:07.123+00:00", nullTime{Time: want.Truncate(time.Millisecond), Valid: true}},
		{"RFC3339", "2025-03-04T05:06:07.123456Z", nullTime{Time: want, Valid: true}},
		{"MySQLBytes", []byte("2025-03-04 05:06:07.123456"), nullTime{Time: want, Valid: true}},
		{"TimeString", want.In(kolkata).String(), nullTime{Time: want, Valid: true}},
		{"Monotonic", "2025-03-04 05:06:07.123456 +0000 UTC m=+0.000012", nullTime{Time: want, Valid: true}},
		{"Nanoseconds", "2025-03-04 05:06:07.123456789+00:00", nullTime{Time: want.Add(789), Valid: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nullTime{Time: time.Now(), Valid: true}
			if err := got.Scan(tt.src); err != nil {
				t.Fatalf("Scan(%#v) error: %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Scan(%#v) mismatch (-want +got):\n%s", tt.src, diff)
			}
			if got.Valid && got.Time.Location() != time.UTC {
				t.Errorf("Scan(%#v) location = %v, want UTC", tt.src, got.Time.Location())
			}
		})
	}
}

func TestNullTime_ScanInvalid(t *testing.T) {
	for _, src := range []any{"yesterday", []byte("2025-13-45"), int64(1700000000), 1.5, true} {
		var n nullTime
		if err := n.Scan(src); err == nil {
			t.Errorf("Scan(%#v) = %+v, want an error", src, n)
		}
	}
}
