package report

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDelta(t *testing.T) {
	tests := []struct {
		name, before, after string
		want                string // "" when there is none
	}{
		{"Integers", "1284", "1302", "18"},
		{"Negative", "1302", "1284", "-18"},
		{"NegativeZero", "-0", "0", "0"},
		{"Beyond2To53", "9007199254740992", "9007199254740993", "1"},
		{"BeyondInt64", "-9223372036854775808", "9223372036854775807", "18446744073709551615"},
		{"HugeIntegers", strings.Repeat("9", 500), "0", "-" + strings.Repeat("9", 500)},
		{"Decimals", "0.1", "0.3", "0.2"},
		{"Scale", "1.50", "2.5", "1.00"},
		{"SmallDecimals", "0.0001", "0.00002", "-0.00008"},
		{"IntegerAndDecimal", "5", "5.5", "0.5"},
		{"DecimalToZero", "0.25", "0.25", "0.00"},
		{"Exponent", "1e3", "1", "-999"},
		{"ExponentEqual", "1E2", "100.0", "0"},
		{"ExponentFraction", "1.5e-3", "0.0025", "0.001"},
		{"ExponentLarge", "1e300", "2e300", "1e+300"},
		{"ExponentAt21", "1e20", "1e21", "900000000000000000000"},
		{"ExponentPast21", "1e21", "3e21", "2e+21"},
		{"ExponentSmall", "1e-7", "3e-7", "2e-7"},
		{"ExponentSmallPlain", "1e-6", "3e-6", "0.000002"},
		{"ExponentPlus", "1e+2", "150", "50"},
		{"NegativeExponent", "-1.25e2", "0", "125"},
		{"FarApart", "1e-2000", "1", "1"},
		{"FarApartRounded", "1", "1e1500", "1e+1500"},
		{"ExponentTooLarge", "1e99999999999", "1", ""},
		{"Infinite", "1e1000000000", "1", ""},
		{"TooLong", "1" + strings.Repeat("0", MaxNumberLen), "1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := delta(json.Number(tc.before), json.Number(tc.after))
			if string(got) != tc.want || ok != (tc.want != "") {
				t.Errorf("delta(%s, %s) = %q, %v; want %q", tc.before, tc.after, got, ok, tc.want)
			}
			if ok && !json.Valid([]byte(got)) {
				t.Errorf("delta(%s, %s) = %q, not a JSON number", tc.before, tc.after, got)
			}
		})
	}
}
