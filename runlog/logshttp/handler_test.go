package logshttp_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/opsync/integrationlogs/runlog/logshttp"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func TestNew(t *testing.T) {
	store, _ := openStore(t)
	instance := func(*http.Request) (int64, error) { return 1, nil }
	tests := []struct {
		name  string
		store *sqlstore.Store
		opts  logshttp.Options
		ok    bool
	}{
		{"Minimal", store, logshttp.Options{Instance: instance}, true},
		{"Everything", store, logshttp.Options{Instance: instance, ReadOnly: true, Logger: slog.Default(), Prefix: "/integrations/logs/"}, true},
		{"RootPrefix", store, logshttp.Options{Instance: instance, Prefix: "/"}, true},
		{"NoStore", nil, logshttp.Options{Instance: instance}, false},
		{"NoInstance", store, logshttp.Options{}, false},
		{"RelativePrefix", store, logshttp.Options{Instance: instance, Prefix: "logs"}, false},
		{"UncleanPrefix", store, logshttp.Options{Instance: instance, Prefix: "/a/../logs"}, false},
		{"DoubleSlashPrefix", store, logshttp.Options{Instance: instance, Prefix: "/a//logs"}, false},
		{"QueryInPrefix", store, logshttp.Options{Instance: instance, Prefix: "/logs?x=1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := logshttp.New(tt.store, tt.opts)
			if tt.ok {
				if err != nil || h == nil {
					t.Fatalf("New() = %v, %v; want a handler", h, err)
				}
				return
			}
			if !errors.Is(err, logshttp.ErrInvalidOptions) {
				t.Errorf("New() error = %v, want ErrInvalidOptions", err)
			}
		})
	}
}

// TestHandler_Routes sends every route every method, and some paths that
// are no route, checking status, content type, Allow and the headers every
// response carries.
func TestHandler_Routes(t *testing.T) {
	store, db := openStore(t)
	ids := seed(t, db, fixture)
	h := newHandler(t, store, logshttp.Options{}, nil)
	entry := fmt.Sprintf("/api/entries/%d", ids[0])
	purgeBody := `{"confirm": false}` // a valid request that purges nothing
	jsonType := map[string]string{"Content-Type": "application/json"}

	tests := []struct {
		name  string
		req   request
		code  int
		ctype string
		allow string
	}{
		{"Page", request{target: "/"}, 200, "text/html; charset=utf-8", ""},
		{"PageHead", request{method: "HEAD", target: "/"}, 200, "text/html; charset=utf-8", ""},
		{"Script", request{target: "/assets/app.js"}, 200, "text/javascript; charset=utf-8", ""},
		{"StyleSheet", request{target: "/assets/app.css"}, 200, "text/css; charset=utf-8", ""},
		{"UnknownAsset", request{target: "/assets/nope.js"}, 404, "application/json; charset=utf-8", ""},
		{"AssetDirectory", request{target: "/assets/"}, 404, "application/json; charset=utf-8", ""},
		{"List", request{target: "/api/entries"}, 200, "application/json; charset=utf-8", ""},
		{"ListHead", request{method: "HEAD", target: "/api/entries"}, 200, "application/json; charset=utf-8", ""},
		{"Card", request{target: entry}, 200, "application/json; charset=utf-8", ""},
		{"Purge", request{method: "POST", target: "/api/purge", body: purgeBody, header: jsonType}, 400, "application/json; charset=utf-8", ""},
		{"PagePost", request{method: "POST", target: "/"}, 405, "application/json; charset=utf-8", "GET, HEAD"},
		{"AssetPost", request{method: "POST", target: "/assets/app.js"}, 405, "application/json; charset=utf-8", "GET, HEAD"},
		{"ListPost", request{method: "POST", target: "/api/entries"}, 405, "application/json; charset=utf-8", "GET, HEAD"},
		{"ListDelete", request{method: "DELETE", target: "/api/entries"}, 405, "application/json; charset=utf-8", "GET, HEAD"},
		{"CardPut", request{method: "PUT", target: entry}, 405, "application/json; charset=utf-8", "GET, HEAD"},
		{"CardDelete", request{method: "DELETE", target: entry}, 405, "application/json; charset=utf-8", "GET, HEAD"},
		{"PurgeGet", request{target: "/api/purge"}, 405, "application/json; charset=utf-8", "POST"},
		{"PurgeOptions", request{method: "OPTIONS", target: "/api/purge"}, 405, "application/json; charset=utf-8", "POST"},
		{"UnknownPath", request{target: "/nope"}, 404, "application/json; charset=utf-8", ""},
		{"IndexFile", request{target: "/index.html"}, 404, "application/json; charset=utf-8", ""},
		{"API", request{target: "/api/"}, 404, "application/json; charset=utf-8", ""},
		{"ListSlash", request{target: "/api/entries/"}, 404, "application/json; charset=utf-8", ""},
		{"CardChild", request{target: entry + "/x"}, 404, "application/json; charset=utf-8", ""},
		{"DotDot", request{target: "/assets/../api/entries"}, 404, "application/json; charset=utf-8", ""},
		{"DoubleSlash", request{target: "//api/entries"}, 404, "application/json; charset=utf-8", ""},
		{"Dot", request{target: "/./"}, 404, "application/json; charset=utf-8", ""},
		{"RootDoubleSlash", request{target: "//"}, 404, "application/json; charset=utf-8", ""},
		{"RootDoubleSlashPost", request{method: "POST", target: "//?x=1"}, 404, "application/json; charset=utf-8", ""},
		{"InnerDoubleSlash", request{target: "/api//entries"}, 404, "application/json; charset=utf-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(h, tt.req)
			if w.Code != tt.code {
				t.Errorf("status = %d, want %d (body %s)", w.Code, tt.code, w.Body)
			}
			want := map[string]string{
				"Content-Type":                 tt.ctype,
				"Cache-Control":                "no-store",
				"X-Content-Type-Options":       "nosniff",
				"Referrer-Policy":              "no-referrer",
				"Cross-Origin-Resource-Policy": "same-origin",
				"Allow":                        tt.allow,
			}
			got := map[string]string{}
			for k := range want {
				got[k] = w.Header().Get(k)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers mismatch (-want +got):\n%s", diff)
			}
			csp := w.Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe") {
				t.Errorf("Content-Security-Policy = %q, want scripts and styles from 'self' only", csp)
			}
			if strings.HasPrefix(tt.ctype, "application/json") && w.Code >= 400 {
				var e errorJSON
				decode(t, w, &e)
				if e.Error == "" {
					t.Errorf("error body %s has no message", w.Body)
				}
			}
		})
	}
}

