package redact_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog/redact"
)

// Secrets made up for the tests, in the shapes of real ones.
const (
	jwt         = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	githubToken = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	githubPAT   = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQR"
	pngDataURL  = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
	pemKey      = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yPbd\n-----END RSA PRIVATE KEY-----"
	pemCert     = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----"
)

func TestRedactor_String(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		in, want  string
		n         int
	}{
		// Patterns.
		{"URLUserinfo", "the password of a URL goes, the user, scheme and host stay",
			"GET https://sync:s3cr3t@api.vendor.example/v2/devices failed",
			"GET https://sync:[REDACTED]@api.vendor.example/v2/devices failed", 1},
		{"URLUserinfoAt", "the last @ before the host ends the userinfo, as in net/url",
			"dial postgres://app:p@ss@db.internal:5432/inv", "dial postgres://app:[REDACTED]@db.internal:5432/inv", 1},
		{"URLUserWithAt", "a user name may hold an @: the first colon ends it, the last @ the password",
			"GET https://me@corp.example:s3cret@api.example.com/v1", "GET https://me@corp.example:[REDACTED]@api.example.com/v1", 1},
		{"URLPort", "a port is no password", "GET https://api.example.com:8443/v1?at=a:b@c", "", 0},
		{"URLWithoutUserinfo", "a URL without userinfo is not touched",
			"GET https://api.vendor.example:8443/v2/devices?page=3#top returned 502", "", 0},
		{"URLUserOnly", "a user name alone is no secret (git@, ssh://deploy@)",
			"clone ssh://git@github.com/opsync/inventory.git", "", 0},
		{"MySQLDSN", "the Go MySQL driver's DSN",
			"Error 1045: root:hunter2@tcp(127.0.0.1:3306)/test?parseTime=true", "Error 1045: root:[REDACTED]@tcp(127.0.0.1:3306)/test?parseTime=true", 1},
		{"MySQLDSNAt", "a password may hold @ and /, as the driver reads them",
			"dial failed: app:p@ss/w@tcp(db:3306)/inv", "dial failed: app:[REDACTED]@tcp(db:3306)/inv", 1},
		{"MySQLDSNNoAddress", "the driver's DSN with the default address",
			"open app:hunter2@/inv?parseTime=true: refused", "open app:[REDACTED]@/inv?parseTime=true: refused", 1},
		{"Bearer", "an Authorization header value, the scheme kept",
			"curl -H 'Authorization: Bearer " + jwt + "' https://x", "curl -H 'Authorization: Bearer [REDACTED]' https://x", 1},
		{"BearerOpaque", "an opaque token with digits",
			"sent bearer 4f9a1c2e7d before retry", "sent bearer [REDACTED] before retry", 1},
		{"BearerProse", "bearer as an English word stays", "the bearer of bad news", "", 0},
		{"BearerRealm", "a challenge's parameters are not credentials",
			`WWW-Authenticate: Bearer realm="api", error="invalid_token"`, "", 0},
		{"Basic", "base64 of user:password",
			"Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic [REDACTED]", 1},
		{"BasicProse", "basic as an English word stays, even before a word that is valid base64",
			"basic auth failed; Basic validate step skipped", "", 0},
		{"PEM", "a private key block goes whole",
			"key: " + pemKey + " loaded", "key: [REDACTED] loaded", 1},
		{"PEMCut", "a block cut short goes as far as its body",
			"bad key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "bad key [REDACTED]", 1},
		{"PEMCertificate", "a certificate is public", "cert " + pemCert, "", 0},
		{"JWT", "a JWT anywhere", "id_token was " + jwt + ".", "id_token was [REDACTED].", 1},
		{"JWTLike", "one base64 JSON segment is a cursor, not a JWT",
			"next cursor eyJpZCI6OTl9 (page 3)", "", 0},
		{"GitHub", "GitHub token prefixes", "push with " + githubToken + " and " + githubPAT,
			"push with [REDACTED] and [REDACTED]", 2},
		{"GitHubInURL", "a token as the user of a URL",
			"https://" + githubToken + "@github.com/o/r.git", "https://[REDACTED]@github.com/o/r.git", 1},
		{"AWS", "an access key ID", "AccessDenied for AKIAIOSFODNN7EXAMPLE on s3://bucket", "AccessDenied for [REDACTED] on s3://bucket", 1},
		{"Slack", "a bot token", "slack: xoxb-123456789012-abcdefABCDEF", "slack: [REDACTED]", 1},
		{"DataURL", "a base64 image is not a secret", `<img src="` + pngDataURL + `">`, "", 0},
		{"Hashes", "hashes and IDs no rule names stay",
			"sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, request 7f1c2e9a-33b1-4c5e-9d2a-0b8e6f7a1c3d", "", 0},

		// Pairs.
		{"PairEquals", "key=value", "connect host=db password=hunter2 user=app",
			"connect host=db password=[REDACTED] user=app", 1},
		{"PairQuery", "a query string parameter ends at &",
			"GET /v1/devices?access_token=abc123&page=2", "GET /v1/devices?access_token=[REDACTED]&page=2", 1},
		{"PairJSONInText", `"key": "value" in a message`,
			`upstream said {"error": "denied", "token": "abc def", "n": 1}`, `upstream said {"error": "denied", "token": "[REDACTED]", "n": 1}`, 1},
		{"PairEscapedJSON", "JSON escaped in text",
			`body: {\"client_secret\": \"s3cr3t\"}`, `body: {\"client_secret\": \"[REDACTED]\"}`, 1},
		{"PairPHPArray", "PHP's =>", `['username' => 'bob', 'password' => 'hunter2']`,
			`['username' => 'bob', 'password' => '[REDACTED]']`, 1},
		{"PairHeader", "a header with a scheme keeps the scheme",
			"X-Api-Key: k-123\nAuthorization: Token 9944b09199c62bcf", "X-Api-Key: [REDACTED]\nAuthorization: Token [REDACTED]", 2},
		{"PairCookie", "a cookie runs to the end of the line",
			"Cookie: theme=dark; sid=abc123\nAccept: */*", "Cookie: [REDACTED]\nAccept: */*", 1},
		{"PairGoMap", "a Go map as %v prints it", "map[password:hunter2 user:bob]", "map[password:[REDACTED] user:bob]", 1},
		{"PairEnv", "an environment dump", "DB_PASSWORD=hunter2\nDB_HOST=db", "DB_PASSWORD=[REDACTED]\nDB_HOST=db", 1},
		{"PairNotSecret", "keys that name no secret",
			"tokens_processed=1200 token_count: 5 author=ann authority: ca", "", 0},
		{"PairCode", "::, :=, == and scheme:// are not pairs",
			`App\Auth\Token::refresh() token := next(); if token == nil`, "", 0},
		{"PairEmpty", "an empty value hides nothing", "password= user=bob", "", 0},

		// Together.
		{"Order", "a pattern, then a pair that finds its marker, count once",
			"Authorization: Bearer abc.def-123", "Authorization: Bearer [REDACTED]", 1},
		{"Marker", "text already redacted stays", "password=[REDACTED] https://u:[REDACTED]@h", "", 0},
		{"PartlyRedacted", "a pair whose value a pattern cut keeps no part of it",
			"password=abc" + githubToken, "password=[REDACTED]", 2},
		{"InvalidUTF8", "bytes that are not UTF-8 stay as they are",
			"\xff password=\xfe\xfd next", "\xff password=[REDACTED] next", 1},
		{"Empty", "nothing", "", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if tc.n == 0 && want == "" {
				want = tc.in
			}
			got, n := redact.Default().String(tc.in)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: String() mismatch (-want +got):\n%s", tc.why, diff)
			}
			if n != tc.n {
				t.Errorf("%s: String() count = %d, want %d", tc.why, n, tc.n)
			}
			again, n := redact.Default().String(got)
			if again != got || n != 0 {
				t.Errorf("String() of its own output = %q, %d; want it unchanged, 0", again, n)
			}
		})
	}
}

