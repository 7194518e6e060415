// Package logshttp serves the Logs tab over HTTP: an http.Handler that a
// host mounts under its own router, behind its own authentication, with a
// JSON API and a ready page (plain HTML, CSS and a little JavaScript,
// embedded; no build step, nothing loaded from elsewhere).
//
// # Mounting
//
// New returns the handler. Options.Instance says which integration instance
// a request may see: the host reads it from its session, the path or a
// header, and refuses with an error (403, or the status of a StatusError).
// The library never owns the server, the session or the login:
//
//	logs, err := logshttp.New(store, logshttp.Options{
//		Instance: func(r *http.Request) (int64, error) {
//			user, ok := session.User(r) // the host's own authentication
//			if !ok {
//				return 0, logshttp.StatusError(http.StatusUnauthorized, "sign in first")
//			}
//			id, err := strconv.ParseInt(r.PathValue("instance"), 10, 64)
//			if err != nil || !user.CanSee(id) {
//				return 0, errors.New("not this user's instance") // 403
//			}
//			return id, nil
//		},
//	})
//	if err != nil { ... }
//	mux.Handle("/integrations/{instance}/logs/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//		http.StripPrefix("/integrations/"+r.PathValue("instance")+"/logs", logs).ServeHTTP(w, r)
//	}))
//
// A fixed mount point is simpler: mux.Handle("/logs/", http.StripPrefix("/logs", logs)),
// or Options.Prefix "/logs" and mux.Handle("/logs/", logs). The page makes
// every link and request relative to where it is served, so it works under
// any mount point; the handler redirects the mount point without its
// trailing slash to the one with it.
//
// # Routes
//
// Relative to the mount point:
//
//	GET  /                  the page
//	GET  /assets/{name}     its script and style sheet
//	GET  /api/entries       a page of rows, newest runs first
//	GET  /api/entries/{id}  one row's full card
//	POST /api/purge         delete every stage row of the instance
//
// GET api/entries takes the query parameters cursor (the next or prev of an
// earlier page), limit (1 to 500; default 50), run_id, stage and status
// (repeatable: any of them), mode, started_after and started_before (RFC
// 3339; after inclusive, before exclusive). Parameters it does not know are
// ignored, so that a host's Instance may read its own from API clients; the
// page sends only the filters, and loads its script and style sheet with no
// query, so for the page an Instance reads the path, a header or the
// session. It answers
//
//	{"entries": [...], "next": "...", "prev": "...", "partial": false}
//
// where next and prev are empty at the ends, partial reports a page cut
// short by the store's bound on one page's work (more rows may match; next
// continues), and each entry is
//
//	{"id": 1001, "run_id": 42, "run_label": "#42 · apply / failed", "mode": "apply", "run_status": "failed",
//	 "stage": {"value": "reconcile", "label": "reconcile", "tone": "primary"},
//	 "status": {"value": "failed", "label": "failed", "tone": "danger"}, "attempt": 2, "retried": true,
//	 "started_at": "2026-11-20T09:00:00Z", "finished_at": null,
//	 "details": {"text": "...", "truncated": false, "metrics": [{"key": "matched", "value": "1201"}]}}
//
// with the badge of each stage and status (package badge), times in UTC (null when not
// started, and finish null while running), and the Details cell (package
// details: the start of the error summary and the first two metrics;
// metrics_error when they cannot be read). unreadable lists stored values
// that could not be read. What a row shows is redacted with redact.Default,
// as the card is (below): the summary's start, each metric's key and
// value, and the unreadable values.
//
// GET api/entries/{id} answers the full card (details.Expand): entry (as
// above, and each badge with its one-line meaning), summary (the whole error summary), metrics (every one, objects
// indented), exceptions (type, message, trace; the thrown one first),
// more_exceptions, reasons (the reason codes the metrics count, explained
// by Options.Catalog), raw (the row as stored) and copy (the card as one
// JSON document, details.Card.CopyJSON). The whole card is redacted with
// redact.Default first: rows written by other systems may hold secrets the
// recorder would have removed, and a card on screen ends up in screenshots
// and tickets. A row of another instance is 404.
//
// POST api/purge takes Content-Type application/json and the body
// {"confirm": true}, and answers {"deleted": N}. Without the confirmation it
// is 400; with another content type 415; with a body over 1 KiB 413; from
// another origin (Sec-Fetch-Site, Origin) 403. With Options.ReadOnly the
// route does not exist (404) and the page has no Purge Logs button.
//
// # Errors and headers
//
// Every error is JSON, {"error": "...", "param": "..."}, where param names
// the query parameter, path value or body field at fault. A host's own
// stage, status and mode values filter like the built-in ones. Bad input is 400
// (a malformed cursor or limit, a stage, status or mode that is not UTF-8
// text of at most 64 bytes, a parameter given twice, a time that is not
// RFC 3339), an unknown path 404,
// a wrong method 405 with Allow. Store failures are 500 with a generic
// message, the error going to Options.Logger; a request the client
// cancelled gets no answer and no error log.
//
// Every response sets Content-Type, Cache-Control: no-store,
// X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer,
// Cross-Origin-Resource-Policy: same-origin and a Content-Security-Policy
// that allows scripts and styles from the handler alone (no inline script,
// handler or style) and requests to its origin alone. JSON escapes <, > and
// &, and the page inserts every value as text, never as markup.
//
// # The page
//
// The table has the columns Run, Stage, Status, Attempt, Started, Finished
// and Details; badges are coloured by tone; times are shown in the viewer's
// time zone, the UTC instant on hover. View full opens the card in a dialog:
// the summary, the metrics as a key/value grid, the decision reasons, the
// exception chain with traces, the raw record in a collapsible section and
// a Copy button for the JSON. Previous and Next page by cursor; Refresh
// reloads the page; Purge Logs asks "Purge integration logs? This will
// permanently remove all stage log entries." first. The page passes the
// filters of its own query string to the API, so a host can link to
// "logs/?status=failed&run_id=42". It works with the keyboard alone (Esc
// closes a dialog) and on screens 375 pixels wide, where rows stack.
package logshttp
