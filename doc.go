// Package integrationlogs keeps the history of every stage of every run of a
// multi-stage sync pipeline (validate_setup, extract, canonicalize, reconcile,
// decide, apply) and gives a host everything it needs for a Logs tab.
//
// The module is a set of packages; this one holds only this overview.
//
//   - runlog: the vocabulary. Stages, stage and run statuses, run modes,
//     badge tones, reason codes, and Entry, one stage row joined with its run.
//     Standard library only.
//   - runlog/badge: the label, tone and one-line meaning of each stage,
//     status and run status, for coloured badges.
//   - runlog/reason: what each decision reason code means and what happens
//     to the record on apply; a Catalog hosts extend with codes of their own;
//     reading and ranking the reason-code counts of a decide row.
//   - runlog/details: the Details cell (the first 120 characters of the
//     error summary and the first two metrics, in document order) and the
//     full card (every metric, the raw payloads, the exception chain,
//     copy-as-JSON, redacted). Standard library only.
//   - runlog/redact: credentials out of text and JSON (keys that name a
//     secret, passwords in URLs, Bearer and Basic credentials, private
//     keys, tokens), each replaced by a counted marker, by rules a host
//     extends. Standard library only.
//   - runlog/sqlstore: the tables and all the SQL, on SQLite, PostgreSQL and
//     MySQL/MariaDB: the schema, keyset-paged listing with filters, the full
//     row for a card, and the batched purge of one instance's stage rows.
//
// Start with examples/logstab (go run ./examples/logstab), a Logs tab on an
// embedded SQLite database.
//
// Every stage row is one record of table integration_run_stages: a Full Sync
// writes six, a Sync Preview five.
package integrationlogs
