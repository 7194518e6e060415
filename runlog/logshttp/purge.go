package logshttp

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// maxPurgeBody bounds the body of POST api/purge; {"confirm": true} needs
// 17 bytes.
const maxPurgeBody = 1 << 10

// purgeRequest is the body of POST api/purge.
type purgeRequest struct {
	// Confirm must be true: a purge cannot be undone.
	Confirm *bool `json:"confirm"`
}

// purgeResponse is the answer to POST api/purge.
type purgeResponse struct {
	Deleted int64 `json:"deleted"`
}

// servePurge answers POST api/purge: it deletes every stage row of the
// instance.
func (h *handler) servePurge(w http.ResponseWriter, r *http.Request) {
	// A cross-site form cannot send JSON, and a cross-site fetch that
	// could is refused here as well.
	if err := h.origin.Check(r); err != nil {
		writeError(w, http.StatusForbidden, "cross-origin request refused", "")
		return
	}
	if ct := r.Header.Get("Content-Type"); !isJSON(ct) {
		writeError(w, http.StatusUnsupportedMediaType, `want Content-Type: application/json with the body {"confirm": true}`, "Content-Type")
		return
	}
	var req purgeRequest
	if err := decodeBody(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.Confirm == nil || !*req.Confirm {
		writeError(w, http.StatusBadRequest, `a purge cannot be undone: send {"confirm": true}`, "confirm")
		return
	}
	res, err := h.store.Purge(r.Context(), instanceOf(r))
	if err != nil && res.Deleted > 0 {
		h.log.WarnContext(r.Context(), "logshttp: purge stopped part way", append(requestAttrs(r, err), "deleted", res.Deleted)...)
	}
	h.respond(w, r, purgeResponse{Deleted: res.Deleted}, err)
}

// isJSON reports whether a Content-Type names JSON.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// decodeBody reads a request body of at most maxPurgeBody bytes holding one
// JSON object with only the fields of v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxPurgeBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err = dec.Token(); errors.Is(err, io.EOF) {
			return nil
		} else if err == nil {
			err = errors.New("data after the JSON object")
		}
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return &paramError{code: http.StatusRequestEntityTooLarge, param: "body", msg: "body larger than " + strconv.Itoa(maxPurgeBody) + " bytes"}
	case errors.Is(err, io.EOF):
		return badParam("body", `empty body: send {"confirm": true}`)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return badParam(typeErr.Field, "want true or false")
	case errors.As(err, &typeErr):
		return badParam("body", `want the JSON object {"confirm": true}`)
	}
	return badParam("body", `want the JSON object {"confirm": true}: `+strings.TrimPrefix(err.Error(), "json: "))
}
