// Package redact removes credentials from text and JSON before they are
// stored or shown: upstream errors carry API tokens, passwords in URLs and
// Authorization headers, and people paste what the Logs tab shows into
// tickets. It imports only the standard library and package runlog.
//
// A Redactor replaces each secret it finds by Marker ("[REDACTED]") and
// counts the replacements; it never says what it removed. Default gives the
// shared Redactor of DefaultRules; New makes one from Rules, which are
// plain data a host extends (add a key word, add a pattern) or trims
// (Rules.Without). A Redactor of no rules, New(Rules{}), redacts nothing.
//
// # Rules
//
// Keys: in JSON, the value of a member whose key names a secret is
// replaced whole. A key is judged by its last words, so "api_token",
// "X-Auth-Token" and "dbPassword" name secrets while "tokens_processed",
// "token_count" and "author" do not (see Rules.Keys for the splitting, and
// DefaultRules for the words).
//
// Patterns: regular expressions over text, each with literal hints that
// must occur in the text before the expression runs, in the manner of
// DataDog's scrubber. They are applied in order, and a pattern may replace
// only its "secret" group. The defaults, in order: PEM private key blocks;
// the password of a URL's userinfo (https://user:[REDACTED]@host, the
// user, scheme and host kept); the password of a MySQL DSN
// (user:pass@tcp(host)); Bearer and Basic credentials, the scheme kept (a
// Basic one only when it decodes to user:password); JWTs; GitHub, GitLab,
// Slack and Stripe tokens, AWS access key IDs and Google API keys, by their
// prefixes.
//
// Pairs: then, in text, the value of key=value, key: value and key =>
// value when the key names a secret: password=hunter2, "token": "abc" in a
// message, Authorization: Token abc (see Redactor.String).
//
// What is left alone: a URL without userinfo, a base64 data URL, a hash or
// an ID that no rule names. Redaction errs on the side of removing: a word
// after "token:" in prose is removed too.
//
// # Documents
//
// Redactor.JSON keeps a document as it was, byte for byte, except for what
// it replaces: it does not decode into maps, so member order, numbers and
// escapes stay. Malformed JSON is redacted as text. Neither method fails
// or panics, valid UTF-8 stays valid, and redacting twice changes nothing
// more: a replacement that would only cover markers is not made.
//
// A Redactor is immutable once made and safe for concurrent use.
package redact
