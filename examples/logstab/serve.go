package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/opsync/integrationlogs/examples/internal/demodata"
	"github.com/opsync/integrationlogs/runlog/logshttp"
)

// The demo's one user, and the instances it may see: its own, not the
// neighbour's.
const (
	demoUser     = "demo"
	demoPassword = "demo"
)

var demoInstances = map[string][]int64{demoUser: {demodata.InstanceID}}

// serveHTTP writes the demo history to the database at path (a temporary
// one when empty) and serves its Logs tab on addr until ctx ends, the way a
// host mounts logshttp: under its own router, behind its own sign-in.
// listening, when not nil, is told the address.
func serveHTTP(ctx context.Context, path, addr string, stderr io.Writer, listening func(addr string)) error {
	_, store, done, err := demodata.Open(ctx, path)
	if err != nil {
		return err
	}
	defer done()

	log := slog.New(slog.NewTextHandler(stderr, nil))
	logs, err := logshttp.New(store, logshttp.Options{
		Logger: log,
		// The instance is in the path; the signed-in user must own it.
		Instance: func(r *http.Request) (int64, error) {
			id, err := strconv.ParseInt(r.PathValue("instance"), 10, 64)
			if err != nil {
				return 0, logshttp.StatusError(http.StatusNotFound, "no such integration")
			}
			if !slices.Contains(demoInstances[userOf(r)], id) {
				return 0, errors.New("not this user's integration") // 403
			}
			return id, nil
		},
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/integrations/{instance}/logs/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.StripPrefix("/integrations/"+r.PathValue("instance")+"/logs", logs).ServeHTTP(w, r)
	}))
	mux.Handle("GET /{$}", http.RedirectHandler(fmt.Sprintf("/integrations/%d/logs/", demodata.InstanceID), http.StatusFound))

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: signIn(mux), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stderr, "Logs tab of instance %d on http://%s/integrations/%d/logs/ (user %q, password %q); Ctrl+C stops it\n",
		demodata.InstanceID, ln.Addr(), demodata.InstanceID, demoUser, demoPassword)
	if listening != nil {
		listening(ln.Addr().String())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// userKey is the context key of the signed-in user.
type userKey struct{}

// userOf returns the user signIn let through.
func userOf(r *http.Request) string {
	user, _ := r.Context().Value(userKey{}).(string)
	return user
}

// signIn is the host's authentication, here HTTP Basic with the demo
// user: the Logs tab never sees a request that did not sign in.
func signIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, password, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(demoUser)) != 1 ||
			subtle.ConstantTimeCompare([]byte(password), []byte(demoPassword)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="logstab demo", charset="UTF-8"`)
			http.Error(w, "sign in as demo / demo", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, user)))
	})
}
