package logshttp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/opsync/integrationlogs/runlog/reason"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// ErrInvalidOptions is returned, wrapped, by New when the store or the
// options cannot make a handler: no store, no Options.Instance, or a
// malformed Options.Prefix.
var ErrInvalidOptions = errors.New("logshttp: invalid options")

// Options configures the handler that New returns.
type Options struct {
	// Instance resolves and authorizes the integration instance of a
	// request, from the host's session, the path or a header. It is
	// required. The handler calls it once per request, before routing,
	// with the request as the handler received it, so path values of the
	// host's own pattern (r.PathValue) can be read. Every query the request
	// makes is scoped by the instance ID it returns.
	//
	// An error answers 403 Forbidden with a generic message, unless the
	// error carries a status (see StatusError and StatusCoder): then that
	// status and the error's text. An ID of zero or below answers 400 with
	// the param "instance".
	Instance func(r *http.Request) (int64, error)

	// ReadOnly removes the purge route: POST api/purge answers 404, as any
	// path the handler does not serve, and the page has no Purge Logs
	// button.
	ReadOnly bool

	// Logger receives server errors and Instance errors with a status of
	// 500 or more (level Error), requests that timed out and purges stopped
	// part way (Warn), and requests the client gave up on (Debug). Nil
	// means slog.Default().
	Logger *slog.Logger

	// Catalog explains the reason codes a decide row's metrics count, in
	// the full card (see the api/entries/{id} route). Nil means the
	// built-in codes alone; hosts with codes of their own pass a catalogue
	// from reason.NewCatalog.
	Catalog *reason.Catalog

	// Prefix is the path the host mounts the handler at when it passes
	// requests on without stripping that path, such as
	// "/integrations/logs" (a trailing slash is allowed). The handler then
	// strips it itself, answers 404 for paths outside it and redirects the
	// prefix without its trailing slash to the prefix with it. Empty means
	// the handler is given paths relative to its mount point: mounted at
	// the root, or behind http.StripPrefix.
	//
	// The page makes every link and request relative to where it is
	// served, so it needs no prefix to work under any mount point.
	Prefix string
}

// handler serves the Logs tab of one store.
type handler struct {
	store    *sqlstore.Store
	instance func(*http.Request) (int64, error)
	readOnly bool
	log      *slog.Logger
	catalog  *reason.Catalog
	prefix   string // cleaned, without a trailing slash; "" for none
	mux      *http.ServeMux
	page     []byte           // the rendered index page
	assets   map[string]asset // the page's other files, by name
	origin   *http.CrossOriginProtection
}

// New returns the handler of the Logs tab on store: the page at the mount
// point and the JSON API under api/ (see the package documentation for the
// routes). It refuses, with an error wrapping ErrInvalidOptions, a nil
// store, a nil Options.Instance and a Prefix that is not a clean absolute
// path.
//
// The handler does no authentication of its own: the host wraps it in its
// own, and Options.Instance says which instance a request may see.
func New(store *sqlstore.Store, opts Options) (http.Handler, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: nil store", ErrInvalidOptions)
	}
	if opts.Instance == nil {
		return nil, fmt.Errorf("%w: Instance is required: it resolves and authorizes the instance of each request", ErrInvalidOptions)
	}
	prefix, err := cleanPrefix(opts.Prefix)
	if err != nil {
		return nil, err
	}
	h := &handler{
		store:    store,
		instance: opts.Instance,
		readOnly: opts.ReadOnly,
		log:      opts.Logger,
		catalog:  opts.Catalog,
		prefix:   prefix,
		origin:   http.NewCrossOriginProtection(),
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.page, err = renderPage(pageData{ReadOnly: opts.ReadOnly}); err != nil {
		return nil, err
	}
	if h.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	h.mux = h.routes()
	return h, nil
}

// cleanPrefix checks a mount prefix and returns it without its trailing
// slash ("" for none or "/").
func cleanPrefix(p string) (string, error) {
	if p == "" || p == "/" {
		return "", nil
	}
	trimmed := strings.TrimSuffix(p, "/")
	if !strings.HasPrefix(p, "/") || path.Clean(trimmed) != trimmed || strings.ContainsAny(p, "?#") {
		return "", fmt.Errorf("%w: Prefix %q: want a clean absolute path such as /integrations/logs", ErrInvalidOptions, p)
	}
	return trimmed, nil
}

