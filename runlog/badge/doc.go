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
// saying the library does not know it; the functions never panic. Invalid
// UTF-8 in that raw text is replaced (each run of bad bytes by one U+FFFD) so
// a label is always valid UTF-8.
package badge
