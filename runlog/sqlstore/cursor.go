package sqlstore

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
)

// A cursor marks a position in the list order, at a row (run_id, id): a
// Next cursor reads the rows after it, a Prev cursor the rows before it. The
// row itself is left out (it was on the page that issued the cursor), or,
// for an inclusive cursor, read: a page that found no row (every row it
// would show was deleted, or none its scan read matched) gives a way back
// through the position it started from, which was left out going the other
// way. The row need not exist any more, nor match the filters: the scan of a
// filtered page may stop at any row. Its text is base64url (no padding) of
//
//	version (1 byte) | direction ('n' or 'p'; 'N' or 'P' inclusive) | varint run_id | varint id | checksum (8 bytes)
//
// where the checksum is the first 8 bytes of SHA-256 over a fixed domain
// string, the instance ID, the fingerprint of the filters and the bytes
// before it. A cursor used with another instance or other filters, or
// altered in any byte, fails the checksum. The checksum is not a secret: a
// cursor grants nothing, since every query is scoped by the instance ID its
// caller passes, and it carries nothing but two row IDs.
type cursor struct {
	dir   direction
	runID int64
	id    int64
	incl  bool // the cursor's row is read too
}

// direction says which way a page reads from its cursor.
type direction byte

const (
	dirFirst direction = 0   // no cursor: the first page
	dirNext  direction = 'n' // the rows after the cursor's row
	dirPrev  direction = 'p' // the rows before the cursor's row
)

const (
	cursorVersion  = 1
	cursorSumLen   = 8
	cursorMinLen   = 2 + 1 + 1 + cursorSumLen // version, direction, two 1-byte varints
	cursorMaxLen   = 2 + 2*binary.MaxVarintLen64 + cursorSumLen
	cursorDomain   = "integrationlogs/sqlstore list cursor\x00"
	cursorEncLimit = (cursorMaxLen*8 + 5) / 6 // longest valid text
)

var cursorEncoding = base64.RawURLEncoding.Strict()

// encodeCursor returns the text of c for instanceID and the filters whose
// fingerprint is fp.
func encodeCursor(c cursor, instanceID int64, fp []byte) string {
	buf := make([]byte, 0, cursorMaxLen)
	d := byte(c.dir)
	if c.incl {
		d -= 'a' - 'A'
	}
	buf = append(buf, cursorVersion, d)
	buf = binary.AppendVarint(buf, c.runID)
	buf = binary.AppendVarint(buf, c.id)
	sum := cursorSum(buf, instanceID, fp)
	buf = append(buf, sum[:cursorSumLen]...)
	return cursorEncoding.EncodeToString(buf)
}

// decodeCursor parses s, checking it against instanceID and the filters
// whose fingerprint is fp. Every failure wraps ErrInvalidCursor.
func decodeCursor(s string, instanceID int64, fp []byte) (cursor, error) {
	if len(s) > cursorEncLimit {
		return cursor{}, fmt.Errorf("%w: too long", ErrInvalidCursor)
	}
	// The decoder skips line breaks; a cursor is only ever its canonical text.
	raw, err := cursorEncoding.DecodeString(s)
	if err != nil || strings.ContainsAny(s, "\r\n") {
		return cursor{}, fmt.Errorf("%w: not base64url", ErrInvalidCursor)
	}
	if len(raw) < cursorMinLen {
		return cursor{}, fmt.Errorf("%w: too short", ErrInvalidCursor)
	}
	body, sum := raw[:len(raw)-cursorSumLen], raw[len(raw)-cursorSumLen:]
	want := cursorSum(body, instanceID, fp)
	if subtle.ConstantTimeCompare(sum, want[:cursorSumLen]) != 1 {
		return cursor{}, fmt.Errorf("%w: checksum mismatch (altered, or issued for another instance or other filters)", ErrInvalidCursor)
	}
	if body[0] != cursorVersion {
		return cursor{}, fmt.Errorf("%w: version %d", ErrInvalidCursor, body[0])
	}
	c := cursor{dir: direction(body[1])}
	if c.dir == 'N' || c.dir == 'P' {
		c.dir, c.incl = c.dir+'a'-'A', true
	}
	if c.dir != dirNext && c.dir != dirPrev {
		return cursor{}, fmt.Errorf("%w: direction %d", ErrInvalidCursor, body[1])
	}
	rest := body[2:]
	var n int
	if c.runID, n = binary.Varint(rest); n <= 0 {
		return cursor{}, fmt.Errorf("%w: bad run ID", ErrInvalidCursor)
	}
	rest = rest[n:]
	if c.id, n = binary.Varint(rest); n <= 0 {
		return cursor{}, fmt.Errorf("%w: bad row ID", ErrInvalidCursor)
	}
	if len(rest) != n {
		return cursor{}, fmt.Errorf("%w: trailing bytes", ErrInvalidCursor)
	}
	return c, nil
}

// cursorSum returns SHA-256 of the domain, the instance, the filter
// fingerprint and the cursor body.
func cursorSum(body []byte, instanceID int64, fp []byte) [sha256.Size]byte {
	buf := make([]byte, 0, len(cursorDomain)+8+binary.MaxVarintLen64+len(fp)+len(body))
	buf = append(buf, cursorDomain...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(instanceID))
	buf = binary.AppendUvarint(buf, uint64(len(fp)))
	buf = append(buf, fp...)
	buf = append(buf, body...)
	return sha256.Sum256(buf)
}
