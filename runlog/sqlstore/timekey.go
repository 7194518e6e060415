package sqlstore

import (
	"strings"
	"sync"
)

// sqliteTimeKey returns an SQL expression for the key of a stored time:
// timeKey of what parseTime reads from the column's text, or NULL when
// parseTime reads nothing. Stale computes the key of created_at with it,
// and the migration fills started_key with it and has two triggers keep it
// so. TestSQLiteTimeKeySQL holds the migration to this text. (Computed
// once per part in nested subqueries, it is shorter, but SQLite takes
// twice as long to compile it.)
//
// SQLite's strftime reads the date, the time to the second and the offset;
// the expression gives it the year moved into 2000-2399 (the calendar
// repeats every 400 years) and adds the 400-year cycles back, so that years
// past 9999 are read too, and takes the fraction of a second from the text
// itself, as SQLite keeps only milliseconds (julianday would lose
// microseconds, and stops at year 9999). The time must come back from
// datetime unchanged, which refuses what SQLite would move into range
// (April 31, hour 24).
func sqliteTimeKey(column string) string {
	if e, ok := timeKeys.Load(column); ok {
		return e.(string)
	}
	e := buildTimeKey(column)
	timeKeys.Store(column, e)
	return e
}

// timeKeys caches sqliteTimeKey by column: building the text takes a
// fraction of a millisecond.
var timeKeys sync.Map

// timeKeyMacros are the parts of the key expression, each a name standing
// for an expression over the names after it; T is the stored text.
var timeKeyMacros = []struct{ name, expr string }{
	{"KEY", "CASE WHEN Y BETWEEN 5 AND 10 AND CAST(substr(T, 1, Y - 1) AS TEXT) NOT GLOB '*[^0-9]*' AND YR >= 1" +
		" AND datetime(BASE) = replace(BASE, 'T', ' ')" +
		" AND (P = '' OR substr(P, 1, 1) = '.' AND length(P) BETWEEN 2 AND 10 AND substr(P, 2) NOT GLOB '*[^0-9]*')" +
		" THEN substr('00000000000000000' || (CAST(strftime('%s', BASE || ZONE) AS INTEGER) + (YR / 400 - 5) * 12622780800 + 100000000000), -18)" +
		" || '.' || substr(substr(P, 2) || '000000000', 1, 9) END"},
	{"ZONE", "CASE WHEN Z IN ('', 'Z') OR Z GLOB '[+-][0-9][0-9]:[0-9][0-9]' THEN Z" +
		" WHEN Z GLOB '[+-][0-9][0-9][0-9][0-9]' THEN substr(Z, 1, 3) || ':' || substr(Z, 4)" +
		" WHEN Z GLOB ' [+-][0-9][0-9][0-9][0-9]' OR Z GLOB ' [+-][0-9][0-9][0-9][0-9] *' THEN substr(Z, 2, 3) || ':' || substr(Z, 5, 2) END"},
	{"P", "substr(R, 1, length(R) - length(Z))"},
	{"Z", "ltrim(R, '.0123456789')"},
	{"BASE", "printf('%04d', 2000 + YR % 400) || CAST(substr(T, Y, 15) AS TEXT)"},
	{"R", "CAST(substr(T, Y + 15) AS TEXT)"},
	{"YR", "CAST(substr(T, 1, Y - 1) AS INTEGER)"},
	{"Y", "instr(T, '-')"},
}

func buildTimeKey(column string) string {
	expr := "KEY"
	for _, m := range timeKeyMacros {
		e := m.expr
		if m.name != "KEY" {
			e = "(" + e + ")"
		}
		expr = replaceWord(expr, m.name, e)
	}
	return replaceWord(expr, "T", column)
}

// replaceWord replaces the macro name in s where it stands as a whole word
// outside quotes.
func replaceWord(s, name, expr string) string {
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\'' {
			inQuote = !inQuote
		}
		if !inQuote && strings.HasPrefix(s[i:], name) && !wordByte(before(s, i)) && !wordByte(at(s, i+len(name))) {
			b.WriteString(expr)
			i += len(name)
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func before(s string, i int) byte {
	if i == 0 {
		return ' '
	}
	return s[i-1]
}

func at(s string, i int) byte {
	if i >= len(s) {
		return ' '
	}
	return s[i]
}

func wordByte(c byte) bool {
	return c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}
