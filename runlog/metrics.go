package runlog

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Metrics is an ordered set of named values, for callers that build a stage
// row's metrics as they go: it encodes to a JSON object whose members keep
// the order in which their keys were first set, which is the order the
// Details cell and the card show them in. (A struct keeps its field order
// too; a map does not.) The zero value is empty and ready to use.
type Metrics struct {
	keys   []string
	values []any
}

// Set sets key to value: in place when key is set already, else after the
// keys set before. value is encoded with encoding/json. It returns m, so
// that calls chain.
func (m *Metrics) Set(key string, value any) *Metrics {
	if i := slices.Index(m.keys, key); i >= 0 {
		m.values[i] = value
		return m
	}
	m.keys = append(m.keys, key)
	m.values = append(m.values, value)
	return m
}

// Get returns the value of key, and whether it is set.
func (m *Metrics) Get(key string) (any, bool) {
	if i := slices.Index(m.keys, key); i >= 0 {
		return m.values[i], true
	}
	return nil, false
}

// Len returns the number of keys set.
func (m *Metrics) Len() int { return len(m.keys) }

// MarshalJSON encodes m as a JSON object, members in the order their keys
// were first set. A value encoding/json cannot encode gives its error.
func (m Metrics) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		value, err := json.Marshal(m.values[i])
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
