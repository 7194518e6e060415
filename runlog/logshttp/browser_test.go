package logshttp_test

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/logshttp"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

var screenshot = flag.String("screenshot", "", "also write TestBrowser's screenshot of the page to this PNG file (as docs/logstab.png is made)")

// chromiumEnv names the browser the tests must use; CI sets it, and then
// the tests fail rather than skip when it does not start.
const chromiumEnv = "INTEGRATIONLOGS_CHROMIUM"

// chromium returns the path of a Chromium or Chrome binary, or "".
func chromium() string {
	if p := os.Getenv(chromiumEnv); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts a headless browser with a fresh profile for the
// length of t, or skips t when there is none.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Skip("no chromium found (" + chromiumEnv + ", /usr/bin/chromium, or chromium, chromium-browser or google-chrome on PATH): skipping the browser tests; apt-get install -y chromium")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

// site is the server the browser tests open: the handler mounted as a host
// would, at /integrations/{instance}/logs/ behind http.StripPrefix, and a
// read-only one at /readonly/ with Options.Prefix.
type site struct {
	url   string
	store *sqlstore.Store
	db    *sqlx.DB
	ids   []int64
	xssID int64
}

func newSite(t *testing.T) *site {
	t.Helper()
	store, db := openStore(t)
	s := &site{store: store, db: db, ids: seed(t, db, fixture)}
	s.xssID = seedXSS(t, db, 3, 900)
	pathInstance := func(r *http.Request) (int64, error) {
		id, err := strconv.ParseInt(r.PathValue("instance"), 10, 64)
		if err != nil || id < 1 || id > 3 {
			return 0, logshttp.StatusError(http.StatusNotFound, "no such integration")
		}
		return id, nil
	}
	logs := newHandler(t, store, logshttp.Options{Instance: pathInstance}, nil)
	readOnly := newHandler(t, store, logshttp.Options{ReadOnly: true, Prefix: "/readonly"}, nil)
	mux := http.NewServeMux()
	mux.Handle("/integrations/{instance}/logs/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.StripPrefix("/integrations/"+r.PathValue("instance")+"/logs", logs).ServeHTTP(w, r)
	}))
	mux.Handle("/readonly/", readOnly)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// watch is run in every page before its own scripts: it records errors and
// Content-Security-Policy violations, which no page may have.
const watch = `
window.__problems = [];
addEventListener('error', (e) => __problems.push('error: ' + e.message));
addEventListener('unhandledrejection', (e) => __problems.push('rejection: ' + e.reason));
document.addEventListener('securitypolicyviolation', (e) => __problems.push('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));
`

