package logshttp_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opsync/integrationlogs/runlog/logshttp"
)

func TestHandler_List(t *testing.T) {
	store, db := openStore(t)
	ids := seed(t, db, fixture)
	h := newHandler(t, store, logshttp.Options{}, nil)

	t.Run("FirstPage", func(t *testing.T) {
		var page listJSON
		decode(t, serve(h, request{target: "/api/entries"}), &page)
		if len(page.Entries) != fixtureRows || page.Next != "" || page.Prev != "" || page.Partial {
			t.Fatalf("got %d entries, next %q, prev %q, partial %v; want %d, none, none, false",
				len(page.Entries), page.Next, page.Prev, page.Partial, fixtureRows)
		}
		var runs []int64
		for _, e := range page.Entries {
			if len(runs) == 0 || runs[len(runs)-1] != e.RunID {
				runs = append(runs, e.RunID)
			}
		}
		if diff := cmp.Diff([]int64{104, 103, 102, 101}, runs); diff != "" {
			t.Errorf("runs, newest first (-want +got):\n%s", diff)
		}
	})

	t.Run("Entries", func(t *testing.T) {
		var page listJSON
		decode(t, serve(h, request{target: "/api/entries?run_id=103&stage=reconcile"}), &page)
		started := base.Add(3*time.Hour + 104*time.Second)
		want := []entryJSON{{
			ID: ids[15], RunID: 103, RunLabel: "#103 · apply / failed", Mode: "apply",
			RunStatus:  "failed",
			Stage:      badgeJSON{Value: "reconcile", Label: "reconcile", Tone: "primary"},
			Status:     badgeJSON{Value: "failed", Label: "failed", Tone: "danger"},
			Attempt:    1,
			StartedAt:  &started,
			FinishedAt: ptr(started.Add(time.Minute)),
			Details: detailsJSON{
				Text:      "Reconcile stopped: 3 upstream records matched more than one local device, and the device lock could not be taken (deadlo",
				Truncated: true,
				Metrics:   []metricJSON{{Key: "matched", Value: "1201"}, {Key: "ambiguous", Value: "3"}},
			},
		}}
		if diff := cmp.Diff(want, page.Entries); diff != "" {
			t.Errorf("entries mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("RunningAndQueued", func(t *testing.T) {
		var page listJSON
		decode(t, serve(h, request{target: "/api/entries?run_id=104"}), &page)
		if len(page.Entries) != 3 {
			t.Fatalf("got %d entries, want 3", len(page.Entries))
		}
		running, queued := page.Entries[1], page.Entries[2]
		if running.StartedAt == nil || running.FinishedAt != nil || running.Status.Tone != "warning" {
			t.Errorf("running row: started %v, finished %v, tone %q; want a start, no finish, warning", running.StartedAt, running.FinishedAt, running.Status.Tone)
		}
		if queued.StartedAt != nil || queued.FinishedAt != nil {
			t.Errorf("queued row: started %v, finished %v; want neither", queued.StartedAt, queued.FinishedAt)
		}
		if !slices.Equal(running.Details.Metrics, []metricJSON{}) || running.Details.Text != "" {
			t.Errorf("running row details = %+v, want empty", running.Details)
		}
	})

	t.Run("Retried", func(t *testing.T) {
		var page listJSON
		decode(t, serve(h, request{target: "/api/entries?run_id=103&stage=extract"}), &page)
		var got []bool
		for _, e := range page.Entries {
			got = append(got, e.Retried)
		}
		if diff := cmp.Diff([]bool{false, true}, got); diff != "" {
			t.Errorf("retried (-want +got):\n%s", diff)
		}
	})

	t.Run("PagesNextAndPrev", func(t *testing.T) {
		var all []int64
		var pages []listJSON
		target := "/api/entries?limit=5"
		for range 10 {
			var page listJSON
			decode(t, serve(h, request{target: target}), &page)
			pages = append(pages, page)
			for _, e := range page.Entries {
				all = append(all, e.ID)
			}
			if page.Next == "" {
				break
			}
			target = "/api/entries?limit=5&cursor=" + url.QueryEscape(page.Next)
		}
		if len(pages) != 4 || len(all) != fixtureRows {
			t.Fatalf("got %d pages, %d rows; want 4 pages, %d rows", len(pages), len(all), fixtureRows)
		}
		if pages[0].Prev != "" {
			t.Error("first page has a prev cursor")
		}
		var back listJSON
		decode(t, serve(h, request{target: "/api/entries?limit=5&cursor=" + url.QueryEscape(pages[1].Prev)}), &back)
		if diff := cmp.Diff(pages[0].Entries, back.Entries); diff != "" {
			t.Errorf("prev of page 2 differs from page 1 (-want +got):\n%s", diff)
		}
	})

	t.Run("Filters", func(t *testing.T) {
		tests := []struct {
			name  string
			query string
			want  int
		}{
			{"Status", "status=failed", 2},
			{"StatusRepeated", "status=failed&status=error", 3},
			{"Stage", "stage=extract&stage=apply", 6},
			{"Mode", "mode=preview", 5},
			{"Run", "run_id=101", 6},
			{"OtherInstanceRun", "run_id=201", 0},
			// Runs 101 to 104 start at 10:00, 11:00, 12:00 and 13:00.
			{"StartedAfter", "started_after=2026-11-20T12:00:00Z", 7},
			{"StartedBefore", "started_before=2026-11-20T11:00:00Z", 6},
			{"Window", "started_after=2026-11-20T10:00:00Z&started_before=2026-11-20T12:00:00%2B00:00", 11},
			{"OtherZone", "started_after=2026-11-20T14:00:00%2B01:00", 2},
			{"FractionalSeconds", "started_after=2026-11-20T13:00:01.5Z", 1},
			{"EmptyValuesIgnored", "stage=&status=&mode=&limit=&cursor=&run_id=", fixtureRows},
			{"UnknownParamsIgnored", "instance=2&foo=bar", fixtureRows},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var page listJSON
				decode(t, serve(h, request{target: "/api/entries?" + tt.query}), &page)
				if len(page.Entries) != tt.want {
					t.Errorf("%s: %d entries, want %d", tt.query, len(page.Entries), tt.want)
				}
			})
		}
	})

	t.Run("OtherInstance", func(t *testing.T) {
		var page listJSON
		decode(t, serve(h, request{target: "/api/entries", header: map[string]string{"X-Instance": "2"}}), &page)
		if len(page.Entries) != 2 || page.Entries[0].RunID != 201 {
			t.Errorf("instance 2: %d entries, want its own 2", len(page.Entries))
		}
	})

	t.Run("EmptyInstance", func(t *testing.T) {
		w := serve(h, request{target: "/api/entries", header: map[string]string{"X-Instance": "3"}})
		if got := strings.TrimSpace(w.Body.String()); got != `{"entries":[],"next":"","prev":"","partial":false}` {
			t.Errorf("empty page = %s", got)
		}
	})
}

