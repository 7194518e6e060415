package sqlstore

// redactJSON redacts a JSON document with the Store's rules and returns it
// with how many values were redacted.
func (s *Store) redactJSON(doc []byte) ([]byte, int) { return s.redactor.JSON(doc) }

// redactText redacts text with the Store's rules.
func (s *Store) redactText(t string) (string, int) { return s.redactor.String(t) }
