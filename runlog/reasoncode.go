package runlog

import "slices"

// ReasonCode says why the decide stage chose what it did for one record.
// Package reason gives each code its meaning and outcome; hosts may add codes
// of their own there.
type ReasonCode string

// The built-in reason codes.
const (
	// ReasonLinkFoundByExternalID: the record matched an existing link.
	ReasonLinkFoundByExternalID ReasonCode = "LINK_FOUND_BY_EXTERNAL_ID"
	// ReasonMediumMatchRequiresReview: a likely but unsure match.
	ReasonMediumMatchRequiresReview ReasonCode = "MEDIUM_MATCH_REQUIRES_REVIEW"
	// ReasonAmbiguousMatchMultipleDevices: several local devices matched.
	ReasonAmbiguousMatchMultipleDevices ReasonCode = "AMBIGUOUS_MATCH_MULTIPLE_DEVICES"
	// ReasonNoMatchCreateCandidate: nothing matched; a new device is proposed.
	ReasonNoMatchCreateCandidate ReasonCode = "NO_MATCH_CREATE_CANDIDATE"
)

var reasonCodes = []ReasonCode{
	ReasonLinkFoundByExternalID, ReasonMediumMatchRequiresReview,
	ReasonAmbiguousMatchMultipleDevices, ReasonNoMatchCreateCandidate,
}

// ReasonCodes returns the built-in reason codes. The slice is a copy.
func ReasonCodes() []ReasonCode { return slices.Clone(reasonCodes) }

// Valid reports whether c is a built-in reason code. A host's own codes are
// not Valid here; look them up in a reason.Catalog.
func (c ReasonCode) Valid() bool { return slices.Contains(reasonCodes, c) }

// ParseReasonCode returns the built-in reason code named s. An unknown name
// gives an error wrapping ErrUnknownValue.
func ParseReasonCode(s string) (ReasonCode, error) { return parse("reason code", s, reasonCodes) }
