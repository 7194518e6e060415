// Package reason explains the decide stage's reason codes and counts them.
//
// Each reason code has an Info: what it means in plain English, the Outcome
// it leads to (create, update, skip or conflict), whether applying it writes
// anything and whether it waits for a person to review it. Lookup and All
// answer for the built-in codes of package runlog; hosts with codes of their
// own build a Catalog that holds the built-ins and theirs.
//
// A decide row's metrics count the codes under the key "decision_reason_codes"
// (MetricsKey). FromMetrics reads those counts, and Top ranks them the way a
// run summary shows them as top_decision_reason_codes.
package reason
