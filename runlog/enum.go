package runlog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUnknownValue is returned, wrapped, by the Parse functions when a string
// names no value of the enumeration. Test for it with errors.Is.
var ErrUnknownValue = errors.New("runlog: unknown value")

// parse returns s as a T when it is one of all, and otherwise an error that
// names the kind and lists the accepted values.
func parse[T ~string](kind, s string, all []T) (T, error) {
	if slices.Contains(all, T(s)) {
		return T(s), nil
	}
	names := make([]string, len(all))
	for i, v := range all {
		names[i] = string(v)
	}
	return "", fmt.Errorf("%w: %s %q (want one of %s)", ErrUnknownValue, kind, s, strings.Join(names, ", "))
}

// format renders v for String methods: known values as themselves, unknown ones
// in Go syntax such as Stage("weird"), so a bad value is visible in logs.
func format[T ~string](typeName string, v T, all []T) string {
	if slices.Contains(all, v) {
		return string(v)
	}
	return fmt.Sprintf("%s(%q)", typeName, string(v))
}