// TestHandler_Page checks that the page links only relative addresses and
// loads no inline script or style.
func TestHandler_Page(t *testing.T) {
	store, _ := openStore(t)
	for _, readOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("ReadOnly=%v", readOnly), func(t *testing.T) {
			h := newHandler(t, store, logshttp.Options{ReadOnly: readOnly}, nil)
			page := serve(h, request{target: "/"}).Body.String()
			for _, m := range regexp.MustCompile(`(?:href|src|action)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
				if u := m[1]; strings.HasPrefix(u, "/") || strings.Contains(u, "//") {
					t.Errorf("page links %q: want a relative address", u)
				}
			}
			if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`).MatchString(page) {
				t.Error("page has an inline script")
			}
			if regexp.MustCompile(`\son[a-z]+=|\sstyle=|<style`).MatchString(page) {
				t.Error("page has an inline event handler or style")
			}
			for _, want := range []string{"<th scope=\"col\">Run</th>", `aria-label="Refresh"`, "Previous", "Next"} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			const question = "Purge integration logs? This will permanently remove all stage log entries."
			if got := strings.Contains(page, "Purge Logs") && strings.Contains(page, question); got == readOnly {
				t.Errorf("page has the purge button and dialog: %v, want %v", got, !readOnly)
			}
		})
	}
}

