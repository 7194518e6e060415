package redact

import (
	"strings"
	"testing"
)

// judgeSlowly is judge without its quick test of the last word.
func (r *Redactor) judgeSlowly(key []byte) bool {
	var w words
	w.split(key)
	for k := 1; k <= w.count && k <= r.maxWords; k++ {
		if _, ok := r.keys[string(w.last(k))]; ok {
			return true
		}
	}
	return false
}

// TestRedactor_judgeQuickTest checks that the quick test in judge never
// turns away a key that names a secret, over key words written in every
// case style with prefixes and suffixes.
func TestRedactor_judgeQuickTest(t *testing.T) {
	r := Default()
	styles := []func(string) string{
		func(s string) string { return s },
		strings.ToUpper,
		func(s string) string { return strings.ReplaceAll(s, "_", "-") },
		func(s string) string { // camelCase
			parts := strings.Split(s, "_")
			for i := 1; i < len(parts); i++ {
				parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
			}
			return strings.Join(parts, "")
		},
		func(s string) string { // PascalCase with an acronym
			return "API" + strings.ToUpper(s[:1]) + s[1:]
		},
	}
	for _, k := range append(defaultKeys, "session_ids", "tokenizer", "x", "KEY", "SN-1", "aB", "ABc") {
		for _, style := range styles {
			for _, key := range []string{style(k), "db_" + style(k), "x." + style(k), style(k) + "2", style(k) + ":", "my" + style(k)} {
				if got, want := r.SecretKey(key), r.judgeSlowly([]byte(key)); got != want {
					t.Errorf("SecretKey(%q) = %v, without the quick test %v", key, got, want)
				}
			}
		}
	}
}

func FuzzRedactor_judge(f *testing.F) {
	for _, k := range []string{"dbPassword", "APIKey", "X-Auth-Token", "token_count", "OAuthToken", "aBcD"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if got, want := Default().SecretKey(key), Default().judgeSlowly([]byte(key)); got != want {
			t.Fatalf("SecretKey(%q) = %v, without the quick test %v", key, got, want)
		}
	})
}
