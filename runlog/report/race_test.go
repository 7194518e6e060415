//go:build race

package report_test

// raceEnabled reports that the tests run with the race detector.
const raceEnabled = true
