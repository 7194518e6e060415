package logshttp

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
)

// ui holds the page: plain HTML, CSS and JavaScript, served as they are.
//
//go:embed ui/index.html ui/app.css ui/app.js
var ui embed.FS

// contentSecurityPolicy is set on every response. Scripts and styles come
// only from the handler's own files (no inline script, handler or style),
// requests go only to the handler's origin, and only the host's own pages
// may frame it.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// pageData is what the index page is rendered with.
type pageData struct {
	ReadOnly bool // leave out the Purge Logs button and its dialog
}

// renderPage renders the index page once, when the handler is made.
func renderPage(data pageData) ([]byte, error) {
	tmpl, err := template.ParseFS(ui, "ui/index.html")
	if err != nil {
		return nil, fmt.Errorf("logshttp: parse page: %w", err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("logshttp: render page: %w", err)
	}
	return b.Bytes(), nil
}

// servePage answers GET / with the page.
func (h *handler) servePage(w http.ResponseWriter, r *http.Request) {
	writeFile(w, "text/html; charset=utf-8", h.page)
}

// assetTypes are the content types of the files under assets/.
var assetTypes = map[string]string{
	"app.css": "text/css; charset=utf-8",
	"app.js":  "text/javascript; charset=utf-8",
}

// asset is one file under assets/.
type asset struct {
	contentType string
	body        []byte
}

// loadAssets reads the files under assets/.
func loadAssets() (map[string]asset, error) {
	out := make(map[string]asset, len(assetTypes))
	for name, ct := range assetTypes {
		b, err := ui.ReadFile("ui/" + name)
		if err != nil {
			return nil, fmt.Errorf("logshttp: read page asset: %w", err)
		}
		out[name] = asset{contentType: ct, body: b}
	}
	return out, nil
}

// serveAsset answers GET assets/{name} with one of the page's files.
func (h *handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets[r.PathValue("name")]
	if !ok {
		writeError(w, http.StatusNotFound, "not found", "")
		return
	}
	writeFile(w, a.contentType, a.body)
}

// writeFile answers 200 with a file of the page.
func writeFile(w http.ResponseWriter, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b) //nolint:errcheck // the client has gone; nothing to do
}