func TestHandler_Instance(t *testing.T) {
	store, db := openStore(t)
	seed(t, db, fixture)
	tests := []struct {
		name     string
		instance func(*http.Request) (int64, error)
		code     int
		want     errorJSON
		logged   bool // an error is logged
	}{
		{"PlainError", func(*http.Request) (int64, error) { return 0, errors.New("session store says no: secret detail") },
			403, errorJSON{Error: "forbidden"}, false},
		{"StatusError", func(*http.Request) (int64, error) {
			return 0, logshttp.StatusError(http.StatusUnauthorized, "sign in to see the logs")
		}, 401, errorJSON{Error: "sign in to see the logs"}, false},
		{"WrappedStatusError", func(*http.Request) (int64, error) {
			return 0, fmt.Errorf("auth: %w", logshttp.StatusError(http.StatusNotFound, "no such integration"))
		}, 404, errorJSON{Error: "no such integration"}, false},
		{"StatusOutOfRange", func(*http.Request) (int64, error) { return 0, logshttp.StatusError(200, "fine?") },
			403, errorJSON{Error: "fine?"}, false},
		{"EmptyMessage", func(*http.Request) (int64, error) { return 0, logshttp.StatusError(http.StatusTooManyRequests, "") },
			429, errorJSON{Error: "Too Many Requests"}, false},
		{"ServerError", func(*http.Request) (int64, error) {
			return 0, logshttp.StatusError(http.StatusServiceUnavailable, "sessions unavailable")
		}, 503, errorJSON{Error: "sessions unavailable"}, true},
		{"ZeroInstance", func(*http.Request) (int64, error) { return 0, nil },
			400, errorJSON{Error: "invalid instance ID 0: want a positive integer", Param: "instance"}, false},
		{"NegativeInstance", func(*http.Request) (int64, error) { return -7, nil },
			400, errorJSON{Error: "invalid instance ID -7: want a positive integer", Param: "instance"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := new(logBuffer)
			h := newHandler(t, store, logshttp.Options{Instance: tt.instance}, log)
			for _, target := range []string{"/", "/api/entries", "/api/entries/1", "/nope"} {
				w := serve(h, request{target: target})
				if w.Code != tt.code {
					t.Errorf("GET %s: status = %d, want %d", target, w.Code, tt.code)
				}
				var got errorJSON
				decode(t, w, &got)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("GET %s: body mismatch (-want +got):\n%s", target, diff)
				}
			}
			if logged := len(log.records(t, slog.LevelError)) > 0; logged != tt.logged {
				t.Errorf("error logged: %v, want %v", logged, tt.logged)
			}
		})
	}

	t.Run("SeesHostPathValues", func(t *testing.T) {
		var seen []string
		h := newHandler(t, store, logshttp.Options{Instance: func(r *http.Request) (int64, error) {
			seen = append(seen, r.PathValue("instance"))
			return 1, nil
		}}, nil)
		mux := http.NewServeMux()
		mux.Handle("/integrations/{instance}/logs/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.StripPrefix("/integrations/"+r.PathValue("instance")+"/logs", h).ServeHTTP(w, r)
		}))
		if w := serve(mux, request{target: "/integrations/7/logs/api/entries"}); w.Code != 200 {
			t.Fatalf("status = %d, want 200 (%s)", w.Code, w.Body)
		}
		if diff := cmp.Diff([]string{"7"}, seen); diff != "" {
			t.Errorf("path values seen by Instance (-want +got):\n%s", diff)
		}
	})
}

// TestHandler_Mount mounts the handler the ways a host does and follows
// the page's relative addresses from where it is served.
func TestHandler_Mount(t *testing.T) {
	store, db := openStore(t)
	seed(t, db, fixture)
	plain := newHandler(t, store, logshttp.Options{}, nil)
	prefixed := newHandler(t, store, logshttp.Options{Prefix: "/integrations/7/logs"}, nil)

	stripped := http.NewServeMux()
	stripped.Handle("/integrations/7/logs/", http.StripPrefix("/integrations/7/logs", plain))
	strippedSlash := http.NewServeMux()
	strippedSlash.Handle("/integrations/7/logs/", http.StripPrefix("/integrations/7/logs/", plain))
	withPrefix := http.NewServeMux()
	withPrefix.Handle("/integrations/7/logs/", prefixed)
	withPrefix.Handle("/integrations/7/logs", prefixed)

	mounts := []struct {
		name string
		h    http.Handler
	}{
		{"StripPrefix", stripped},
		{"StripPrefixWithSlash", strippedSlash},
		{"PrefixOption", withPrefix},
		{"PrefixOptionAlone", prefixed},
	}
	for _, m := range mounts {
		t.Run(m.name, func(t *testing.T) {
			for _, target := range []string{
				"/integrations/7/logs/",
				"/integrations/7/logs/assets/app.js",
				"/integrations/7/logs/assets/app.css",
				"/integrations/7/logs/api/entries?limit=2",
			} {
				if w := serve(m.h, request{target: target}); w.Code != 200 {
					t.Errorf("GET %s: status = %d, want 200 (%s)", target, w.Code, w.Body)
				}
			}
			// The mount point without its slash leads to the one with it.
			w := serve(m.h, request{target: "/integrations/7/logs?status=failed"})
			loc := w.Header().Get("Location")
			if w.Code/100 != 3 || !strings.HasSuffix(resolve("/integrations/7/logs", loc), "/integrations/7/logs/?status=failed") {
				t.Errorf("GET /integrations/7/logs: status %d, Location %q; want a redirect to /integrations/7/logs/?status=failed", w.Code, loc)
			}
			for _, target := range []string{"/integrations/8/logs/", "/elsewhere"} {
				if w := serve(m.h, request{target: target}); w.Code != 404 {
					t.Errorf("GET %s: status = %d, want 404", target, w.Code)
				}
			}
		})
	}

	t.Run("PrefixIsNotAPathPrefix", func(t *testing.T) {
		if w := serve(prefixed, request{target: "/integrations/7/logsx/"}); w.Code != 404 {
			t.Errorf("status = %d, want 404", w.Code)
		}
	})
}

// resolve returns the path ref resolves to from base, as a browser does.
func resolve(base, ref string) string {
	if strings.HasPrefix(ref, "/") {
		return ref
	}
	dir := base[:strings.LastIndexByte(base, '/')+1]
	return dir + strings.TrimPrefix(ref, "./")
}
