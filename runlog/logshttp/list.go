package logshttp

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/redact"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// maxFilterValues bounds how many times stage or status may be given: each
// count is another shape of list query the store prepares.
const maxFilterValues = 16

// maxValueBytes is the longest stage, status or mode a filter takes, as
// the store does: hosts' own values are welcome, of at most this size.
const maxValueBytes = 64

// filterValue checks a stage, status or mode value of parameter name as the
// store checks it: valid UTF-8 without NUL, at most maxValueBytes bytes.
func filterValue(name, v string) error {
	if len(v) > maxValueBytes || !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
		return badParam(name, "want a value of at most "+strconv.Itoa(maxValueBytes)+" bytes of UTF-8 text")
	}
	return nil
}

// listResponse is the body of GET api/entries.
type listResponse struct {
	Entries []entryJSON `json:"entries"`
	Next    string      `json:"next"`
	Prev    string      `json:"prev"`
	Partial bool        `json:"partial"`
}

// serveList answers GET api/entries: a page of rows.
func (h *handler) serveList(w http.ResponseWriter, r *http.Request) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		// url.URL.Query drops what it cannot read, and with it a filter:
		// the page would show rows the request meant to leave out.
		h.fail(w, r, badParam(badQueryKey(r.URL.RawQuery), "malformed query string: "+err.Error()))
		return
	}
	p, err := listParams(q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.store.List(r.Context(), instanceOf(r), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := listResponse{Entries: make([]entryJSON, len(res.Entries)), Next: res.Next, Prev: res.Prev, Partial: res.Partial}
	for i := range res.Entries {
		out.Entries[i] = newEntryJSON(&res.Entries[i])
		out.Entries[i].redact(redact.Default())
	}
	h.respond(w, r, out, nil)
}

// badQueryKey returns the key of the first pair of the query string raw
// that url.ParseQuery refuses (a bad escape, a semicolon), as far as it can
// be read, or "" when there is none.
func badQueryKey(raw string) string {
	for pair := range strings.SplitSeq(raw, "&") {
		if _, err := url.ParseQuery(pair); err == nil {
			continue
		}
		key, _, _ := strings.Cut(pair, "=")
		key, _, _ = strings.Cut(key, ";")
		if k, err := url.QueryUnescape(key); err == nil {
			return k
		}
		return key
	}
	return ""
}

// listParams reads the query parameters of GET api/entries. Parameters it
// does not know are ignored: a host's Instance may read its own.
func listParams(q url.Values) (sqlstore.ListParams, error) {
	var p sqlstore.ListParams
	var err error
	if p.Cursor, err = single(q, "cursor"); err != nil {
		return p, err
	}
	if s, err := single(q, "limit"); err != nil {
		return p, err
	} else if s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, badParam("limit", "want a whole number from 1 to "+strconv.Itoa(sqlstore.MaxLimit)+" (larger values are lowered to it)")
		}
		p.Limit = n
	}
	if s, err := single(q, "run_id"); err != nil {
		return p, err
	} else if s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return p, badParam("run_id", "want a positive integer run ID")
		}
		p.RunID = n
	}
	if p.Stages, err = many[runlog.Stage](q, "stage"); err != nil {
		return p, err
	}
	if p.Statuses, err = many[runlog.Status](q, "status"); err != nil {
		return p, err
	}
	mode, err := single(q, "mode")
	if err == nil {
		err = filterValue("mode", mode)
	}
	if err != nil {
		return p, err
	}
	p.Mode = runlog.Mode(mode)
	if p.StartedAfter, err = instant(q, "started_after"); err != nil {
		return p, err
	}
	if p.StartedBefore, err = instant(q, "started_before"); err != nil {
		return p, err
	}
	if !p.StartedAfter.IsZero() && !p.StartedBefore.IsZero() && p.StartedAfter.After(p.StartedBefore) {
		return p, badParam("started_before", "is earlier than started_after")
	}
	return p, nil
}

// single returns the value of a parameter given at most once; "" when
// absent or empty.
func single(q url.Values, name string) (string, error) {
	vs := q[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", badParam(name, "given more than once")
}

// many returns the values of a repeatable parameter, leaving out empty ones.
func many[T ~string](q url.Values, name string) ([]T, error) {
	vs := q[name]
	if len(vs) > maxFilterValues {
		return nil, badParam(name, "given more than "+strconv.Itoa(maxFilterValues)+" times")
	}
	var out []T
	for _, v := range vs {
		if err := filterValue(name, v); err != nil {
			return nil, err
		}
		if v != "" {
			out = append(out, T(v))
		}
	}
	return out, nil
}

// instant reads an RFC 3339 time parameter.
func instant(q url.Values, name string) (time.Time, error) {
	s, err := single(q, name)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, badParam(name, "want an RFC 3339 time such as 2026-11-20T09:00:00Z")
	}
	return t, nil
}
