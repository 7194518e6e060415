package sqlstore

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opsync/integrationlogs/runlog"
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

func TestNullTime_ScanUnreadable(t *testing.T) {
	tests := []struct {
		src  any
		want runlog.Unreadable
	}{
		{"yesterday", runlog.Unreadable{Stored: "yesterday", Reason: "not a time in a known form"}},
		{[]byte("2025-13-45"), runlog.Unreadable{Stored: "2025-13-45", Reason: "not a time in a known form"}},
		{[]byte("0000-00-00 00:00:00.000000"), runlog.Unreadable{Stored: "0000-00-00 00:00:00.000000", Reason: "a zero date, which is no time"}},
		{time.Time{}, runlog.Unreadable{Stored: "0000-00-00 00:00:00", Reason: "a zero date, which is no time"}},
		{int64(1700000000), runlog.Unreadable{Stored: "1700000000", Reason: "stored as int64, not as a time or its text"}},
		{1.5, runlog.Unreadable{Stored: "1.5", Reason: "stored as float64, not as a time or its text"}},
		{"bad\x00\x1b[31m\xff" + strings.Repeat("x", 100), runlog.Unreadable{
			Stored: "bad\uFFFD\uFFFD[31m\uFFFD" + strings.Repeat("x", 54) + "…", Reason: "not a time in a known form"}},
	}
	for _, tt := range tests {
		n := nullTime{Time: time.Now(), Valid: true}
		if err := n.Scan(tt.src); err != nil {
			t.Fatalf("Scan(%#v) error: %v", tt.src, err)
		}
		if n.Valid || !n.Time.IsZero() {
			t.Errorf("Scan(%#v) = %v, valid %v; want the zero time, not valid", tt.src, n.Time, n.Valid)
		}
		got := n.unreadable("started_at")
		want := tt.want
		want.Field = "started_at"
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("Scan(%#v) unreadable mismatch (-want +got):\n%s", tt.src, diff)
		}
	}
}

func TestParseTime(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+1800)
	tests := []struct {
		s    string
		want time.Time
	}{
		{"2025-03-04 10:00:00+05:30", time.Date(2025, 3, 4, 4, 30, 0, 0, time.UTC)},
		{"2025-03-04 10:00:00.123 +0530 IST m=+0.001", time.Date(2025, 3, 4, 4, 30, 0, 123e6, time.UTC)},
		{"2025-03-04T04:30:00.000000001Z", time.Date(2025, 3, 4, 4, 30, 0, 1, time.UTC)},
		{"10000-01-01 00:00:00", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(12345, 6, 7, 8, 9, 10, 11, ist).String(), time.Date(12345, 6, 7, 8, 9, 10, 11, ist).UTC()},
		{"2024-02-29 23:59:59-14:59", time.Date(2024, 3, 1, 14, 58, 59, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, ok := parseTime(tt.s)
		if !ok || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %v in UTC", tt.s, got, ok, tt.want)
		}
	}
	for _, s := range []string{"", "2023-02-29 00:00:00", "2025-03-04 24:00:00", "2025-03-04 10:00:00+15:00",
		"0000-01-01 00:00:00", "2025-03-04 10:00:00.", "2025-03-04 10:00:00 +0530x", "2025-03-04"} {
		if got, ok := parseTime(s); ok {
			t.Errorf("parseTime(%q) = %v, want no time", s, got)
		}
	}
}

func TestTimeKey_Order(t *testing.T) {
	times := []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 4, 4, 30, 0, 1, time.UTC),
		time.Date(2025, 3, 4, 4, 30, 0, 2, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(999_999_999, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	for i := 1; i < len(times); i++ {
		if a, b := timeKey(times[i-1]), timeKey(times[i]); a >= b {
			t.Errorf("timeKey(%v) = %s, not below timeKey(%v) = %s", times[i-1], a, times[i], b)
		}
	}
}
