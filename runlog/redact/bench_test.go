package redact_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/opsync/integrationlogs/runlog/redact"
)

// errorPayload returns an error payload of about size bytes as a failed
// apply stage stores it: the thrown error with a Go stack trace, the
// request and response it came from (an Authorization header, a URL with a
// password, a cookie), five previous errors with traces, and the devices
// the batch held, with their messages. It holds 5 secrets.
func errorPayload(size int) []byte {
	frames := func(n, seed int) string {
		var b strings.Builder
		b.WriteString("goroutine 41 [running]:\n")
		for i := range n {
			fmt.Fprintf(&b, "github.com/opsync/inventory-sync/internal/apply.(*Batch).step%d(0xc000%04x, {0x1a2b3c, 0x%x})\n\t/build/internal/apply/batch.go:%d +0x%x\n", i, seed+i, 40+i, 100+i*7, 0x1d+i)
		}
		return b.String()
	}
	str := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	var b strings.Builder
	b.WriteString(`{"type": "*vendorapi.Error", "message": ` + str("POST https://api.vendor.example/v2/devices/batch: 502 Bad Gateway after 3 retries") + `, "trace": ` + str(frames(40, 1)) + ",\n")
	b.WriteString(`"request": {"method": "POST", "url": "https://sync:Xk9-pw-2026@api.vendor.example/v2/devices/batch?page=3&per_page=500", "headers": {"Authorization": "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeW5jIiwiZXhwIjoxNzk0MDAwMDAwfQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg", "Content-Type": "application/json", "X-Request-Id": "7f1c2e9a-33b1-4c5e-9d2a-0b8e6f7a1c3d", "User-Agent": "inventory-sync/1.8.2 (+https://opsync.example/bot)"}, "body_bytes": 48213, "elapsed_ms": 30012.5},` + "\n")
	b.WriteString(`"response": {"status": 502, "headers": {"Content-Type": "text/html; charset=utf-8", "Set-Cookie": "sid=4f9a1c2e7d3b; Path=/; HttpOnly", "Retry-After": "30"}, "body": ` + str("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body></html>") + "},\n")
	b.WriteString(`"previous": [`)
	for i, msg := range []string{
		"apply batch 24 of 24: write devices: ERROR: deadlock detected (SQLSTATE 40P01)",
		"git fetch https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/opsync/inventory.git: exit status 128",
		`ERROR: duplicate key value violates unique constraint "devices_serial_key" (SQLSTATE 23505)`,
		"vendor said: {\"error\": \"rate_limited\", \"retry_in\": 30, \"detail\": \"client exceeded 600 requests per minute\"}",
		"context deadline exceeded while connecting with password=Tr0ub4dor&3 to the staging replica",
	} {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`{"type": "*fmt.wrapError", "message": ` + str(msg) + `, "trace": ` + str(frames(12, 100*i)) + "}")
	}
	b.WriteString("],\n" + `"devices": [`)
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"serial": "SN-%06d", "site": "Berlin-%d", "model": "AP-520 rev %d", "attempts": %d, "last_seen": "2026-11-20T08:%02d:%02dZ", "error": %s}`,
			i, i%7, i%3, 1+i%4, i%60, (i*7)%60, str(fmt.Sprintf("device SN-%06d: field \"firmware\" is %d.%d.%d, expected >= 4.2.0; skipped", i, 3, i%10, i%5)))
	}
	b.WriteString("],\n" + `"previous_omitted": 2}`)
	return []byte(b.String())
}

// sink keeps results alive so the compiler cannot drop the work.
var sink []byte

// BenchmarkRedact redacts a 64 KiB error payload beside json.Valid on the
// same bytes, the cost of merely reading it. Run with
//
//	go test ./runlog/redact -run '^$' -bench 'Redact/(JSON|baseline)' -benchtime 300x -count 12
func BenchmarkRedact(b *testing.B) {
	doc := errorPayload(64 << 10)
	if !json.Valid(doc) {
		b.Fatal("the payload is not valid JSON")
	}
	clean, _ := redact.Default().JSON(doc) // the same payload without secrets
	b.Run("JSON", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			out, n := redact.Default().JSON(doc)
			if n != 5 {
				b.Fatalf("redacted %d values, want 5", n)
			}
			sink = out
		}
	})
	b.Run("JSON/clean", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(clean)))
		for b.Loop() {
			sink, _ = redact.Default().JSON(clean)
		}
	})
	b.Run("baseline=json.Valid", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if !json.Valid(doc) {
				b.Fatal("invalid")
			}
		}
	})
	// Text made to be slow: 64 KiB of private key headers with no END
	// line, each of which the key pattern must give up on.
	hostile := strings.Repeat("-----BEGIN PRIVATE KEY-----!", len(doc)/28)
	b.Run("String/cut-keys", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(hostile)))
		for b.Loop() {
			s, _ := redact.Default().String(hostile)
			sink = []byte(s[:1])
		}
	})
	text := string(doc)
	b.Run("String", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			s, _ := redact.Default().String(text)
			sink = []byte(s[:1])
		}
	})
}