// TestHandler_ListBadParams sends every parameter a bad value: each is a
// 400 naming the parameter, never a 500.
func TestHandler_ListBadParams(t *testing.T) {
	store, db := openStore(t)
	seed(t, db, fixture)
	h := newHandler(t, store, logshttp.Options{}, nil)

	// A cursor of another instance, and one of other filters.
	var other, filtered listJSON
	decode(t, serve(h, request{target: "/api/entries?limit=1", header: map[string]string{"X-Instance": "2"}}), &other)
	decode(t, serve(h, request{target: "/api/entries?limit=1&status=completed"}), &filtered)
	if other.Next == "" || filtered.Next == "" {
		t.Fatal("fixture gives no next cursor")
	}
	long := strings.Repeat("A", 10000)

	tests := []struct {
		name, query, param string
	}{
		{"CursorGarbage", "cursor=not-a-cursor", "cursor"},
		{"CursorTampered", "cursor=" + url.QueryEscape(flip(filtered.Next)), "cursor"},
		{"CursorLineBreak", "cursor=" + url.QueryEscape(filtered.Next[:4]+"\n"+filtered.Next[4:]), "cursor"},
		{"CursorTooLong", "cursor=" + long, "cursor"},
		{"CursorOfOtherInstance", "cursor=" + url.QueryEscape(other.Next), "cursor"},
		{"CursorOfOtherFilters", "cursor=" + url.QueryEscape(filtered.Next), "cursor"},
		{"CursorTwice", "cursor=a&cursor=b", "cursor"},
		{"LimitZero", "limit=0", "limit"},
		{"LimitNegative", "limit=-1", "limit"},
		{"LimitText", "limit=ten", "limit"},
		{"LimitFraction", "limit=1.5", "limit"},
		{"LimitHuge", "limit=99999999999999999999", "limit"},
		{"LimitTwice", "limit=1&limit=2", "limit"},
		{"RunIDZero", "run_id=0", "run_id"},
		{"RunIDNegative", "run_id=-4", "run_id"},
		{"RunIDText", "run_id=abc", "run_id"},
		{"RunIDOverflow", "run_id=9223372036854775808", "run_id"},
		{"RunIDTwice", "run_id=1&run_id=2", "run_id"},
		{"StageTooLong", "stage=" + strings.Repeat("s", 65), "stage"},
		{"StageOneTooLong", "stage=extract&stage=" + strings.Repeat("s", 65), "stage"},
		{"StageTooMany", strings.Repeat("stage=extract&", 17), "stage"},
		{"StageNUL", "stage=extract%00", "stage"},
		{"StageInvalidUTF8", "stage=%ff%fe", "stage"},
		{"StatusNUL", "status=fail%00ed", "status"},
		{"StatusInvalidUTF8", "status=%c0%af", "status"},
		{"StatusTooMany", strings.Repeat("status=failed&", 17), "status"},
		{"ModeTooLong", "mode=" + strings.Repeat("m", 65), "mode"},
		{"ModeTwice", "mode=apply&mode=preview", "mode"},
		{"StartedAfterDate", "started_after=2026-11-20", "started_after"},
		{"StartedAfterNoZone", "started_after=2026-11-20T09:00:00", "started_after"},
		{"StartedAfterUnix", "started_after=1763629200", "started_after"},
		{"StartedAfterTwice", "started_after=2026-11-20T09:00:00Z&started_after=2026-11-20T09:00:00Z", "started_after"},
		{"StartedBeforeGarbage", "started_before=yesterday", "started_before"},
		{"QuerySemicolon", "run_id=103;", "run_id"},
		{"QueryBadEscape", "run_id=103%", "run_id"},
		{"QueryBadEscapeOfStatus", "status=failed%", "status"},
		{"QueryBadEscapeHidesTwice", "limit=2&limit=%zz", "limit"},
		{"QueryBadKey", "run_id=1&%zz=1", "%zz"},
		{"WindowBackwards", "started_after=2026-11-21T00:00:00Z&started_before=2026-11-20T00:00:00Z", "started_before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(h, request{target: "/api/entries?" + tt.query})
			if w.Code != 400 {
				t.Fatalf("status = %d, want 400 (body %s)", w.Code, w.Body)
			}
			var e errorJSON
			decode(t, w, &e)
			if e.Param != tt.param || e.Error == "" {
				t.Errorf("error = %+v, want a message and param %q", e, tt.param)
			}
		})
	}

	t.Run("HostValuesAreFilters", func(t *testing.T) {
		for _, q := range []string{"status=done", "status=FAILED", "stage=weird", "stage=extract&stage=weird", "mode=dry-run"} {
			w := serve(h, request{target: "/api/entries?" + q})
			var page listJSON
			if decode(t, w, &page); w.Code != 200 {
				t.Errorf("%s: status = %d, want 200 (a host's own values filter)", q, w.Code)
			}
		}
	})

	t.Run("LimitAboveMaximumIsLowered", func(t *testing.T) {
		if w := serve(h, request{target: "/api/entries?limit=100000"}); w.Code != 200 {
			t.Errorf("status = %d, want 200", w.Code)
		}
	})
}

// flip changes one character in the middle of s.
func flip(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}
