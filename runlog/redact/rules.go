package redact

import (
	"encoding/base64"
	"slices"
	"strings"
	"unicode/utf8"
)

// Rules say what a Redactor removes. They are plain data: start from
// DefaultRules and append to it, drop some with Without, or build them from
// nothing. The zero Rules redact nothing.
type Rules struct {
	// Keys are the words that make a key name a secret. A key is split into
	// words at every character other than an ASCII letter and at camelCase
	// humps ("X-Auth-Token", "dbPassword", "APIKey" are "x auth token", "db
	// password", "api key"), and it names a secret when its last words,
	// without regard to case, are one of Keys, itself split the same way:
	// "token" matches "api_token" but not "tokens_processed" or
	// "token_count", and "api_key" matches "X-API-Key" but not "sort_key".
	Keys []string
	// Pairs redacts, in text, the value of each key=value or key: value pair
	// whose key names a secret by Keys (see Redactor.String).
	Pairs bool
	// Patterns are the text patterns, applied in order, before the pairs.
	Patterns []Pattern
}

// Pattern is a text rule: a regular expression whose matches are secrets.
type Pattern struct {
	// Name identifies the pattern in errors and to Rules.Without.
	Name string
	// Regexp is the expression, in the syntax of package regexp. When it
	// has a group named "secret", only the text of that group is replaced;
	// otherwise the whole match is.
	Regexp string
	// Hints are literal strings, matched exactly (case counts). When there
	// are any, the expression only runs on text that holds at least one of
	// them: they keep the cost of a rare pattern off text it cannot match.
	Hints []string
	// Check, when set, is called with each secret the expression finds and
	// reports whether it is one; when it says no, the text stays as it is.
	Check func(secret string) bool
}

// The names of the default patterns, in the order DefaultRules applies them.
const (
	PatternPrivateKey = "private-key"  // PEM private key blocks, BEGIN to END
	PatternUserinfo   = "url-userinfo" // the password in scheme://user:password@host
	PatternMySQLDSN   = "mysql-dsn"    // the password in user:password@tcp(host)/db
	PatternBearer     = "bearer"       // Bearer <token>
	PatternBasic      = "basic"        // Basic <base64 of user:password>
	PatternJWT        = "jwt"          // eyJ….eyJ….signature
	PatternGitHub     = "github-token" // ghp_, gho_, ghu_, ghs_, ghr_, github_pat_
	PatternGitLab     = "gitlab-token" // glpat-
	PatternAWSKeyID   = "aws-access-key-id"
	PatternSlack      = "slack-token" // xoxb-, xoxp-, …
	PatternStripe     = "stripe-key"  // sk_live_, rk_live_
	PatternGoogleKey  = "google-api-key"
)

// defaultKeys are the key words of DefaultRules.
var defaultKeys = []string{
	"password", "passwd", "pwd", "pass", "passphrase", "passcode", "passwords",
	"password_confirmation",
	"secret", "secrets", "secret_key",
	"token", "jwt",
	"api_key", "apikey",
	"auth", "authorization",
	"cookie", "cookies",
	"private_key", "privatekey",
	"access_key", "accesskey", "account_key",
	"credential", "credentials",
	"session", "session_id", "sessionid", "jsessionid", "phpsessid",
}

// b64token is the character class of an HTTP token68 credential.
const b64token = `A-Za-z0-9._~+/-`

