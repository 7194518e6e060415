package sqlstore

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog"
)

// nullTime scans a nullable time from any of the supported drivers: a
// time.Time (pgx; go-sql-driver/mysql with parseTime=true; modernc.org/sqlite
// on DATETIME columns), or text (SQLite; go-sql-driver/mysql without
// parseTime) in one of the forms parseTime reads. Times come back in UTC.
//
// A value it cannot read (a MySQL zero date, an integer epoch in SQLite,
// text in no known form) does not fail the scan: Valid stays false and Bad
// says what was stored, so that one bad value never hides its row.
type nullTime struct {
	Time  time.Time
	Valid bool
	Bad   *runlog.Unreadable // set, with Field empty, for a value that could not be read
}

// Scan implements sql.Scanner. It never fails.
func (n *nullTime) Scan(src any) error {
	*n = nullTime{}
	switch v := src.(type) {
	case nil:
		return nil
	case time.Time:
		if v.IsZero() {
			// go-sql-driver/mysql hands a zero date as the zero time.
			n.Bad = &runlog.Unreadable{Stored: "0000-00-00 00:00:00", Reason: "a zero date, which is no time"}
			return nil
		}
		n.Time, n.Valid = v.UTC(), true
	case string:
		n.text(v)
	case []byte:
		n.text(string(v))
	default:
		n.Bad = &runlog.Unreadable{Stored: storedText(fmt.Sprint(v)),
			Reason: fmt.Sprintf("stored as %T, not as a time or its text", v)}
	}
	return nil
}

func (n *nullTime) text(s string) {
	t, ok := parseTime(s)
	if !ok {
		reason := "not a time in a known form"
		if strings.HasPrefix(s, "0000-00-00") {
			reason = "a zero date, which is no time"
		}
		n.Bad = &runlog.Unreadable{Stored: storedText(s), Reason: reason}
		return
	}
	n.Time, n.Valid = t, true
}

// unreadable returns n's problem as the Unreadable of field, or nil.
func (n *nullTime) unreadable(field string) *runlog.Unreadable {
	if n.Bad == nil {
		return nil
	}
	u := *n.Bad
	u.Field = field
	return &u
}

// maxStoredText bounds Unreadable.Stored, in bytes.
const maxStoredText = 64

// storedText returns s cleaned to valid UTF-8 text without control
// characters, and cut to maxStoredText bytes with "…".
func storedText(s string) string {
	cut := len(s) > maxStoredText
	if cut {
		s = prefix(s, maxStoredText)
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if cut {
		s += "…"
	}
	return s
}

// parseTime reads the text forms of times that drivers and hosts write:
//
//	YYYY-MM-DD HH:MM:SS[.F][zone]
//
// where the year has 4 to 9 digits and is at least 1, a 'T' may stand for
// the space, F is 1 to 9 digits, and zone is nothing or "Z" (UTC), "+HH:MM",
// "+HHMM", or " +HHMM" followed by nothing or by a space and anything (a
// zone name and a monotonic clock reading, as time.Time.String writes), with
// '-' for '+' west of UTC. That covers SQLite's own form (no zone),
// "2006-01-02 15:04:05.999999999-07:00" (modernc.org/sqlite with
// _time_format=sqlite, mattn/go-sqlite3), RFC 3339, MySQL's DATETIME text,
// and time.Time.String (modernc.org/sqlite's default), for any year Go
// writes them with from 1 on. Fields must be in range (no February 30, no
// second 60, an offset of at most 14:59, as SQLite's date functions
// read). Text after a NUL byte is ignored, as SQLite's functions ignore it.
//
// The SQLite schema computes the same reading in SQL (the started_key
// column, see sqliteTimeKey); a test holds the two together.
func parseTime(s string) (time.Time, bool) {
	// SQLite's functions read text up to its first NUL, and so does the
	// schema's key of a stored time (sqliteTimeKey): reading the same part
	// keeps the two in step.
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	dash := strings.IndexByte(s, '-')
	if dash < 4 || dash > 9 || !digits(s[:dash]) {
		return time.Time{}, false
	}
	year, _ := strconv.Atoi(s[:dash])
	r := s[dash+1:] // "MM-DD HH:MM:SS..."
	if year < 1 || len(r) < 14 || r[2] != '-' || (r[5] != ' ' && r[5] != 'T') || r[8] != ':' || r[11] != ':' {
		return time.Time{}, false
	}
	var f [5]int // month, day, hour, minute, second
	for i, at := range []int{0, 3, 6, 9, 12} {
		if !digits(r[at : at+2]) {
			return time.Time{}, false
		}
		f[i] = int(r[at]-'0')*10 + int(r[at+1]-'0')
	}
	month, day, hour, minute, sec := f[0], f[1], f[2], f[3], f[4]
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest, nsec := r[14:], 0
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return time.Time{}, false
		}
		nsec, _ = strconv.Atoi((rest[1:n] + "000000000")[:9])
		rest = rest[n:]
	}
	offset, ok := parseZone(rest)
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Minute), true
}

// parseZone reads the zone of parseTime's forms and returns its offset in
// minutes east of UTC.
func parseZone(z string) (int, bool) {
	var sign byte
	var hh, mm string
	switch {
	case z == "" || z == "Z":
		return 0, true
	case len(z) == 6 && z[3] == ':':
		sign, hh, mm = z[0], z[1:3], z[4:6]
	case len(z) == 5:
		sign, hh, mm = z[0], z[1:3], z[3:5]
	case len(z) >= 6 && z[0] == ' ' && (len(z) == 6 || z[6] == ' '):
		sign, hh, mm = z[1], z[2:4], z[4:6]
	default:
		return 0, false
	}
	if (sign != '+' && sign != '-') || !digits(hh) || !digits(mm) {
		return 0, false
	}
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	if h > 14 || m > 59 {
		return 0, false
	}
	if sign == '-' {
		return -(h*60 + m), true
	}
	return h*60 + m, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// timeKeyBias makes every key's seconds positive: it is more than the
// seconds from year 1 to 1970 plus a day of offset.
const timeKeyBias = 100_000_000_000

// timeKey returns the comparable form of t that the SQLite schema computes
// from stored text (sqliteTimeKey, the started_key column): the seconds
// since 1970 plus timeKeyBias as 18 digits, a dot, and the nanoseconds as 9
// digits. Keys compare as text in time order, to the nanosecond, for every
// time parseTime reads. Earlier times than the bias allows give the least
// key, later ones than 18 digits hold the greatest.
func timeKey(t time.Time) string {
	const most = 999_999_999_999_999_999
	switch unix := t.Unix(); {
	case unix < -timeKeyBias:
		return "000000000000000000.000000000"
	case unix > most-timeKeyBias:
		return "999999999999999999.999999999"
	}
	return fmt.Sprintf("%018d.%09d", t.Unix()+timeKeyBias, t.Nanosecond())
}
