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
	// raw tells apart members whose keys join to the same dotted key, when
	// a key holds a dot: {"a.b": 1} and {"a": {"b": 2}}. It is the quoted
	// keys of the member's path when one of them holds a dot, else empty.
	raw string
}

// leaves is a flattened metrics object: its members in document order, each
// key once.
type leaves struct {
	list    []leaf
	index   map[string]int // key to position in list
	clashed bool           // two members had the same dotted key
}

// add sets key to l. A key given twice keeps its first place and takes the
// last value, as encoding/json reads an object that names a key twice; so
// does a dotted key that two members' paths join to, and clashed records
// it.
func (ls *leaves) add(l leaf) {
	if i, ok := ls.index[l.key]; ok {
		if ls.list[i].raw != l.raw {
			ls.clashed = true
		}
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

// object is an object flatten has entered.
type object struct {
	key     string // its dotted key
	raw     string // its leaf.raw
	members int    // members read so far
}

// flatten returns the members of a metrics object as leaves: the members of
// nested objects under dotted keys ("dropped.missing_serial"), every other
// value (a number, a string, true, false, null, an array, an empty object)
// under its key. Arrays are not entered. Metrics that are absent (empty,
// white space or null) give no leaves. The notes say what could not be
// read: metrics that are not valid JSON or not an object give no leaves;
// members nested deeper than MaxKeyDepth or with keys longer than
// MaxKeyBytes are left out; two members whose keys join to the same dotted
// key (one with a dot in it) are compared as one, the last. An object named
// twice under one key is read as one, its members merged.
//
// Its cost is linear in the size of metrics: no key longer than
// MaxKeyBytes is built.
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
	_, _ = dec.Token()   // the opening brace; the document is valid JSON
	path := []object{{}} // the objects entered, the whole document first
	tooDeep, tooLong := false, false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		parent := &path[len(path)-1]
		if tok == json.Delim('}') {
			if len(path) == 1 {
				break
			}
			if parent.members == 0 {
				ls.add(leaf{key: parent.key, raw: parent.raw}) // an empty object
			}
			path = path[:len(path)-1]
			continue
		}
		parent.members++
		name, _ := tok.(string)
		value, _ := dec.Token()
		_, isDelim := value.(json.Delim)
		// The key, built only when it is short enough to compare.
		size := len(name)
		if len(path) > 1 {
			size += len(parent.key) + 1
		}
		if size > MaxKeyBytes {
			if isDelim {
				skip(dec)
			}
			tooLong = true
			continue
		}
		key, raw := name, ""
		if len(path) > 1 {
			key = parent.key + "." + name
		}
		if parent.raw != "" || strings.Contains(name, ".") {
			raw = parent.raw + strconv.Quote(name)
			if parent.raw == "" && len(path) > 1 {
				raw = quotePath(parent.key) + raw
			}
		}
		switch v := value.(type) {
		case json.Delim:
			if v == '{' && len(path) < MaxKeyDepth {
				path = append(path, object{key: key, raw: raw})
				continue
			}
			skip(dec)
			if v == '{' {
				tooDeep = true
				continue
			}
			ls.add(leaf{key: key, raw: raw})
		case json.Number:
			ls.add(leaf{key: key, num: v, isNum: true, raw: raw})
		default:
			ls.add(leaf{key: key, raw: raw})
		}
	}
	if tooDeep {
		notes = append(notes, "members nested more than "+strconv.Itoa(MaxKeyDepth)+" levels deep are not compared")
	}
	if tooLong {
		notes = append(notes, "members with keys longer than "+strconv.Itoa(MaxKeyBytes)+" bytes are not compared")
	}
	if ls.clashed {
		notes = append(notes, "members whose keys join to the same dotted key (a key holds a dot) are compared as one, the last")
	}
	return ls, notes
}

// quotePath returns the leaf.raw of a dotted key none of whose keys holds a
// dot: each key quoted.
func quotePath(key string) string {
	var b strings.Builder
	for k := range strings.SplitSeq(key, ".") {
		b.WriteString(strconv.Quote(k))
	}
	return b.String()
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
