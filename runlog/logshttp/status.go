package logshttp

import (
	"errors"
	"log/slog"
	"net/http"
)

// StatusCoder is implemented by errors that carry the HTTP status to answer
// with. When Options.Instance returns an error with one in its chain (found
// with errors.As), the handler answers that status, with the error's text
// as the message, instead of 403 with a generic message. Statuses outside
// 400 to 599 are taken as 403.
type StatusCoder interface {
	error
	HTTPStatus() int
}

// StatusError returns an error that answers status code with message msg
// when Options.Instance returns it, for example
//
//	return 0, logshttp.StatusError(http.StatusUnauthorized, "sign in to see the logs")
//
// The message is shown to the client: keep secrets out of it. Wrapping the
// error (fmt.Errorf with %w) keeps its status.
func StatusError(code int, msg string) error {
	return &statusError{code: code, msg: msg}
}

// statusError is the error StatusError returns.
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string   { return e.msg }
func (e *statusError) HTTPStatus() int { return e.code }

// instanceError answers a request whose Options.Instance failed.
func (h *handler) instanceError(w http.ResponseWriter, r *http.Request, err error) {
	var sc StatusCoder
	if !errors.As(err, &sc) {
		writeError(w, http.StatusForbidden, "forbidden", "")
		return
	}
	code := sc.HTTPStatus()
	if code < 400 || code > 599 {
		code = http.StatusForbidden
	}
	if code >= 500 {
		h.log.ErrorContext(r.Context(), "logshttp: resolving the instance failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	msg := sc.Error()
	if msg == "" {
		msg = http.StatusText(code)
	}
	writeError(w, code, msg, "")
}
