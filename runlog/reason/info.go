package reason

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog"
)

// ErrInvalidInfo is returned, wrapped, by NewCatalog for an Info that has no
// code, no meaning, an unknown outcome or text that is not valid UTF-8.
var ErrInvalidInfo = errors.New("reason: invalid info")

// Info explains one reason code. The JSON names suit an HTTP response.
type Info struct {
	Code        runlog.ReasonCode `json:"code"`
	Meaning     string            `json:"meaning"`      // plain English, including what apply does
	Outcome     Outcome           `json:"outcome"`      // what the decision does when applied
	Writes      bool              `json:"writes"`       // whether applying the decision writes anything
	NeedsReview bool              `json:"needs_review"` // whether a person must look at it first
}

// builtins are the built-in codes' infos, in the order of runlog.ReasonCodes.
var builtins = []Info{
	{
		Code:    runlog.ReasonLinkFoundByExternalID,
		Meaning: "The record's external ID matched a device it is already linked to; apply updates that device.",
		Outcome: OutcomeUpdate, Writes: true,
	},
	{
		Code:    runlog.ReasonMediumMatchRequiresReview,
		Meaning: "The record looks like a local device, but not surely enough to link them; apply writes nothing until someone reviews it.",
		Outcome: OutcomeConflict, NeedsReview: true,
	},
	{
		Code:    runlog.ReasonAmbiguousMatchMultipleDevices,
		Meaning: "The record matches more than one local device; apply writes nothing until someone picks the right one.",
		Outcome: OutcomeConflict, NeedsReview: true,
	},
	{
		Code:    runlog.ReasonNoMatchCreateCandidate,
		Meaning: "No local device matched the record; apply creates a new device and links it.",
		Outcome: OutcomeCreate, Writes: true,
	},
}

// validate returns an error wrapping ErrInvalidInfo when i cannot join a
// catalogue.
func (i Info) validate() error {
	switch {
	case i.Code == "":
		return fmt.Errorf("%w: empty code", ErrInvalidInfo)
	case !utf8.ValidString(string(i.Code)):
		return fmt.Errorf("%w: code %q is not valid UTF-8", ErrInvalidInfo, i.Code)
	case !i.Outcome.Valid():
		return fmt.Errorf("%w: %s: outcome %q (want one of %s)", ErrInvalidInfo, i.Code, string(i.Outcome), outcomeList())
	case i.Meaning == "":
		return fmt.Errorf("%w: %s: empty meaning", ErrInvalidInfo, i.Code)
	case !utf8.ValidString(i.Meaning):
		return fmt.Errorf("%w: %s: meaning is not valid UTF-8", ErrInvalidInfo, i.Code)
	}
	return nil
}
