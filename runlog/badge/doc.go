// Package badge gives each stage, stage status and run status of package
// runlog the badge a Logs table shows for it: a label, a tone (the badge's
// colour family) and a one-line meaning for a tooltip or a legend.
//
// Stages are toned by their place in the pipeline: validate_setup is info;
// extract, canonicalize, reconcile and decide are primary; apply and
// preview_results are secondary. Stage statuses and run statuses share one
// scheme: completed and preview_ready are success, queued and running are
// warning, failed and error are danger.
//
// A known value's label is its stored value with each underscore replaced by
// a space ("preview_ready" is labelled "preview ready"), so labels are
// predictable from values. A value the library does not know, the empty
// string included, gets tone neutral, its raw text as the label and a meaning
// saying the library does not know it; the functions never panic.
//
// Labels are safe to print, to a terminal or into a page: in the raw text of
// an unknown value, each run of invalid UTF-8 bytes becomes one U+FFFD, and
// so does each control character (C0, tab, line feed, carriage return and
// NUL included; DEL; C1) and each bidirectional formatting character
// (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which could
// move the cursor, clear a screen or reorder the text after it. Spaces are
// kept as they are. A label is always valid UTF-8, and the badge tells an
// odd value apart from a known one by its tone.
package badge
