package sqlstore

import (
	"context"
	"database/sql"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"
)

// keyDB is a SQLite database with the schema, for reading the key of
// started_at.
type keyDB struct {
	db *sqlx.DB
}

func openKeyDB(tb testing.TB) *keyDB {
	tb.Helper()
	db, err := sqlx.Open("sqlite", "file:"+filepath.Join(tb.TempDir(), "keys.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	s, err := New(db, Config{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return &keyDB{db: db}
}

// keys returns the key of each value stored as started_at, as it is.
func (k *keyDB) keys(tb testing.TB, values []any) []*string {
	tb.Helper()
	tx := k.db.MustBegin()
	defer tx.Rollback()
	tx.MustExec("DELETE FROM integration_run_stages")
	// Prepared once: the trigger that keeps the key makes a statement that
	// writes started_at slow to compile.
	insert, err := tx.Preparex("INSERT INTO integration_run_stages (id, instance_id, run_id, stage, status, attempt, started_at) VALUES (?, 1, 1, 's', 'x', ?, ?)")
	if err != nil {
		tb.Fatal(err)
	}
	defer insert.Close()
	for i, v := range values {
		insert.MustExec(i+1, i+1, v)
	}
	var keys []sql.NullString
	// The key the triggers keep, and the key computed inline, which must
	// agree.
	var rows []struct {
		Kept, Inline sql.NullString
	}
	if err := tx.Select(&rows, "SELECT started_key AS kept, "+sqliteTimeKey("started_at")+" AS inline FROM integration_run_stages ORDER BY id"); err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if r != (struct{ Kept, Inline sql.NullString }{r.Inline, r.Inline}) {
			tb.Errorf("started_key %v, inline key %v: they differ", r.Kept, r.Inline)
		}
		keys = append(keys, r.Kept)
	}
	got := make([]*string, len(keys))
	for i, k := range keys {
		if k.Valid {
			got[i] = &k.String
		}
	}
	return got
}

// goKey is what the schema's key must be for text s: timeKey of parseTime,
// or nil.
func goKey(s string) *string {
	t, ok := parseTime(s)
	if !ok {
		return nil
	}
	k := timeKey(t)
	return &k
}

func TestSQLiteTimeKey(t *testing.T) {
	k := openKeyDB(t)
	ist := time.FixedZone("IST", 5*3600+1800)
	at := time.Date(2025, 3, 4, 10, 0, 0, 123456789, ist)
	texts := []string{
		"2025-03-04 10:00:00+05:30", "2025-03-04 04:30:00+00:00", "2025-03-04 04:30:00", "2025-03-04T04:30:00Z",
		"2025-03-04 10:00:00.123 +0530 IST", "2025-03-04 10:00:00.123 +0530 IST m=+0.001000001",
		at.String(), at.Format(time.RFC3339Nano), at.UTC().Format(sqliteTimeFormat),
		"10000-01-01 00:00:00+00:00", "123456789-12-31 23:59:59.999999999-23:59", "0001-01-01 00:00:00+23:59",
		"2024-02-29 00:00:00", "2023-02-29 00:00:00", "2100-02-29 00:00:00", "2000-02-29 12:00:00",
		"2025-04-31 00:00:00", "2025-13-01 00:00:00", "2025-00-01 00:00:00", "0000-00-00 00:00:00",
		"2025-03-04 24:00:00", "2025-03-04 10:60:00", "2025-03-04 10:00:60", "2025-03-04 10:00:00.",
		"2025-03-04 10:00:00.1234567890", "2025-03-04 10:00:00+24:00", "2025-03-04 10:00:00+05:60",
		"2025-03-04 10:00:00 +0530", "2025-03-04 10:00:00 +0530x", "2025-03-04 10:00:00+0530", "2025-03-04 10:00:00 +05:30",
		"2025-03-04 10:00:00z", "2025-03-04t10:00:00", "2025-03-04 10:00:00 ", " 2025-03-04 10:00:00", "2025-3-4 10:00:00",
		"-2025-03-04 10:00:00", "999-03-04 10:00:00", "1234567890-03-04 10:00:00", "yesterday", "", "2025-03-04",
		"2025-03-04 10:00:00+05:30 ", "2025-03-04 10:00:00Z ", "2025-03-04 10:00:00.5Z", "2025-03-04 10:00:00-00:00",
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 3000 {
		texts = append(texts, randomTimeText(rng))
	}
	values := make([]any, len(texts))
	for i, s := range texts {
		values[i] = s
	}
	values = append(values, int64(1741082400), 1741082400.5, []byte("2025-03-04 10:00:00"))
	got := k.keys(t, values)
	for i, s := range texts {
		if diff := cmp.Diff(goKey(s), got[i]); diff != "" {
			t.Errorf("key of %q mismatch with Go's (-go +sqlite):\n%s", s, diff)
		}
	}
	// Numbers are no time; a BLOB's text is read as text.
	if got[len(texts)] != nil || got[len(texts)+1] != nil {
		t.Errorf("keys of numbers = %v, %v; want NULL", got[len(texts)], got[len(texts)+1])
	}
	if diff := cmp.Diff(goKey("2025-03-04 10:00:00"), got[len(texts)+2]); diff != "" {
		t.Errorf("key of a BLOB mismatch (-go +sqlite):\n%s", diff)
	}
}

// randomTimeText returns the text of a random time in one of the forms
// parseTime reads, or, one time in three, such a text with one byte
// changed, removed or added.
func randomTimeText(rng *rand.Rand) string {
	var year int
	switch rng.IntN(6) {
	case 0:
		year = 1 + rng.IntN(200)
	case 1:
		year = 9990 + rng.IntN(20)
	case 2:
		year = 10000 + rng.IntN(999_999_990)
	default:
		year = 1900 + rng.IntN(300)
	}
	t := time.Date(year, time.Month(1+rng.IntN(12)), 1+rng.IntN(31), rng.IntN(24), rng.IntN(60), rng.IntN(60), 0, time.UTC)
	if rng.IntN(2) == 0 {
		t = t.Add(time.Duration(rng.Int64N(int64(time.Second))))
	}
	zone := time.FixedZone("", 60*(rng.IntN(2*24*60-1)-(24*60-1)))
	if rng.IntN(3) == 0 {
		zone = time.UTC
	}
	t = t.In(zone)
	layouts := []string{
		sqliteTimeFormat, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.000000", "2006-01-02 15:04:05-0700", "2006-01-02 15:04:05.999999999 -0700 MST",
	}
	s := t.Format(layouts[rng.IntN(len(layouts))])
	if rng.IntN(4) == 0 {
		s = t.String()
		if rng.IntN(2) == 0 {
			s += " m=+" + strconv.Itoa(rng.IntN(1000)) + ".000000001"
		}
	}
	if rng.IntN(3) == 0 && s != "" {
		b := []byte(s)
		i := rng.IntN(len(b))
		c := "0123456789-:. +TZzm"[rng.IntN(19)]
		switch rng.IntN(3) {
		case 0:
			b[i] = c
		case 1:
			b = append(b[:i], b[i+1:]...)
		default:
			b = append(b[:i], append([]byte{c}, b[i:]...)...)
		}
		s = string(b)
	}
	return s
}

// FuzzSQLiteTimeKey holds the schema's key of any stored text to Go's
// reading of it.
func FuzzSQLiteTimeKey(f *testing.F) {
	for _, s := range []string{"2025-03-04 10:00:00+05:30", "2025-03-04 10:00:00.123 +0530 IST m=+0.001", "10000-01-01T00:00:00Z", "x"} {
		f.Add(s)
	}
	k := openKeyDB(f)
	f.Fuzz(func(t *testing.T, s string) {
		if diff := cmp.Diff(goKey(s), k.keys(t, []any{s})[0]); diff != "" {
			t.Errorf("key of %q mismatch with Go's (-go +sqlite):\n%s", s, diff)
		}
	})
}

// TestSQLiteTimeKeySQL checks that the SQLite migration fills started_key
// with sqliteTimeKey("started_at") and keeps it with
// sqliteTimeKey("NEW.started_at"); with -update, it writes them there in
// place of INLINE and TRIGGERED.
func TestSQLiteTimeKeySQL(t *testing.T) {
	const path = "migrations/sqlite/003_listing.sql"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	inline, factored := sqliteTimeKey("started_at"), sqliteTimeKey("NEW.started_at")
	want := strings.NewReplacer("INLINE", inline, "TRIGGERED", factored)
	update := flag.Lookup("update")
	if update != nil && update.Value.String() == "true" && (strings.Contains(text, "INLINE") || strings.Contains(text, "TRIGGERED")) {
		if err := os.WriteFile(path, []byte(want.Replace(text)), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := strings.Count(text, "started_key = "+inline+" WHERE"); got != 1 {
		t.Errorf("%s: started_key filled with sqliteTimeKey %d times, want once (write INLINE there and run go test -update)", path, got)
	}
	if got := strings.Count(text, "started_key = "+factored+" WHERE"); got != 2 {
		t.Errorf("%s: started_key kept with sqliteTimeKey by %d triggers, want 2 (write TRIGGERED there and run go test -update)", path, got)
	}
}
