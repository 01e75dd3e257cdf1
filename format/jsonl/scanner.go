package jsonlfmt

import (
	"errors"
	"fmt"
)

// kind is the JSON type of a scanned value.
type kind uint8

const (
	kNull kind = iota
	kTrue
	kFalse
	kNumber
	kString
	kObject
	kArray
)

var kindNames = [...]string{"null", "true", "false", "number", "string", "object", "array"}

func (k kind) String() string { return kindNames[k] }

// maxDepth bounds nesting so a hostile line cannot exhaust the stack.
const maxDepth = 512

var errEOL = errors.New("unexpected end of line")

// scanner walks one line of JSON. It validates everything it passes over
// and returns values as byte slices: strings unescaped (into a reused
// buffer when they have escapes), everything else as raw text.
type scanner struct {
	b       []byte
	pos     int
	scratch []byte
}

func (s *scanner) reset(b []byte) { s.b, s.pos = b, 0 }

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at column %d: "+format, append([]any{s.pos + 1}, args...)...)
}

func (s *scanner) skipWS() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// consume skips whitespace and then c if it is next.
func (s *scanner) consume(c byte) bool {
	s.skipWS()
	if s.pos < len(s.b) && s.b[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

func (s *scanner) atEnd() bool { s.skipWS(); return s.pos == len(s.b) }

// value scans the next value.
func (s *scanner) value() (kind, []byte, error) {
	s.skipWS()
	if s.pos >= len(s.b) {
		return 0, nil, s.errorf("%v", errEOL)
	}
	start := s.pos
	switch c := s.b[s.pos]; {
	case c == '"':
		v, err := s.str()
		return kString, v, err
	case c == '{' || c == '[':
		err := s.composite(0)
		k := kObject
		if c == '[' {
			k = kArray
		}
		return k, s.b[start:s.pos], err
	case c == 't':
		return s.literal(kTrue, "true")
	case c == 'f':
		return s.literal(kFalse, "false")
	case c == 'n':
		return s.literal(kNull, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		v, err := s.number()
		return kNumber, v, err
	}
	return 0, nil, s.errorf("unexpected character %q", s.b[s.pos])
}

func (s *scanner) literal(k kind, w string) (kind, []byte, error) {
	start := s.pos
	if err := s.word(w); err != nil {
		return 0, nil, err
	}
	return k, s.b[start:s.pos], nil
}

func (s *scanner) word(w string) error {
	if len(s.b)-s.pos < len(w) || string(s.b[s.pos:s.pos+len(w)]) != w {
		return s.errorf("invalid literal")
	}
	s.pos += len(w)
	return nil
}

// number scans the JSON number grammar and returns its text.
func (s *scanner) number() ([]byte, error) {
	start := s.pos
	if s.b[s.pos] == '-' {
		s.pos++
	}
	if !s.digits(true) {
		return nil, s.errorf("malformed number")
	}
	if s.pos < len(s.b) && s.b[s.pos] == '.' {
		s.pos++
		if !s.digits(false) {
			return nil, s.errorf("malformed number")
		}
	}
	if s.pos < len(s.b) && (s.b[s.pos] == 'e' || s.b[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.b) && (s.b[s.pos] == '+' || s.b[s.pos] == '-') {
			s.pos++
		}
		if !s.digits(false) {
			return nil, s.errorf("malformed number")
		}
	}
	return s.b[start:s.pos], nil
}

// digits scans one or more digits; an integer part may not have a
// leading zero followed by more digits.
func (s *scanner) digits(intPart bool) bool {
	start := s.pos
	for s.pos < len(s.b) && s.b[s.pos] >= '0' && s.b[s.pos] <= '9' {
		s.pos++
	}
	n := s.pos - start
	return n > 0 && !(intPart && n > 1 && s.b[start] == '0')
}

// composite validates an object or array and leaves pos after it.
func (s *scanner) composite(depth int) error {
	if depth > maxDepth {
		return s.errorf("nesting deeper than %d", maxDepth)
	}
	closer := byte(']')
	isObj := s.b[s.pos] == '{'
	if isObj {
		closer = '}'
	}
	s.pos++
	if s.consume(closer) {
		return nil
	}
	for {
		if isObj {
			if _, err := s.key(); err != nil {
				return err
			}
		}
		if err := s.anyValue(depth + 1); err != nil {
			return err
		}
		if s.consume(',') {
			continue
		}
		if s.consume(closer) {
			return nil
		}
		return s.errorf("expected ',' or %q", closer)
	}
}

// key scans an object key and the colon after it.
func (s *scanner) key() ([]byte, error) {
	s.skipWS()
	if s.pos >= len(s.b) || s.b[s.pos] != '"' {
		return nil, s.errorf("expected a string key")
	}
	k, err := s.str()
	if err != nil {
		return nil, err
	}
	if !s.consume(':') {
		return nil, s.errorf("expected ':'")
	}
	return k, nil
}

// object scans a line holding exactly one object. member is called for
// each key with the scanner at its value, which it must consume; the key
// is valid only until then.
func (s *scanner) object(line []byte, member func(key []byte) error) error {
	s.reset(line)
	if !s.consume('{') {
		return s.errorf("expected a JSON object")
	}
	for more := !s.consume('}'); more; {
		k, err := s.key()
		if err != nil {
			return err
		}
		if err := member(k); err != nil {
			return err
		}
		switch {
		case s.consume(','):
		case s.consume('}'):
			more = false
		default:
			return s.errorf("expected ',' or '}'")
		}
	}
	if !s.atEnd() {
		return s.errorf("unexpected data after the object")
	}
	return nil
}

// anyValue validates and skips one value.
func (s *scanner) anyValue(depth int) error {
	s.skipWS()
	if s.pos < len(s.b) && (s.b[s.pos] == '{' || s.b[s.pos] == '[') {
		return s.composite(depth)
	}
	_, _, err := s.value()
	return err
}