func TestRedactor_SecretKey(t *testing.T) {
	secret := []string{
		"password", "PASSWORD", "dbPassword", "db_password", "new-password", "password_confirmation",
		"passwd", "pwd", "passphrase", "secret", "client_secret", "aws_secret_access_key", "secretAccessKey",
		"token", "api_token", "X-Auth-Token", "accessToken", "refresh_token", "IDToken", "OAuthToken",
		"api_key", "apiKey", "APIKey", "X-API-Key", "x-apikey", "authorization", "Proxy-Authorization",
		"auth", "cookie", "Set-Cookie", "private_key", "privateKey", "credentials", "session", "session_id",
		"JSESSIONID", "config.database.password", "password2", "user password",
	}
	notSecret := []string{
		"", "tokens_processed", "token_count", "tokenizer", "author", "authority", "auth_type", "passed",
		"password_hash", "secret_id", "sort_key", "key", "primary_key", "session_count", "sessions",
		"tokens", "bypass", "message", "trace", "12345", "пароль",
	}
	r := redact.Default()
	for _, k := range secret {
		if !r.SecretKey(k) {
			t.Errorf("SecretKey(%q) = false, want true", k)
		}
	}
	for _, k := range notSecret {
		if r.SecretKey(k) {
			t.Errorf("SecretKey(%q) = true, want false", k)
		}
	}
}

