// Package runlog is the vocabulary of integration run logs: the stages of a
// sync pipeline, the statuses of stage rows and runs, run modes, badge tones,
// decision reason codes, and Entry, one stage row joined with its run.
//
// It imports only the standard library. Every enumeration is a string type
// stored as its value, with constants, an enumerator (Stages, Statuses...),
// a Valid method and a Parse function that rejects unknown values with an
// error wrapping ErrUnknownValue. Values read from a database are kept as
// they are, known or not: the packages that render them (badge, details)
// show unknown values safely instead of failing.
//
// Entry and Run encode to JSON for any stored row (see Entry.MarshalJSON):
// stored JSON is embedded when valid and a string otherwise, nothing stored
// and times not yet set are null, and invalid UTF-8 becomes U+FFFD, so that
// one odd row never stops a page from encoding.
package runlog
