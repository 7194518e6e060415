package logshttp

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// apiError is the body of every error response.
type apiError struct {
	Error string `json:"error"`
	// Param names the query parameter, path value or body field at fault.
	Param string `json:"param,omitempty"`
}

// buffers recycles response buffers; a page of 50 rows takes some 30 KB.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeJSON answers status with v as JSON. encoding/json escapes <, > and &,
// so no stored text reads as markup even where a client mistakes the type.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	buf := buffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			buffers.Put(buf)
		}
	}()
	buf.Reset()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		writeRaw(w, http.StatusInternalServerError, []byte(`{"error":"internal server error"}`+"\n"))
		return err
	}
	writeRaw(w, status, buf.Bytes())
	return nil
}

// writeRaw answers status with a JSON body.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client has gone; nothing to do
}

// writeError answers status with an error body.
func writeError(w http.ResponseWriter, status int, msg, param string) {
	writeJSON(w, status, apiError{Error: msg, Param: param}) //nolint:errcheck // cannot fail
}

// paramError is a bad request parameter, or body field.
type paramError struct {
	code       int // the status to answer; 0 means 400
	param, msg string
}

func (e *paramError) Error() string { return e.param + ": " + e.msg }

// badParam returns the error of parameter param.
func badParam(param, msg string) error { return &paramError{param: param, msg: msg} }

// respond answers v, or the error of a request's work.
func (h *handler) respond(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := writeJSON(w, http.StatusOK, v); err != nil {
		h.log.ErrorContext(r.Context(), "logshttp: encoding the response failed", requestAttrs(r, err)...)
	}
}

// fail answers the error of a request's work: a bad parameter or a
// client's mistake the store found is 400, a row the instance does not
// have 404, a request the client gave up on gets no answer, and anything
// else is a server error, logged, answered 500 with a generic message.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var pe *paramError
	switch {
	case errors.As(err, &pe):
		writeError(w, cmp.Or(pe.code, http.StatusBadRequest), pe.msg, pe.param)
	case r.Context().Err() != nil && errors.Is(err, context.Canceled):
		// The client went away: nobody reads an answer, and it is no
		// server error.
		h.log.DebugContext(r.Context(), "logshttp: request cancelled", requestAttrs(r, err)...)
	case r.Context().Err() != nil && errors.Is(err, context.DeadlineExceeded):
		h.log.WarnContext(r.Context(), "logshttp: request timed out", requestAttrs(r, err)...)
		writeError(w, http.StatusServiceUnavailable, "the request timed out; try again", "")
	case errors.Is(err, sqlstore.ErrInvalidCursor):
		writeError(w, http.StatusBadRequest, "invalid cursor: it was altered, or issued for other filters; start again from the first page", "cursor")
	case errors.Is(err, sqlstore.ErrInvalidLimit):
		writeError(w, http.StatusBadRequest, "invalid page size: want a positive integer", "limit")
	case errors.Is(err, sqlstore.ErrInvalidInstance):
		writeError(w, http.StatusBadRequest, "invalid instance ID: want a positive integer", "instance")
	case errors.Is(err, sqlstore.ErrInvalidValue):
		// listParams checks each value as the store does; this is the
		// store's word on what it refused.
		writeError(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "sqlstore: "), "")
	case errors.Is(err, sqlstore.ErrNotFound):
		writeError(w, http.StatusNotFound, "entry not found", "id")
	default:
		h.log.ErrorContext(r.Context(), "logshttp: request failed", requestAttrs(r, err)...)
		writeError(w, http.StatusInternalServerError, "internal server error", "")
	}
}

// requestAttrs are the log attributes of a failed request.
func requestAttrs(r *http.Request, err error) []any {
	return []any{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int64("instance", instanceOf(r)),
		slog.Any("err", err),
	}
}