func TestNew(t *testing.T) {
	t.Run("NoRules", func(t *testing.T) {
		r, err := redact.New(redact.Rules{})
		if err != nil {
			t.Fatal(err)
		}
		in := "password=hunter2 https://u:p@h " + jwt
		if got, n := r.String(in); got != in || n != 0 {
			t.Errorf("String() = %q, %d; want the input, 0", got, n)
		}
		doc := []byte(`{"password": "hunter2"}`)
		if got, n := r.JSON(doc); string(got) != string(doc) || n != 0 {
			t.Errorf("JSON() = %s, %d; want the input, 0", got, n)
		}
	})
	t.Run("Extend", func(t *testing.T) {
		rules := redact.DefaultRules()
		rules.Keys = append(rules.Keys, "pin", "serial_number")
		rules.Patterns = append(rules.Patterns, redact.Pattern{
			Name:   "vendor-key",
			Regexp: `vnd_(?P<secret>[a-f0-9]{12})`,
			Hints:  []string{"vnd_"},
		})
		r, err := redact.New(rules)
		if err != nil {
			t.Fatal(err)
		}
		got, n := r.String("pin=1234 device serialNumber: SN-1 key vnd_0123456789ab, password=x")
		want := "pin=[REDACTED] device serialNumber: [REDACTED] key vnd_[REDACTED], password=[REDACTED]"
		if diff := cmp.Diff(want, got); diff != "" || n != 4 {
			t.Errorf("String() count %d, want 4; mismatch (-want +got):\n%s", n, diff)
		}
		if redact.Default().SecretKey("pin") {
			t.Error("extending a copy of the default rules changed Default")
		}
	})
	t.Run("Without", func(t *testing.T) {
		r, err := redact.New(redact.DefaultRules().Without(redact.PatternAWSKeyID, "SESSION"))
		if err != nil {
			t.Fatal(err)
		}
		in := "AKIAIOSFODNN7EXAMPLE session=42"
		if got, n := r.String(in); got != in || n != 0 {
			t.Errorf("String() = %q, %d; want the input, 0", got, n)
		}
		if !r.SecretKey("password") {
			t.Error("Without dropped a key word it was not given")
		}
	})
	t.Run("NoPairs", func(t *testing.T) {
		rules := redact.DefaultRules()
		rules.Pairs = false
		r, err := redact.New(rules)
		if err != nil {
			t.Fatal(err)
		}
		in := "password=hunter2"
		if got, _ := r.String(in); got != in {
			t.Errorf("String() = %q, want the input", got)
		}
		if got, _ := r.JSON([]byte(`{"password": "hunter2"}`)); string(got) != `{"password": "[REDACTED]"}` {
			t.Errorf("JSON() = %s; keys still apply without pairs", got)
		}
	})
	t.Run("Check", func(t *testing.T) {
		r, err := redact.New(redact.Rules{Patterns: []redact.Pattern{{
			Name:   "card",
			Regexp: `\b\d{16}\b`,
			Check:  func(s string) bool { return s[0] == '4' },
		}}})
		if err != nil {
			t.Fatal(err)
		}
		got, n := r.String("4111111111111111 1234567890123456")
		if got != "[REDACTED] 1234567890123456" || n != 1 {
			t.Errorf("String() = %q, %d", got, n)
		}
	})
	for _, tc := range []struct {
		name  string
		rules redact.Rules
		text  string
	}{
		{"BadRegexp", redact.Rules{Patterns: []redact.Pattern{{Name: "x", Regexp: `(`}}}, `redact: invalid rule: pattern "x": error parsing regexp`},
		{"NoRegexp", redact.Rules{Patterns: []redact.Pattern{{Name: "x"}}}, `redact: invalid rule: pattern "x" has no regexp`},
		{"EmptyHint", redact.Rules{Patterns: []redact.Pattern{{Regexp: `a`, Hints: []string{""}}}}, `redact: invalid rule: pattern "#0" has an empty hint`},
		{"KeyNoLetters", redact.Rules{Keys: []string{"_-1"}}, `redact: invalid rule: key word "_-1" has no letters`},
		{"KeyTooManyWords", redact.Rules{Keys: []string{"a_b_c_d_e_f_g_h_i"}}, `redact: invalid rule: key word "a_b_c_d_e_f_g_h_i" has more than 8 words`},
		{"KeyTooLong", redact.Rules{Keys: []string{strings.Repeat("k", 300)}}, `redact: invalid rule: key word`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := redact.New(tc.rules)
			if r != nil || !errors.Is(err, redact.ErrInvalidRule) {
				t.Fatalf("New() = %v, %v; want nil, ErrInvalidRule", r, err)
			}
			if !strings.HasPrefix(err.Error(), tc.text) {
				t.Errorf("error %q, want it to start with %q", err, tc.text)
			}
		})
	}
}