// newTab opens a tab in the Asia/Tokyo time zone and the en-US locale,
// focused, with clipboard access for the site's origin, and checks when t
// ends that its pages reported no problem.
func newTab(t *testing.T, browserCtx context.Context, s *site) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Tokyo"}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: "en-US"}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
	if err != nil {
		t.Fatalf("set up tab: %v", err)
	}
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(tab, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: s.url,
		}); err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 30*time.Second)
	t.Cleanup(cancelTimeout)
	t.Cleanup(func() {
		if t.Failed() {
			return
		}
		problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__problems || []`))
		if err != nil {
			t.Errorf("read the page's problems: %v", err)
		} else if len(problems) > 0 {
			t.Errorf("the page reported problems:\n%s", strings.Join(problems, "\n"))
		}
	})
	return ctx
}

// loaded waits for the table to finish loading.
var loaded = chromedp.Steps(
	chromedp.Poll[chromedp.Void](`document.getElementById('logs') && document.getElementById('logs').getAttribute('aria-busy') === 'false'`,
		chromedp.WithPollingTimeout(10*time.Second)),
)

// open navigates to u and waits for the table.
func open(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), loaded); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// do runs steps, failing t on error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitFor waits until a JavaScript expression is true.
func waitFor(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second))
}

// rowIDs returns the data-id of every row shown.
const rowIDs = `[...document.querySelectorAll('#rows tr')].map((tr) => Number(tr.dataset.id))`

// TestBrowser drives the page in headless Chromium.
func TestBrowser(t *testing.T) {
	browserCtx := startBrowser(t)
	s := newSite(t)
	logsURL := s.url + "/integrations/1/logs/"

	t.Run("Table", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		open(t, ctx, logsURL)
		headers := eval[[]string](t, ctx, `[...document.querySelectorAll('#logs thead th')].map((th) => th.textContent.trim())`)
		var want []string
		for _, c := range runlog.Columns() {
			want = append(want, string(c))
		}
		if diff := cmp.Diff(want, headers); diff != "" {
			t.Errorf("columns (-want +got):\n%s", diff)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('#rows tr').length`); n != fixtureRows {
			t.Errorf("%d rows shown, want %d", n, fixtureRows)
		}

		// Every badge has the tone of its value, and the tones look different.
		type shown struct{ Value, Tone, Label, Background string }
		badges := eval[[]shown](t, ctx, `[...document.querySelectorAll('#rows .badge')].map((b) => ({
			Value: b.dataset.value, Tone: b.dataset.tone, Label: b.textContent,
			Background: getComputedStyle(b).backgroundColor + ' ' + b.className}))`)
		tones := map[string]string{
			"validate_setup": "info", "extract": "primary", "canonicalize": "primary", "reconcile": "primary", "decide": "primary",
			"apply": "secondary", "preview_results": "secondary",
			"completed": "success", "preview_ready": "success", "running": "warning", "queued": "warning", "failed": "danger", "error": "danger",
		}
		backgrounds := map[string]string{}
		for _, b := range badges {
			if tones[b.Value] != b.Tone || !strings.Contains(b.Background, "tone-"+b.Tone) {
				t.Errorf("badge %q has tone %q (%s), want %q", b.Value, b.Tone, b.Background, tones[b.Value])
			}
			backgrounds[b.Tone] = strings.Fields(b.Background)[0] + strings.Join(strings.Fields(b.Background)[1:3], "")
		}
		if len(backgrounds) != 6 {
			t.Errorf("tones shown %v, want info, primary, secondary, success, warning and danger", backgrounds)
		}
		seen := map[string]string{}
		for tone, bg := range backgrounds {
			if other, dup := seen[bg]; dup {
				t.Errorf("tones %s and %s share the background %s", tone, other, bg)
			}
			seen[bg] = tone
		}
		if got := eval[string](t, ctx, `document.querySelector('#rows tr[data-id="`+itoa(s.ids[17])+`"] .badge[data-tone="warning"]').textContent`); got != "running" {
			t.Errorf("running row's status badge reads %q", got)
		}

		// Times in the viewer's zone (Tokyo, UTC+9), the UTC instant on hover.
		type when struct{ Text, Title string }
		started := eval[when](t, ctx, `(() => { const e = document.querySelector('#rows tr[data-id="`+itoa(s.ids[17])+`"] td.when time');
			return {Text: e.textContent, Title: e.title}; })()`)
		if !strings.Contains(started.Text, "10:00:02 PM") || started.Title != "UTC 2026-11-20T13:00:02Z" {
			t.Errorf("running row's start shows %q, title %q; want 10:00:02 PM Tokyo time and UTC 2026-11-20T13:00:02Z", started.Text, started.Title)
		}
		if got := eval[string](t, ctx, `document.querySelector('#rows tr[data-id="`+itoa(s.ids[17])+`"] td.when:nth-of-type(6)').textContent`); got != "—" {
			t.Errorf("running row's finish shows %q, want a dash", got)
		}

		// The Details cell: the summary preview, two metrics, View full.
		cell := eval[string](t, ctx, `document.querySelector('#rows tr[data-id="`+itoa(s.ids[15])+`"] .details').innerText`)
		for _, want := range []string{"Reconcile stopped: 3 upstream records", "(deadlo…", "matched: 1201", "ambiguous: 3", "View full"} {
			if !strings.Contains(cell, want) {
				t.Errorf("Details cell %q lacks %q", cell, want)
			}
		}
		if strings.Contains(cell, "unmatched") {
			t.Errorf("Details cell %q shows a third metric", cell)
		}

		if *screenshot != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		saveScreenshot(t, ctx, "table.png")
	})

	t.Run("Paging", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		open(t, ctx, logsURL+"?limit=5")
		first := eval[[]int64](t, ctx, rowIDs)
		if len(first) != 5 || !eval[bool](t, ctx, `document.getElementById('prev').disabled`) || eval[bool](t, ctx, `document.getElementById('next').disabled`) {
			t.Fatalf("first page: rows %v, want 5, Prev disabled and Next enabled", first)
		}
		var pages [][]int64
		for range 3 {
			do(t, ctx, "Next", chromedp.Click(chromedp.ID("next")), loaded)
			pages = append(pages, eval[[]int64](t, ctx, rowIDs))
		}
		all := slices.Concat(append([][]int64{first}, pages...)...)
		if len(all) != fixtureRows || len(pages[2]) != 4 || !eval[bool](t, ctx, `document.getElementById('next').disabled`) {
			t.Errorf("pages %v %v: want %d rows, 4 on the last page and Next disabled there", first, pages, fixtureRows)
		}
		sorted := slices.Clone(all)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != fixtureRows {
			t.Errorf("pages repeat rows: %v", all)
		}
		do(t, ctx, "Prev", chromedp.Click(chromedp.ID("prev")), loaded)
		if got := eval[[]int64](t, ctx, rowIDs); !slices.Equal(got, pages[1]) {
			t.Errorf("Prev from the last page shows %v, want %v", got, pages[1])
		}
		do(t, ctx, "Prev twice", chromedp.Click(chromedp.ID("prev")), loaded, chromedp.Click(chromedp.ID("prev")), loaded)
		if got := eval[[]int64](t, ctx, rowIDs); !slices.Equal(got, first) || !eval[bool](t, ctx, `document.getElementById('prev').disabled`) {
			t.Errorf("back on the first page: %v, want %v and Prev disabled", got, first)
		}
		do(t, ctx, "Refresh", chromedp.Click(chromedp.ID("refresh")), loaded)
		if got := eval[[]int64](t, ctx, rowIDs); !slices.Equal(got, first) {
			t.Errorf("Refresh shows %v, want %v", got, first)
		}
		if label := eval[string](t, ctx, `document.getElementById('refresh').getAttribute('aria-label')`); label != "Refresh" {
			t.Errorf("Refresh button's accessible name = %q", label)
		}
	})

	t.Run("Card", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		open(t, ctx, logsURL)
		do(t, ctx, "View full", openCard(s.ids[15]))
		if got := eval[string](t, ctx, `document.getElementById('card-title').textContent`); got != "#103 · apply / failed · reconcile" {
			t.Errorf("card title = %q", got)
		}
		if got := eval[string](t, ctx, `document.getElementById('card-summary').textContent`); got != reconcileSummary {
			t.Errorf("card summary = %q, want the whole summary", got)
		}
		metrics := eval[[]string](t, ctx, `[...document.querySelectorAll('#card-metrics dt, #card-metrics dd')].map((e) => e.textContent)`)
		wantMetrics := []string{"matched", "1201", "ambiguous", "3", "unmatched", "96", "conflicts", "{\n  \"serials\": [\n    \"A1\",\n    \"B2\"\n  ]\n}"}
		if diff := cmp.Diff(wantMetrics, metrics); diff != "" {
			t.Errorf("card metrics (-want +got):\n%s", diff)
		}
		if !eval[bool](t, ctx, `document.querySelector('#card-metrics dd:nth-of-type(4) pre') !== null`) {
			t.Error("the object metric is not pretty-printed in a <pre>")
		}
		chain := eval[[]string](t, ctx, `[...document.querySelectorAll('#card-exceptions > li')].map((li) => li.innerText)`)
		if len(chain) != 3 || !strings.HasPrefix(chain[0], "ReconcileError: reconcile: 3 records") || !strings.Contains(chain[0], "matcher.go:88") ||
			!strings.HasPrefix(chain[1], "caused by *pgconn.PgError") || !strings.Contains(chain[1], "devices.go:52") {
			t.Errorf("exceptions = %q, want the chain of three with traces", chain)
		}
		if eval[bool](t, ctx, `document.getElementById('card-raw').open`) {
			t.Error("the raw record is open before it is asked for")
		}
		do(t, ctx, "open the raw record", chromedp.Click(chromedp.CSS("#card-raw summary")))
		raw := eval[string](t, ctx, `document.getElementById('card-raw').innerText`)
		for _, want := range []string{"error_payload", `"type":"ReconcileError"`, "metrics_json", "instance_id"} {
			if !strings.Contains(raw, want) {
				t.Errorf("raw record lacks %q:\n%s", want, raw)
			}
		}
		if !eval[bool](t, ctx, `document.getElementById('card-raw').open`) {
			t.Error("the raw record does not open")
		}
		saveScreenshot(t, ctx, "card.png")
		do(t, ctx, "Esc", chromedp.KeyEvent(kb.Escape), waitFor(`!document.getElementById('card').open`))

		// The decide row explains its reason codes.
		do(t, ctx, "View full of the decide row", openCard(s.ids[10]))
		reasons := eval[string](t, ctx, `document.getElementById('card-reasons').innerText`)
		if !strings.Contains(reasons, "LINK_FOUND_BY_EXTERNAL_ID × 1185: update — ") || !strings.Contains(reasons, "HOST_ARCHIVED_SKIP × 7: A reason code this catalogue does not explain.") {
			t.Errorf("reasons = %q", reasons)
		}
		do(t, ctx, "Close", chromedp.Click(chromedp.ID("card-done")), waitFor(`!document.getElementById('card').open`))
	})

	t.Run("Copy", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		open(t, ctx, logsURL)
		var want cardJSON
		decode(t, serveURL(t, s.url+"/integrations/1/logs/api/entries/"+itoa(s.ids[15])), &want)

		do(t, ctx, "View full and Copy", openCard(s.ids[15]), chromedp.Click(chromedp.ID("copy")),
			waitFor(`document.getElementById('copy').textContent === 'Copied'`))
		if got := eval[string](t, ctx, `navigator.clipboard.readText()`); got != want.Copy {
			t.Errorf("clipboard holds %q, want the card's copy JSON %q", got, want.Copy)
		}
		if got := eval[string](t, ctx, `document.getElementById('copy-status').textContent`); got != "Copied to the clipboard." {
			t.Errorf("copy status = %q", got)
		}

		// Without the clipboard API the page selects a textarea and copies.
		do(t, ctx, "Copy the old way",
			chromedp.Evaluate[chromedp.Void](`window.__clipboard = navigator.clipboard;
				Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
				__clipboard.writeText('before')`, chromedp.EvalAwaitPromise),
			chromedp.KeyEvent(kb.Escape), waitFor(`!document.getElementById('card').open`),
			openCard(s.ids[13]), chromedp.Click(chromedp.ID("copy")),
			waitFor(`document.getElementById('copy').textContent === 'Copied'`))
		decode(t, serveURL(t, s.url+"/integrations/1/logs/api/entries/"+itoa(s.ids[13])), &want)
		if got := eval[string](t, ctx, `__clipboard.readText()`); got != want.Copy {
			t.Errorf("clipboard holds %q after the fallback, want %q", got, want.Copy)
		}
		if eval[bool](t, ctx, `document.activeElement.id === 'copy' && document.getElementById('copy-fallback').hidden`) != true {
			t.Error("after the fallback copy, focus is not back on Copy or the textarea still shows")
		}
	})

	t.Run("Keyboard", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		open(t, ctx, logsURL)
		order := eval[[]string](t, ctx, `[...document.querySelectorAll('button, a[href], summary')].filter((e) => !e.disabled && e.offsetParent !== null).slice(0, 3).map((e) => e.id || e.textContent)`)
		if diff := cmp.Diff([]string{"refresh", "purge", "View full"}, order); diff != "" {
			t.Errorf("first focusable controls (-want +got):\n%s", diff)
		}
		sel := `#rows tr[data-id="` + itoa(s.ids[15]) + `"] button.view`
		do(t, ctx, "Enter on View full", chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(kb.Enter),
			waitFor(`document.getElementById('card').open && document.getElementById('card-summary').textContent !== ''`))
		if outline := eval[string](t, ctx, `(() => { document.getElementById('copy').focus({focusVisible: true}); return getComputedStyle(document.activeElement).outlineStyle; })()`); outline == "none" {
			t.Error("a focused button shows no outline")
		}
		do(t, ctx, "Esc", chromedp.KeyEvent(kb.Escape), waitFor(`!document.getElementById('card').open`))
		if !eval[bool](t, ctx, `document.activeElement === document.querySelector('`+sel+`')`) {
			t.Error("closing the card does not return focus to View full")
		}
	})

	t.Run("Narrow", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		do(t, ctx, "375 px wide", chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		open(t, ctx, logsURL)
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
			t.Errorf("page is %d px wide at 375 px", w)
		}
		if d := eval[string](t, ctx, `getComputedStyle(document.querySelector('#rows td')).display`); d == "table-cell" {
			t.Error("rows do not stack at 375 px")
		}
		if label := eval[string](t, ctx, `getComputedStyle(document.querySelector('#rows td.stage'), '::before').content`); label != `"Stage"` {
			t.Errorf("stacked cell label = %s, want \"Stage\"", label)
		}
		do(t, ctx, "View full", openCard(s.ids[15]))
		if w := eval[int](t, ctx, `Math.ceil(document.getElementById('card').getBoundingClientRect().right)`); w > 375 {
			t.Errorf("card reaches %d px at 375 px", w)
		}
		saveScreenshot(t, ctx, "narrow.png")
	})

	t.Run("XSS", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		open(t, ctx, s.url+"/integrations/3/logs/")
		do(t, ctx, "View full", openCard(s.xssID))
		type result struct {
			Ran      bool
			Elements int
			Texts    []string
		}
		got := eval[result](t, ctx, `({
			Ran: window.__xss !== undefined,
			Elements: document.querySelectorAll('#rows img, #rows script, #card img, #card script').length,
			Texts: [
				document.querySelector('#rows .badge').textContent,
				document.querySelector('#rows .summary').textContent,
				document.querySelector('#rows .metrics li').textContent,
				document.getElementById('card-summary').textContent,
				document.querySelector('#card-metrics dt').textContent,
				document.querySelector('#card-metrics dd').textContent,
				document.querySelector('#card-exceptions .type').textContent,
				document.querySelector('#card-exceptions .message').textContent,
				document.querySelector('#card-exceptions .trace').textContent,
				document.querySelectorAll('#rows .badge')[1].textContent,
				document.querySelector('#rows td.run').textContent,
			]})`)
		want := result{Texts: []string{
			"stage" + xss, "summary" + xss, "k" + xss + ": v" + xss,
			"summary" + xss, "k" + xss, "v" + xss, "T" + xss, "M" + xss, "F" + xss,
			"status" + xss, "#900 · m" + xss + " / s" + xss,
		}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("stored markup must show as text, and nothing run (-want +got):\n%s", diff)
		}
	})

	t.Run("ReadOnly", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		open(t, ctx, s.url+"/readonly/")
		if n := eval[int](t, ctx, `document.querySelectorAll('#rows tr').length`); n != fixtureRows {
			t.Errorf("read-only page shows %d rows, want %d", n, fixtureRows)
		}
		if eval[bool](t, ctx, `document.getElementById('purge') !== null || document.body.innerText.includes('Purge')`) {
			t.Error("read-only page offers a purge")
		}
	})

	// Last, as it empties instance 1.
	t.Run("Purge", func(t *testing.T) {
		ctx := newTab(t, browserCtx, s)
		open(t, ctx, logsURL)
		const question = "Purge integration logs? This will permanently remove all stage log entries."
		do(t, ctx, "Purge Logs", chromedp.Click(chromedp.ID("purge")), waitFor(`document.getElementById('purge-dialog').open`))
		if got := eval[string](t, ctx, `document.getElementById('purge-text').textContent`); got != question {
			t.Errorf("confirmation reads %q, want %q", got, question)
		}
		saveScreenshot(t, ctx, "purge-dialog.png")
		do(t, ctx, "Cancel", chromedp.Click(chromedp.ID("purge-cancel")), waitFor(`!document.getElementById('purge-dialog').open`))
		if n := countStages(t, s.db, instanceID); n != fixtureRows {
			t.Fatalf("Cancel left %d rows of %d", n, fixtureRows)
		}
		do(t, ctx, "Esc", chromedp.Click(chromedp.ID("purge")), waitFor(`document.getElementById('purge-dialog').open`),
			chromedp.KeyEvent(kb.Escape), waitFor(`!document.getElementById('purge-dialog').open`))
		if n := countStages(t, s.db, instanceID); n != fixtureRows {
			t.Fatalf("Esc left %d rows of %d", n, fixtureRows)
		}
		do(t, ctx, "Purge", chromedp.Click(chromedp.ID("purge")), waitFor(`document.getElementById('purge-dialog').open`),
			chromedp.Click(chromedp.ID("purge-confirm")), waitFor(`document.getElementById('status').textContent.startsWith('Purged')`), loaded)
		if got := eval[string](t, ctx, `document.getElementById('status').textContent`); got != "Purged 19 entries." {
			t.Errorf("status after the purge = %q", got)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('#rows tr').length`); n != 0 || !eval[bool](t, ctx, `!document.getElementById('empty').hidden`) {
			t.Errorf("after the purge the table shows %d rows, want none and the empty note", n)
		}
		if n := countStages(t, s.db, instanceID); n != 0 {
			t.Errorf("instance %d keeps %d stage rows after the purge", instanceID, n)
		}
		if n := countStages(t, s.db, otherID); n != 2 {
			t.Errorf("instance %d has %d stage rows after another's purge, want 2", otherID, n)
		}
		open(t, ctx, s.url+"/integrations/2/logs/")
		if n := eval[int](t, ctx, `document.querySelectorAll('#rows tr').length`); n != 2 {
			t.Errorf("instance 2's page shows %d rows after instance 1's purge, want 2", n)
		}
	})
}

// openCard clicks View full of row id and waits for its card.
func openCard(id int64) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Click(chromedp.CSS(`#rows tr[data-id="`+itoa(id)+`"] button.view`)),
		waitFor(`document.getElementById('card').open && document.getElementById('card-title').textContent.length > 0 && document.getElementById('card-facts').children.length > 0`),
	)
}

// serveURL gets u from the test server.
func serveURL(t *testing.T, u string) *httptest.ResponseRecorder {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	w := httptest.NewRecorder()
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	if _, err := w.Body.ReadFrom(res.Body); err != nil {
		t.Fatal(err)
	}
	return w
}

// saveScreenshot keeps a screenshot of the viewport among t's artifacts
// (go test -artifacts keeps them).
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	path := filepath.Join(t.ArtifactDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Error(err)
		return
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}
