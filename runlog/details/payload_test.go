package details_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
)

func TestNewPayload(t *testing.T) {
	pathErr := &fs.PathError{Op: "open", Path: "/etc/sync.yaml", Err: fs.ErrNotExist}
	chain := error(errors.New("root cause"))
	for i := 1; i <= 7; i++ {
		chain = fmt.Errorf("layer %d: %w", i, chain)
	}
	for _, tc := range []struct {
		name string
		err  error
		want details.Payload
	}{
		{"Nil", nil, details.Payload{}},
		{"Plain", errors.New("boom"), details.Payload{Type: "*errors.errorString", Message: "boom"}},
		{"Wrapped", fmt.Errorf("load config: %w", pathErr), details.Payload{
			Type: "*fmt.wrapError", Message: "load config: open /etc/sync.yaml: file does not exist",
			Previous: []details.Exception{
				{Type: "*fs.PathError", Message: "open /etc/sync.yaml: file does not exist"},
				{Type: "*errors.errorString", Message: "file does not exist"},
			},
		}},
		{"Long", chain, details.Payload{
			Type: "*fmt.wrapError", Message: "layer 7: layer 6: layer 5: layer 4: layer 3: layer 2: layer 1: root cause",
			Previous: []details.Exception{
				{Type: "*fmt.wrapError", Message: "layer 6: layer 5: layer 4: layer 3: layer 2: layer 1: root cause"},
				{Type: "*fmt.wrapError", Message: "layer 5: layer 4: layer 3: layer 2: layer 1: root cause"},
				{Type: "*fmt.wrapError", Message: "layer 4: layer 3: layer 2: layer 1: root cause"},
				{Type: "*fmt.wrapError", Message: "layer 3: layer 2: layer 1: root cause"},
				{Type: "*fmt.wrapError", Message: "layer 2: layer 1: root cause"},
			},
			PreviousOmitted: 2,
		}},
		{"Joined", errors.Join(errors.New("a"), errors.New("b")), details.Payload{
			Type: "*errors.joinError", Message: "a\nb",
			Previous: []details.Exception{{Type: "*errors.errorString", Message: "a"}, {Type: "*errors.errorString", Message: "b"}},
		}},
		{"Tree", // each cause before the causes it wraps, in order
			fmt.Errorf("sync: %w", errors.Join(fmt.Errorf("a: %w", errors.New("a1")), fmt.Errorf("b: %w and %w", errors.New("b1"), errors.New("b2")))),
			details.Payload{
				Type: "*fmt.wrapError", Message: "sync: a: a1\nb: b1 and b2",
				Previous: []details.Exception{
					{Type: "*errors.joinError", Message: "a: a1\nb: b1 and b2"},
					{Type: "*fmt.wrapError", Message: "a: a1"},
					{Type: "*errors.errorString", Message: "a1"},
					{Type: "*fmt.wrapErrors", Message: "b: b1 and b2"},
					{Type: "*errors.errorString", Message: "b1"},
				},
				PreviousOmitted: 1,
			}},
		{"NilInJoin", multiErr{errs: []error{nil, errors.New("x"), nil}}, details.Payload{
			Type: "details_test.multiErr", Message: "many", Previous: []details.Exception{{Type: "*errors.errorString", Message: "x"}},
		}},
		{"WideTree", multiErr{errs: slices.Repeat([]error{errors.New("x")}, 1_000_000)},
			details.Payload{Type: "details_test.multiErr", Message: "many", Previous: slices.Repeat([]details.Exception{{Type: "*errors.errorString", Message: "x"}}, 5),
				PreviousOmitted: details.MaxDepth - details.PreviousExceptions}},
		{"LoopingTree", loopTree{}, details.Payload{
			Type: "details_test.loopTree", Message: "tree",
			Previous: slices.Repeat([]details.Exception{{Type: "details_test.loopTree", Message: "tree"}}, 5), PreviousOmitted: details.MaxDepth - details.PreviousExceptions,
		}},
		{"Panics", fmt.Errorf("wrap: %w", panicky{}), details.Payload{
			Type: "*fmt.wrapError", Message: "wrap: %!v(PANIC=Error method: boom)", // fmt caught it first
			Previous: []details.Exception{{Type: "details_test.panicky", Message: "(details_test.panicky.Error panicked: boom)"}},
		}},
		{"Loop", loopErr{}, details.Payload{
			Type: "details_test.loopErr", Message: "loops",
			Previous: []details.Exception{
				{Type: "details_test.loopErr", Message: "loops"}, {Type: "details_test.loopErr", Message: "loops"},
				{Type: "details_test.loopErr", Message: "loops"}, {Type: "details_test.loopErr", Message: "loops"},
				{Type: "details_test.loopErr", Message: "loops"},
			},
			PreviousOmitted: details.MaxDepth - details.PreviousExceptions,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := details.NewPayload(tc.err)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("NewPayload() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// loopErr unwraps to itself: a chain that never ends.
type loopErr struct{}

func (loopErr) Error() string { return "loops" }
func (loopErr) Unwrap() error { return loopErr{} }

// multiErr wraps several errors, nil ones included.
type multiErr struct{ errs []error }

func (multiErr) Error() string     { return "many" }
func (e multiErr) Unwrap() []error { return e.errs }

// loopTree holds itself, twice: a tree that never ends.
type loopTree struct{}

func (loopTree) Error() string   { return "tree" }
func (loopTree) Unwrap() []error { return []error{loopTree{}, loopTree{}} }

// panicky's methods panic.
type panicky struct{}

func (panicky) Error() string { panic("boom") }
func (panicky) Unwrap() error { panic("boom") }

// TestNewPayload_RoundTrip checks that a stored Payload reads back as the
// same chain.
func TestNewPayload_RoundTrip(t *testing.T) {
	err := error(errors.New("dial tcp 10.0.0.7:5432: connect: connection refused"))
	for i := range 8 {
		err = fmt.Errorf("step %d: %w", i, err)
	}
	p := details.NewPayload(err)
	p.Trace = "main.sync\n\tsync.go:12"
	raw, jerr := json.Marshal(p)
	if jerr != nil {
		t.Fatal(jerr)
	}
	c := details.Expand(runlog.Entry{ErrorPayload: raw})
	want := append([]details.Exception{{Type: p.Type, Message: p.Message, Trace: p.Trace}}, p.Previous...)
	if diff := cmp.Diff(want, c.Exceptions); diff != "" {
		t.Errorf("Exceptions mismatch (-want +got):\n%s", diff)
	}
	if c.MoreExceptions != p.PreviousOmitted || c.PayloadErr != nil {
		t.Errorf("MoreExceptions, PayloadErr = %d, %v; want %d, nil", c.MoreExceptions, c.PayloadErr, p.PreviousOmitted)
	}
}

// laravelChain returns a Laravel-style payload whose previous exceptions
// nest n deep.
func laravelChain(n int) string {
	var b strings.Builder
	for i := range n + 1 {
		fmt.Fprintf(&b, `{"class":"E%d","message":"level %d","previous":`, i, i)
	}
	b.WriteString("null")
	b.WriteString(strings.Repeat("}", n+1))
	return b.String()
}

// laravelExceptions returns the first n exceptions of a laravelChain.
func laravelExceptions(n int) []details.Exception {
	var list []details.Exception
	for i := range n {
		list = append(list, details.Exception{Type: fmt.Sprintf("E%d", i), Message: fmt.Sprintf("level %d", i)})
	}
	return list
}

// deepestChain is the deepest laravelChain the package reads: each level
// is one object.
const deepestChain = details.MaxDepth - 1

func TestExpand_Payload(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		payload   string
		want      []details.Exception
		wantMore  int
		wantErr   error
	}{
		{"None", "no payload stored", "", nil, 0, nil},
		{"Null", "a NULL column", "null", nil, 0, nil},
		{"Own", "this library's shape",
			`{"type":"ReconcileError","message":"3 records matched twice","trace":"reconcile.Run\n\tmatcher.go:88","previous":[{"type":"*pgconn.PgError","message":"deadlock detected","trace":"store.Lock"},{"type":"*net.OpError","message":"i/o timeout"}],"previous_omitted":4}`,
			[]details.Exception{
				{Type: "ReconcileError", Message: "3 records matched twice", Trace: "reconcile.Run\n\tmatcher.go:88"},
				{Type: "*pgconn.PgError", Message: "deadlock detected", Trace: "store.Lock"},
				{Type: "*net.OpError", Message: "i/o timeout"},
			}, 4, nil},
		{"OwnLongList", "a list longer than five is cut, the rest counted",
			`{"type":"T","message":"m","previous":["p1","p2","p3","p4","p5","p6","p7"],"previous_omitted":10}`,
			[]details.Exception{{Type: "T", Message: "m"}, {Message: "p1"}, {Message: "p2"}, {Message: "p3"}, {Message: "p4"}, {Message: "p5"}},
			12, nil},
		{"Laravel", "message, exception as the class name, trace frames",
			`{"message":"cURL error 28: Operation timed out","exception":"GuzzleHttp\\Exception\\ConnectException","trace":[{"file":"/app/Vendor/Client.php","line":114},{"file":"/app/Jobs/Extract.php","line":61,"class":"App\\Jobs\\Extract","type":"->","function":"handle"},{"class":"Illuminate\\Bus\\Dispatcher","type":"::","function":"dispatchNow"},"#3 {main}",42]}`,
			[]details.Exception{{Type: `GuzzleHttp\Exception\ConnectException`, Message: "cURL error 28: Operation timed out",
				Trace: "/app/Vendor/Client.php:114\nApp\\Jobs\\Extract->handle() at /app/Jobs/Extract.php:61\nIlluminate\\Bus\\Dispatcher::dispatchNow()\n#3 {main}\n42"}},
			0, nil},
		{"LaravelNested", "previous nested as objects, ten deep: five shown, the rest counted",
			laravelChain(10),
			[]details.Exception{{Type: "E0", Message: "level 0"}, {Type: "E1", Message: "level 1"}, {Type: "E2", Message: "level 2"},
				{Type: "E3", Message: "level 3"}, {Type: "E4", Message: "level 4"}, {Type: "E5", Message: "level 5"}},
			5, nil},
		{"LaravelDeepChain", "a chain 300 deep is walked, and counted",
			laravelChain(300),
			[]details.Exception{{Type: "E0", Message: "level 0"}, {Type: "E1", Message: "level 1"}, {Type: "E2", Message: "level 2"},
				{Type: "E3", Message: "level 3"}, {Type: "E4", Message: "level 4"}, {Type: "E5", Message: "level 5"}},
			295, nil},
		{"ExceptionObject", "an exception object logged under \"exception\" is read in its wrapper's place",
			`{"message":"Sync failed","exception":{"class":"PDOException","message":"SQLSTATE[HY000] [2002] Connection refused","code":2002,"trace":["/app/db.php:10"],"previous":{"class":"RuntimeException","message":"socket closed"}}}`,
			[]details.Exception{
				{Type: "PDOException", Message: "SQLSTATE[HY000] [2002] Connection refused", Trace: "/app/db.php:10"},
				{Type: "RuntimeException", Message: "socket closed"},
			}, 0, nil},
		{"Aliases", "class and stack, any case; type wins over class",
			`{"Class":"C","TYPE":"T","Message":"m","Stack":"s1\ns2"}`,
			[]details.Exception{{Type: "T", Message: "m", Trace: "s1\ns2"}}, 0, nil},
		{"FirstWins", "a field given twice: the first counts",
			`{"message":"first","message":"second"}`, []details.Exception{{Message: "first"}}, 0, nil},
		{"String", "a bare string is a message", `"boom\r\nagain"`, []details.Exception{{Message: "boom\nagain"}}, 0, nil},
		{"NonStringFields", "numbers and objects show as JSON",
			`{"type":7,"message":{"en":"boom"},"trace":{"frames":2}}`,
			[]details.Exception{{Type: "7", Message: `{"en":"boom"}`, Trace: `{"frames":2}`}}, 0, nil},
		{"Controls", "control characters are U+FFFD; lines stay in messages, not in types",
			`{"type":"A\nB","message":"x\u0000y\n\tz","trace":"\u001b[31m"}`,
			[]details.Exception{{Type: "A B", Message: "x\uFFFDy\n\tz", Trace: "\uFFFD[31m"}}, 0, nil},
		{"InvalidUTF8", "invalid bytes are U+FFFD", "{\"message\":\"\xff\"}", []details.Exception{{Message: "\uFFFD"}}, 0, nil},
		{"OddPrevious", "a previous that is no exception shows as JSON", `{"message":"m","previous":[42,{"x":1}]}`,
			[]details.Exception{{Message: "m"}, {Message: "42"}, {Message: `{"x":1}`}}, 0, nil},
		{"BadOmitted", "a previous_omitted that is no count is ignored", `{"message":"m","previous_omitted":-3}`,
			[]details.Exception{{Message: "m"}}, 0, nil},
		{"Unknown", "valid JSON without exception fields", `{"foo":1}`, nil, 0, details.ErrNoException},
		{"Array", "a list is no exception", `[{"message":"m"}]`, nil, 0, details.ErrNoException},
		{"Malformed", "malformed JSON gives no exceptions", `{"message":"m",`, nil, 0, details.ErrMalformedJSON},
		{"CountedOmitted", "a counted exception's previous_omitted counts too",
			strings.Replace(laravelChain(7), `"level 7",`, `"level 7","previous_omitted":3,`, 1),
			laravelExceptions(6), 2 + 3, nil},
		{"CountedWrapper", "a counted exception is read like a shown one: the exception object it wraps leads on",
			strings.Replace(laravelChain(6), `"previous":null`, `"previous":{"message":"wrapper","exception":{"class":"Inner","previous":{"class":"Deep","previous":[{"class":"A"},{"class":"B"}]}}}`, 1),
			laravelExceptions(6), 1 + 4, nil},
		{"MaxDepthChain", "a chain as deep as the package reads",
			laravelChain(deepestChain), laravelExceptions(6), deepestChain - 5, nil},
		{"Deep", "nesting 100,000 deep is refused", strings.Repeat(`{"previous":`, 100_000) + "null" + strings.Repeat("}", 100_000),
			nil, 0, details.ErrTooDeep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := details.Expand(runlog.Entry{ErrorPayload: json.RawMessage(tc.payload)})
			if diff := cmp.Diff(tc.want, c.Exceptions); diff != "" {
				t.Errorf("%s: Exceptions mismatch (-want +got):\n%s", tc.why, diff)
			}
			if c.MoreExceptions != tc.wantMore {
				t.Errorf("%s: MoreExceptions = %d, want %d", tc.why, c.MoreExceptions, tc.wantMore)
			}
			if diff := cmp.Diff(tc.wantErr, c.PayloadErr, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("%s: PayloadErr mismatch (-want +got):\n%s", tc.why, diff)
			}
		})
	}
}