// routes returns the handler's router. Every route has a method-less twin
// that answers 405 with Allow, and "/" answers 404, so that every error is
// JSON with the handler's headers.
func (h *handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.servePage)
	mux.HandleFunc("/{$}", methodNotAllowed("GET, HEAD"))
	mux.HandleFunc("GET /assets/{name}", h.serveAsset)
	mux.HandleFunc("/assets/{name}", methodNotAllowed("GET, HEAD"))
	mux.HandleFunc("GET /api/entries", h.serveList)
	mux.HandleFunc("/api/entries", methodNotAllowed("GET, HEAD"))
	mux.HandleFunc("GET /api/entries/{id}", h.serveCard)
	mux.HandleFunc("/api/entries/{id}", methodNotAllowed("GET, HEAD"))
	if !h.readOnly {
		mux.HandleFunc("POST /api/purge", h.servePurge)
		mux.HandleFunc("/api/purge", methodNotAllowed("POST"))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not found", "")
	})
	return mux
}

// instanceKey is the context key of the resolved instance ID.
type instanceKey struct{}

// instanceOf returns the instance ID ServeHTTP resolved for r.
func instanceOf(r *http.Request) int64 {
	id, _ := r.Context().Value(instanceKey{}).(int64)
	return id
}

// ServeHTTP sets the headers every response carries, strips the prefix,
// resolves the instance and routes the request.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Security-Policy", contentSecurityPolicy)
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Cross-Origin-Resource-Policy", "same-origin")

	p, rawPath, ok := h.relativePath(r)
	if !ok {
		writeError(w, http.StatusNotFound, "not found", "")
		return
	}
	if p != "" && cleanPath(p) != p {
		// ServeMux would redirect to the clean path, which is wrong when
		// it does not know the prefix; browsers send clean paths anyway.
		writeError(w, http.StatusNotFound, "not found", "")
		return
	}
	if p == "" {
		// The mount point without its trailing slash: relative links would
		// resolve against its parent, so send the browser to the slash.
		if loc, ok := h.slashRedirect(r); ok {
			hdr.Set("Location", loc)
			writeError(w, http.StatusMovedPermanently, "moved to "+loc, "")
			return
		}
		p, rawPath = "/", ""
	}

	id, err := h.instance(r)
	if err != nil {
		h.instanceError(w, r, err)
		return
	}
	if id <= 0 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("invalid instance ID %d: want a positive integer", id), "instance")
		return
	}

	// A copy, so that routing neither changes the host's request nor loses
	// what Instance read from it.
	r2 := r.WithContext(context.WithValue(r.Context(), instanceKey{}, id))
	r2.URL = new(url.URL)
	*r2.URL = *r.URL
	r2.URL.Path, r2.URL.RawPath = p, rawPath
	h.mux.ServeHTTP(w, r2)
}

// relativePath returns the request's path (and raw path) relative to the
// mount point, always starting with a slash unless it is empty, which
// stands for the mount point without its trailing slash. ok is false for a
// path outside Options.Prefix.
func (h *handler) relativePath(r *http.Request) (p, rawPath string, ok bool) {
	p, rawPath = r.URL.Path, r.URL.RawPath
	if h.prefix != "" {
		p = strings.TrimPrefix(p, h.prefix)
		rawPath = strings.TrimPrefix(rawPath, h.prefix)
		if len(p) == len(r.URL.Path) || (r.URL.RawPath != "" && len(rawPath) == len(r.URL.RawPath)) {
			return "", "", false
		}
		if p != "" && p[0] != '/' {
			return "", "", false // "/logsx" under "/logs"
		}
		return p, rawPath, true
	}
	// http.StripPrefix with the trailing slash leaves "api/entries".
	if p != "" && p[0] != '/' {
		p = "/" + p
		if rawPath != "" {
			rawPath = "/" + rawPath
		}
	}
	return p, rawPath, true
}

// slashRedirect returns where to send a request for the mount point
// without its trailing slash, and false when the request's own URL already
// ends with a slash (a host stripped the slash with the prefix).
func (h *handler) slashRedirect(r *http.Request) (string, bool) {
	q := ""
	if r.URL.RawQuery != "" {
		q = "?" + r.URL.RawQuery
	}
	if h.prefix != "" {
		return h.prefix + "/" + q, true
	}
	// Behind http.StripPrefix the handler does not know the prefix, but
	// the request line still holds the path the browser asked for.
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil || u.Path == "" || strings.HasSuffix(u.Path, "/") {
		return "", false
	}
	escaped := u.EscapedPath()
	return "./" + escaped[strings.LastIndexByte(escaped, '/')+1:] + "/" + q, true
}

// methodNotAllowed answers 405 with the methods a route allows.
func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed; allowed: "+allow, "")
	}
}

// cleanPath returns p, a path starting with a slash, as path.Clean gives
// it, with p's trailing slash kept: "//" is "/", "/a//b/" is "/a/b/".
func cleanPath(p string) string {
	c := path.Clean(p)
	if c != "/" && strings.HasSuffix(p, "/") {
		c += "/"
	}
	return c
}
