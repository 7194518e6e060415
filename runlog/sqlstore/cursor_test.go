package sqlstore

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCursor_RoundTrip(t *testing.T) {
	fp := []byte("filters")
	tests := []struct {
		name string
		c    cursor
	}{
		{"Next", cursor{dir: dirNext, runID: 42, id: 1234}},
		{"Prev", cursor{dir: dirPrev, runID: 1, id: 1}},
		{"Zero", cursor{dir: dirNext}},
		{"Negative", cursor{dir: dirPrev, runID: -5, id: -7}},
		{"Extremes", cursor{dir: dirNext, runID: math.MaxInt64, id: math.MinInt64}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := encodeCursor(tt.c, 7, fp)
			if strings.ContainsAny(s, "+/=") || len(s) > cursorEncLimit {
				t.Errorf("encodeCursor() = %q, want URL-safe text of at most %d characters", s, cursorEncLimit)
			}
			got, err := decodeCursor(s, 7, fp)
			if err != nil {
				t.Fatalf("decodeCursor(%q) error: %v", s, err)
			}
			if diff := cmp.Diff(tt.c, got, cmp.AllowUnexported(cursor{})); diff != "" {
				t.Errorf("decodeCursor() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCursor_Invalid(t *testing.T) {
	fp := []byte("filters")
	valid := encodeCursor(cursor{dir: dirNext, runID: 300, id: 70000}, 7, fp)
	tests := []struct {
		name     string
		s        string
		instance int64
		fp       []byte
	}{
		{"OtherInstance", valid, 8, fp},
		{"OtherFilters", valid, 7, []byte("other")},
		{"NoFilters", valid, 7, nil},
		{"Empty", "", 7, fp},
		{"NotBase64", "!!!!", 7, fp},
		{"StdBase64", strings.ReplaceAll(strings.ReplaceAll(valid, "-", "+"), "_", "/") + "+", 7, fp},
		{"Padded", valid + "=", 7, fp},
		{"Spaces", " " + valid, 7, fp},
		{"TooShort", "AAAA", 7, fp},
		{"TooLong", strings.Repeat("A", 4096), 7, fp},
		{"Appended", valid + "AA", 7, fp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeCursor(tt.s, tt.instance, tt.fp); !errors.Is(err, ErrInvalidCursor) {
				t.Errorf("decodeCursor(%q) error = %v, want ErrInvalidCursor", tt.s, err)
			}
		})
	}
	t.Run("EveryCharacterChanged", func(t *testing.T) {
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		for i := range valid {
			for _, c := range alphabet {
				if byte(c) == valid[i] {
					continue
				}
				s := valid[:i] + string(c) + valid[i+1:]
				if _, err := decodeCursor(s, 7, fp); !errors.Is(err, ErrInvalidCursor) {
					t.Fatalf("decodeCursor(%q) error = %v, want ErrInvalidCursor", s, err)
				}
			}
		}
	})
	t.Run("EveryPrefix", func(t *testing.T) {
		for i := range len(valid) {
			if _, err := decodeCursor(valid[:i], 7, fp); !errors.Is(err, ErrInvalidCursor) {
				t.Fatalf("decodeCursor(%q) error = %v, want ErrInvalidCursor", valid[:i], err)
			}
		}
	})
}

// FuzzDecodeCursor checks that any text either fails with ErrInvalidCursor
// or is the canonical encoding of the cursor it decodes to.
func FuzzDecodeCursor(f *testing.F) {
	fp := []byte("filters")
	f.Add(encodeCursor(cursor{dir: dirNext, runID: 3, id: 9}, 7, fp))
	f.Add(encodeCursor(cursor{dir: dirPrev, runID: math.MaxInt64, id: -1}, 7, fp))
	f.Add("")
	f.Add("AQ")
	f.Add("%%%")
	f.Add("AXD-__________\r8BAeNNrd4vUV9l") // a valid cursor with a line break inside
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s, 7, fp)
		if err != nil {
			if !errors.Is(err, ErrInvalidCursor) {
				t.Fatalf("decodeCursor(%q) error = %v, want ErrInvalidCursor", s, err)
			}
			return
		}
		if got := encodeCursor(c, 7, fp); got != s {
			t.Fatalf("decodeCursor(%q) = %+v, which encodes as %q", s, c, got)
		}
	})
}

// FuzzCursor checks that every cursor survives encoding, and only for its
// own instance and filters.
func FuzzCursor(f *testing.F) {
	f.Add(byte('n'), int64(1), int64(2), int64(7), []byte("fp"))
	f.Add(byte('p'), int64(-1), int64(math.MaxInt64), int64(1), []byte(nil))
	f.Fuzz(func(t *testing.T, dir byte, runID, id, instance int64, fp []byte) {
		c := cursor{dir: dirNext, runID: runID, id: id}
		if dir%2 == 1 {
			c.dir = dirPrev
		}
		s := encodeCursor(c, instance, fp)
		got, err := decodeCursor(s, instance, fp)
		if err != nil || got != c {
			t.Fatalf("decodeCursor(encodeCursor(%+v)) = %+v, %v", c, got, err)
		}
		if _, err := decodeCursor(s, instance+1, fp); !errors.Is(err, ErrInvalidCursor) {
			t.Fatalf("cursor of instance %d accepted for instance %d", instance, instance+1)
		}
		if _, err := decodeCursor(s, instance, append([]byte{0}, fp...)); !errors.Is(err, ErrInvalidCursor) {
			t.Fatalf("cursor accepted for other filters")
		}
	})
}