func TestDefault(t *testing.T) {
	if first, again := redact.Default(), redact.Default(); first != again {
		t.Error("Default() made a new Redactor")
	}
	names := map[string]bool{}
	for _, p := range redact.DefaultRules().Patterns {
		if p.Name == "" || names[p.Name] {
			t.Errorf("default pattern name %q is empty or repeated", p.Name)
		}
		names[p.Name] = true
		if len(p.Hints) == 0 {
			t.Errorf("default pattern %q has no hints", p.Name)
		}
	}
}

// TestRedactor_Concurrent runs one Redactor from many goroutines; with
// -race it shows the Redactor is not written to.
func TestRedactor_Concurrent(t *testing.T) {
	r := redact.Default()
	doc := []byte(`{"token": "abc", "msg": "https://u:p@h password=x ` + jwt + `"}`)
	want, wantN := r.JSON(doc)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got, n := r.JSON(doc); string(got) != string(want) || n != wantN {
					t.Errorf("JSON() = %s, %d; want %s, %d", got, n, want, wantN)
					return
				}
				r.String("Authorization: Bearer abc123")
			}
		})
	}
	wg.Wait()
}

// TestRedactor_StringManyCutBlocks redacts 4,000 private key headers with no
// END line: each is removed, and the search for an END line stops at the
// "!" after each, where the block's body does (it used to read to the end
// of the text for each header: 14 s for these 112 KB).
func TestRedactor_StringManyCutBlocks(t *testing.T) {
	const n = 4000
	in := strings.Repeat("-----BEGIN PRIVATE KEY-----!", n)
	got, count := redact.Default().String(in)
	if want := strings.Repeat(redact.Marker+"!", n); got != want || count != n {
		t.Errorf("String() = %.60q… (%d bytes), %d; want %.60q… (%d bytes), %d", got, len(got), count, want, len(want), n)
	}
}
