package logshttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/logshttp"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// TestHandler_ConcurrentLists sends 200 list requests at once over loopback
// while a pipeline records rows through the store's recorder, and wants every one answered 200 with a
// well-formed page.
func TestHandler_ConcurrentLists(t *testing.T) {
	const requests = 200
	store, db := openStore(t)
	db.SetMaxOpenConns(8) // SQLite readers in WAL mode, and the writer
	seed(t, db, fixture)
	log := new(logBuffer)
	srv := httptest.NewServer(newHandler(t, store, logshttp.Options{}, log))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	// The writer records a run through the store's recorder, stage after
	// stage, until the readers are done.
	stop := make(chan struct{})
	var written atomic.Int64
	var writerErr error
	var writer sync.WaitGroup
	writer.Go(func() {
		run, err := store.StartRun(ctx, instanceID, runlog.ModeApply, sqlstore.RunOptions{})
		if err != nil {
			writerErr = err
			return
		}
		stages := runlog.Pipeline(runlog.ModeApply)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			rec, err := store.BeginStage(ctx, run.ID, stages[i%len(stages)])
			if err == nil {
				err = rec.Complete(ctx, map[string]int{"page": i})
			}
			if err != nil {
				writerErr = err
				return
			}
			written.Add(1)
		}
	})

	client := &http.Client{Timeout: 30 * time.Second}
	var failures atomic.Int64
	var firstFailure sync.Once
	var readers sync.WaitGroup
	start := make(chan struct{})
	for i := range requests {
		readers.Go(func() {
			<-start
			target := srv.URL + "/api/entries?limit=10"
			if i%2 == 1 {
				target += "&status=running&status=completed"
			}
			if err := getPage(ctx, client, target); err != nil {
				failures.Add(1)
				firstFailure.Do(func() { t.Errorf("request %d: %v", i, err) })
			}
		})
	}
	close(start)
	readers.Wait()
	close(stop)
	writer.Wait()

	if writerErr != nil {
		t.Errorf("writer: %v", writerErr)
	}
	if n := failures.Load(); n != 0 {
		t.Errorf("%d of %d requests failed", n, requests)
	}
	if recs := log.records(t, 0); len(recs) != 0 {
		t.Errorf("the handler logged %v", recs)
	}
	t.Logf("%d requests, %d rows written meanwhile", requests, written.Load())
}

// getPage gets a list page and checks that it is one.
func getPage(ctx context.Context, client *http.Client, target string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	var page listJSON
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		return err
	}
	if len(page.Entries) != 10 || page.Next == "" {
		return fmt.Errorf("%d entries, next %q; want a full page and more", len(page.Entries), page.Next)
	}
	return nil
}
