package reason

import (
	"errors"
	"fmt"
	"slices"

	"github.com/opsync/integrationlogs/runlog"
)

// ErrDuplicateCode is returned, wrapped, by NewCatalog when a code is given
// twice or is already built in.
var ErrDuplicateCode = errors.New("reason: duplicate code")

// Catalog holds the infos of the built-in reason codes and of a host's own.
// It cannot change once built, so one Catalog is safe for concurrent use by
// any number of goroutines. A nil or zero Catalog holds the built-ins alone.
type Catalog struct {
	infos []Info                    // built-ins first, then the host's, in order
	index map[runlog.ReasonCode]int // code to position in infos
}

// builtin is the catalogue behind the package functions.
var builtin = mustCatalog()

// NewCatalog returns a catalogue of the built-in codes followed by infos, in
// the order given. An info whose code is built in or given twice gives an
// error wrapping ErrDuplicateCode; an info with no code, no meaning or an
// unknown outcome gives one wrapping ErrInvalidInfo.
func NewCatalog(infos ...Info) (*Catalog, error) {
	c := &Catalog{
		infos: make([]Info, 0, len(builtins)+len(infos)),
		index: make(map[runlog.ReasonCode]int, len(builtins)+len(infos)),
	}
	for _, i := range slices.Concat(builtins, infos) {
		if err := i.validate(); err != nil {
			return nil, err
		}
		if _, dup := c.index[i.Code]; dup {
			return nil, fmt.Errorf("%w: %q", ErrDuplicateCode, i.Code)
		}
		c.index[i.Code] = len(c.infos)
		c.infos = append(c.infos, i)
	}
	return c, nil
}

// mustCatalog returns the built-in catalogue; the built-ins are valid, and
// the package tests make sure of it.
func mustCatalog() *Catalog {
	c, err := NewCatalog()
	if err != nil {
		panic(err)
	}
	return c
}

// or returns c, or the built-in catalogue when c is nil or zero.
func (c *Catalog) or() *Catalog {
	if c == nil || c.index == nil {
		return builtin
	}
	return c
}

// Lookup returns the info of code and whether the catalogue holds it.
func (c *Catalog) Lookup(code runlog.ReasonCode) (Info, bool) {
	c = c.or()
	i, ok := c.index[code]
	if !ok {
		return Info{}, false
	}
	return c.infos[i], true
}

// All returns every info in the catalogue: the built-ins in the order of
// runlog.ReasonCodes, then the host's in the order given to NewCatalog. The
// slice is a copy.
func (c *Catalog) All() []Info { return slices.Clone(c.or().infos) }

// Lookup returns the info of a built-in code and whether code is one.
func Lookup(code runlog.ReasonCode) (Info, bool) { return builtin.Lookup(code) }

// All returns the infos of the built-in codes in the order of
// runlog.ReasonCodes. The slice is a copy.
func All() []Info { return builtin.All() }
