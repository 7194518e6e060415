package redact_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/redact"
)

func ExampleRedactor_String() {
	msg := "GET https://sync:s3cr3t@api.vendor.example/v2/devices: 401 (Authorization: Bearer 4f9a1c2e7d)"
	s, n := redact.Default().String(msg)
	fmt.Println(s)
	fmt.Println(n, "redacted")
	// Output:
	// GET https://sync:[REDACTED]@api.vendor.example/v2/devices: 401 (Authorization: Bearer [REDACTED])
	// 2 redacted
}

func ExampleRedactor_JSON() {
	payload := []byte(`{"message": "login failed for password=hunter2", "tokens_processed": 1200,
 "request": {"headers": {"X-Auth-Token": "t-9f2c", "Accept": "*/*"}}, "credentials": {"user": "app", "key": "k"}}`)
	out, n := redact.Default().JSON(payload)
	fmt.Println(string(out))
	fmt.Println(n, "redacted")
	// Output:
	// {"message": "login failed for password=[REDACTED]", "tokens_processed": 1200,
	//  "request": {"headers": {"X-Auth-Token": "[REDACTED]", "Accept": "*/*"}}, "credentials": "[REDACTED]"}
	// 3 redacted
}

func ExampleNew() {
	// The defaults, a key word of the host's own, and a pattern for its
	// vendor's keys; the AWS key ID pattern turned off.
	rules := redact.DefaultRules().Without(redact.PatternAWSKeyID)
	rules.Keys = append(rules.Keys, "pin")
	rules.Patterns = append(rules.Patterns, redact.Pattern{
		Name:   "vendor-key",
		Regexp: `vnd_live_(?P<secret>[a-z0-9]{16})`,
		Hints:  []string{"vnd_live_"},
	})
	r, err := redact.New(rules)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := r.String("device pin=1234 rejected key vnd_live_0123456789abcdef for AKIAIOSFODNN7EXAMPLE")
	fmt.Println(s)

	// A Redactor without rules redacts nothing.
	none, _ := redact.New(redact.Rules{})
	s, n := none.String("password=hunter2")
	fmt.Println(s, n)
	// Output:
	// device pin=[REDACTED] rejected key vnd_live_[REDACTED] for AKIAIOSFODNN7EXAMPLE
	// password=hunter2 0
}

func ExampleRedactor_SecretKey() {
	// Redact log/slog attributes by their key, and every string by the
	// text rules.
	r := redact.Default()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			switch {
			case a.Key == slog.TimeKey:
				return slog.Attr{}
			case r.SecretKey(a.Key):
				return slog.String(a.Key, redact.Marker)
			case a.Value.Kind() == slog.KindString:
				s, _ := r.String(a.Value.String())
				return slog.String(a.Key, s)
			}
			return a
		},
	}))
	logger.Info("fetch", "url", "https://sync:pw@api.example/v2", "api_token", "t-1", "tokens_processed", 12)
	// Output:
	// level=INFO msg=fetch url=https://sync:[REDACTED]@api.example/v2 api_token=[REDACTED] tokens_processed=12
}

// A row written by another system, redacted before it is shown or copied.
func ExampleRedactor_Entry() {
	e := runlog.Entry{
		ErrorSummary: "GET https://bot:hunter2@api.example.com/v1: 401",
		Metrics:      json.RawMessage(`{"api_token": "ghp_abc123", "pages": 3}`),
	}
	e, n := redact.Default().Entry(e)
	fmt.Println(e.ErrorSummary)
	fmt.Println(string(e.Metrics), n)
	// Output:
	// GET https://bot:[REDACTED]@api.example.com/v1: 401
	// {"api_token": "[REDACTED]", "pages": 3} 2
}
