package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Limits of the flattening of metrics objects.
const (
	// MaxKeyDepth is the deepest nesting of objects Compare flattens: a
	// member of an object nested deeper is not compared, and the stage notes
	// it.
	MaxKeyDepth = 32
	// MaxKeyBytes is the longest dotted key Compare compares; a member with a
	// longer key is not compared, and the stage notes it.
	MaxKeyBytes = 1024
)

// leaf is one member of a flattened metrics object.
type leaf struct {
	key   string      // the dotted key
	num   json.Number // the value as written, when it is a number
	isNum bool
}

// leaves is a flattened metrics object: its members in document order, each
// key once.
type leaves struct {
	list  []leaf
	index map[string]int // key to position in list
}

// add sets key to l. A key given twice keeps its first place and takes the
// last value, as encoding/json reads an object that names a key twice.
func (ls *leaves) add(l leaf) {
	if i, ok := ls.index[l.key]; ok {
		ls.list[i] = l
		return
	}
	ls.index[l.key] = len(ls.list)
	ls.list = append(ls.list, l)
}

// get returns the member named key.
func (ls *leaves) get(key string) (leaf, bool) {
	i, ok := ls.index[key]
	if !ok {
		return leaf{}, false
	}
	return ls.list[i], true
}

// flatten returns the members of a metrics object as leaves: the members of
// nested objects under dotted keys ("dropped.missing_serial"), every other
// value (a number, a string, true, false, null, an array) under its key.
// Arrays are not entered. Metrics that are absent (empty, white space or
// null) give no leaves. The notes say what could not be read: metrics that
// are not valid JSON or not an object give no leaves; members nested deeper
// than MaxKeyDepth or with keys longer than MaxKeyBytes are left out.
func flatten(metrics []byte) (ls leaves, notes []string) {
	ls.index = map[string]int{}
	trimmed := trimJSON(metrics)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return ls, nil
	}
	if !json.Valid(trimmed) {
		return ls, []string{"metrics are not valid JSON"}
	}
	if trimmed[0] != '{' {
		return ls, []string{"metrics are not a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	_, _ = dec.Token() // the opening brace; the document is valid JSON
	var path []string  // the keys of the objects entered
	tooDeep, tooLong := false, false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if tok == json.Delim('}') {
			if len(path) == 0 {
				break
			}
			path = path[:len(path)-1]
			continue
		}
		name, _ := tok.(string)
		key := strings.Join(append(path, name), ".")
		value, _ := dec.Token()
		switch v := value.(type) {
		case json.Delim:
			if v == '{' && len(path)+1 < MaxKeyDepth {
				path = append(path, name)
				continue
			}
			skip(dec)
			if v == '{' {
				tooDeep = true
				continue
			}
			if len(key) > MaxKeyBytes {
				tooLong = true
				continue
			}
			ls.add(leaf{key: key})
		case json.Number:
			if len(key) > MaxKeyBytes {
				tooLong = true
				continue
			}
			ls.add(leaf{key: key, num: v, isNum: true})
		default:
			if len(key) > MaxKeyBytes {
				tooLong = true
				continue
			}
			ls.add(leaf{key: key})
		}
	}
	if tooDeep {
		notes = append(notes, "members nested more than "+strconv.Itoa(MaxKeyDepth)+" levels deep are not compared")
	}
	if tooLong {
		notes = append(notes, "members with keys longer than "+strconv.Itoa(MaxKeyBytes)+" bytes are not compared")
	}
	return ls, notes
}

// skip reads the rest of the object or array whose opening delimiter dec
// has just returned.
func skip(dec *json.Decoder) {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// trimJSON returns raw without the white space JSON allows around a value
// (space, tab, line feed, carriage return), and no other.
func trimJSON(raw []byte) []byte { return bytes.Trim(raw, " \t\r\n") }
