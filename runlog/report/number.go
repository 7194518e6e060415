package report

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
)

// Limits of the arithmetic of deltas.
const (
	// MaxNumberLen is the longest number, in characters as written, that
	// Compare subtracts. A metric written longer gets no delta, and the stage
	// notes it.
	MaxNumberLen = 1000
	// exactShift is how many orders of magnitude apart the exponents of two
	// decimals may be for their difference to be worked out exactly; further
	// apart, it is rounded to floatDigits significant digits.
	exactShift = 1000
	// floatDigits is the significant digits of a difference that cannot be
	// worked out exactly: those of IEEE 754 decimal128.
	floatDigits = 34
)

// delta returns after − before. Both are JSON numbers. It reports false when
// it cannot tell: a number longer than MaxNumberLen, an exponent beyond
// ±2^31, or a difference too large to hold.
//
// Two integers (no fraction, no exponent) give their exact difference, how
// ever many digits they have. Otherwise the difference is exact as well when
// the numbers' exponents are less than exactShift orders of magnitude apart,
// and is rounded to floatDigits significant digits when they are further.
// decimal.String says how a difference of decimals is written.
func delta(before, after json.Number) (json.Number, bool) {
	b, a := string(before), string(after)
	if len(b) > MaxNumberLen || len(a) > MaxNumberLen {
		return "", false
	}
	if isInteger(b) && isInteger(a) {
		x, okX := new(big.Int).SetString(b, 10)
		y, okY := new(big.Int).SetString(a, 10)
		if !okX || !okY {
			return "", false
		}
		return json.Number(y.Sub(y, x).String()), true
	}
	x, okX := parseDecimal(b)
	y, okY := parseDecimal(a)
	if !okX || !okY {
		return "", false
	}
	sci := x.sci || y.sci
	exp := min(x.exp, y.exp)
	if x.exp-exp > exactShift || y.exp-exp > exactShift {
		return floatDelta(b, a)
	}
	d := decimal{mant: y.shifted(y.exp - exp), exp: exp, sci: sci}
	d.mant.Sub(d.mant, x.shifted(x.exp-exp))
	return json.Number(d.String()), true
}

// floatDelta returns after − before worked out in binary floating point
// with more precision than floatDigits need, rounded to floatDigits
// significant digits.
func floatDelta(before, after string) (json.Number, bool) {
	const prec = 128
	x, _, errX := big.ParseFloat(before, 10, prec, big.ToNearestEven)
	y, _, errY := big.ParseFloat(after, 10, prec, big.ToNearestEven)
	if errX != nil || errY != nil || x.IsInf() || y.IsInf() {
		return "", false
	}
	z := new(big.Float).SetPrec(prec).Sub(y, x)
	if z.IsInf() {
		return "", false
	}
	d, ok := parseDecimal(z.Text('e', floatDigits-1))
	if !ok {
		return "", false
	}
	return json.Number(d.String()), true
}

// isInteger reports whether the JSON number s has neither a fraction nor an
// exponent.
func isInteger(s string) bool { return !strings.ContainsAny(s, ".eE") }

// decimal is the number mant × 10^exp.
type decimal struct {
	mant *big.Int
	exp  int64
	sci  bool // written, or to be written, with an exponent
}

// parseDecimal reads the JSON number s. It reports false for an exponent
// beyond ±2^31.
func parseDecimal(s string) (decimal, bool) {
	digits, exp, sci := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		digits, exp, sci = s[:i], s[i+1:], true
	}
	var e int64
	if sci {
		var err error
		if e, err = strconv.ParseInt(exp, 10, 32); err != nil {
			return decimal{}, false
		}
	}
	whole, frac, _ := strings.Cut(digits, ".")
	m, ok := new(big.Int).SetString(whole+frac, 10)
	if !ok {
		return decimal{}, false
	}
	return decimal{mant: m, exp: e - int64(len(frac)), sci: sci}, true
}

// shifted returns mant × 10^n as a new number.
func (d decimal) shifted(n int64) *big.Int {
	m := new(big.Int).Set(d.mant)
	if n > 0 {
		m.Mul(m, new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil))
	}
	return m
}

// String writes d as a JSON number. Without sci, it is written with as many
// decimals as -exp says ("1.00", "0.025"). With sci, trailing zeros go and
// it is written as JavaScript writes numbers: plainly from 1e-6 up to
// 1e21 ("999", "0.5"), and with an exponent beyond ("1.5e+21", "2e-7").
func (d decimal) String() string {
	sign := ""
	if d.mant.Sign() < 0 {
		sign = "-"
	}
	s := new(big.Int).Abs(d.mant).String()
	if !d.sci {
		scale := int(-d.exp)
		if scale <= 0 {
			return sign + s + strings.Repeat("0", -scale)
		}
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		return sign + s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if d.mant.Sign() == 0 {
		return "0"
	}
	trimmed := strings.TrimRight(s, "0")
	exp := d.exp + int64(len(s)-len(trimmed))
	s = trimmed
	k := int64(len(s))
	n := exp + k // the decimal point comes after n digits
	switch {
	case k <= n && n <= 21:
		return sign + s + strings.Repeat("0", int(n-k))
	case 0 < n && n <= 21:
		return sign + s[:n] + "." + s[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", int(-n)) + s
	}
	mant := s[:1]
	if k > 1 {
		mant += "." + s[1:]
	}
	e := n - 1
	if e >= 0 {
		return sign + mant + "e+" + strconv.FormatInt(e, 10)
	}
	return sign + mant + "e-" + strconv.FormatInt(-e, 10)
}