// defaultPatterns returns the patterns of DefaultRules.
func defaultPatterns() []Pattern {
	return []Pattern{
		{
			// A block cut short (no END line) is removed as far as its body
			// goes. The body is base64, white space (or JSON's \n) and the
			// headers of an encrypted key: a search for the END line stops
			// where the body does, so that text with many BEGIN lines and
			// no END costs what its length does.
			Name:   PatternPrivateKey,
			Regexp: `-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----(?:[A-Za-z0-9+/=\s\\:,-]*?-----END[A-Z0-9 ]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\:,-]*)`,
			Hints:  []string{"PRIVATE KEY-----"},
		},
		{
			// The last @ before the path ends the userinfo, as in net/url,
			// and the first colon the user name (which may hold an @,
			// me@corp.example); the user name is kept.
			Name:   PatternUserinfo,
			Regexp: `://[^\s/?#:"'<>\\]*:(?P<secret>[^\s/?#"'<>\\]+)@`,
			Hints:  []string{"://"},
		},
		{
			// go-sql-driver/mysql ends the password at the last @ before
			// the address (user:p@ss/word@tcp(host)/db), or before the
			// slash of the database when there is none (user:pass@/db).
			Name:   PatternMySQLDSN,
			Regexp: `[A-Za-z0-9_.-]*:(?P<secret>[^\s"'<>\\]+)@(?:(?:tcp6?|unix)\(|/)`,
			Hints:  []string{"@tcp", "@unix(", "@/"},
		},
		{
			// A credential must hold a digit or a symbol, or be long, so that
			// "the bearer of" and `Bearer realm="api"` stay.
			Name:   PatternBearer,
			Regexp: `\b(?:Bearer|bearer|BEARER)\s+(?P<secret>[` + b64token + `]*[0-9._~+/-][` + b64token + `]*=*|[A-Za-z]{20,}=*)`,
			Hints:  []string{"Bearer", "bearer", "BEARER"},
		},
		{
			// Only base64 of user:password counts, so "basic auth" stays.
			Name:   PatternBasic,
			Regexp: `\b(?:Basic|basic|BASIC)\s+(?P<secret>[A-Za-z0-9+/]{4,}={0,2})`,
			Hints:  []string{"Basic", "basic", "BASIC"},
			Check:  isBasicCredential,
		},
		{
			Name:   PatternJWT,
			Regexp: `eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`,
			Hints:  []string{"eyJ"},
		},
		{
			Name:   PatternGitHub,
			Regexp: `gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}`,
			Hints:  []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"},
		},
		{
			Name:   PatternGitLab,
			Regexp: `glpat-[A-Za-z0-9_-]{20,}`,
			Hints:  []string{"glpat-"},
		},
		{
			Name:   PatternAWSKeyID,
			Regexp: `\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`,
			Hints:  []string{"AKIA", "ASIA"},
		},
		{
			Name:   PatternSlack,
			Regexp: `xox[abposr]-[A-Za-z0-9-]{10,}`,
			Hints:  []string{"xox"},
		},
		{
			Name:   PatternStripe,
			Regexp: `[sr]k_live_[A-Za-z0-9]{16,}`,
			Hints:  []string{"k_live_"},
		},
		{
			Name:   PatternGoogleKey,
			Regexp: `AIza[0-9A-Za-z_-]{35}`,
			Hints:  []string{"AIza"},
		},
	}
}

// DefaultRules returns the rules of Default, in fresh slices a host may
// extend: the key words password, passwd, pwd, pass, passphrase, passcode,
// passwords, password_confirmation, secret, secrets, secret_key, token, jwt,
// api_key, apikey, auth, authorization, cookie, cookies, private_key,
// privatekey, access_key, accesskey, account_key, credential, credentials,
// session, session_id, sessionid, jsessionid and phpsessid; pairs in text; and the patterns named
// by the Pattern constants, in their order.
func DefaultRules() Rules {
	return Rules{
		Keys:     slices.Clone(defaultKeys),
		Pairs:    true,
		Patterns: defaultPatterns(),
	}
}

// Without returns a copy of r without the patterns and the key words that
// have one of names (key words compared without regard to case):
//
//	rules := redact.DefaultRules().Without(redact.PatternAWSKeyID, "session")
func (r Rules) Without(names ...string) Rules {
	out := Rules{Pairs: r.Pairs}
	for _, k := range r.Keys {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, k) }) {
			out.Keys = append(out.Keys, k)
		}
	}
	for _, p := range r.Patterns {
		if !slices.Contains(names, p.Name) {
			out.Patterns = append(out.Patterns, p)
		}
	}
	return out
}

// isBasicCredential reports whether s is the base64 of user:password, in
// printable text.
func isBasicCredential(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !utf8.Valid(b) {
		return false
	}
	colon := false
	for _, c := range string(b) {
		if c < ' ' || c == 0x7f {
			return false
		}
		colon = colon || c == ':'
	}
	return colon
}
