package jsonlfmt

import (
	"unicode/utf16"
	"unicode/utf8"
)

// str scans a string starting at its opening quote and returns its
// content. Without escapes it is a slice of the line; with escapes it is
// decoded into the scanner's scratch buffer, valid until the next string.
func (s *scanner) str() ([]byte, error) {
	s.pos++
	start := s.pos
	for s.pos < len(s.b) {
		switch c := s.b[s.pos]; {
		case c == '"':
			s.pos++
			return s.b[start : s.pos-1], nil
		case c == '\\':
			s.scratch = append(s.scratch[:0], s.b[start:s.pos]...)
			return s.escaped()
		case c < 0x20:
			return nil, s.errorf("control character in string")
		}
		s.pos++
	}
	return nil, s.errorf("unterminated string")
}

// escaped continues a string after its first backslash.
func (s *scanner) escaped() ([]byte, error) {
	for s.pos < len(s.b) {
		c := s.b[s.pos]
		switch {
		case c == '"':
			s.pos++
			return s.scratch, nil
		case c < 0x20:
			return nil, s.errorf("control character in string")
		case c != '\\':
			s.scratch = append(s.scratch, c)
			s.pos++
			continue
		}
		if err := s.escape(); err != nil {
			return nil, err
		}
	}
	return nil, s.errorf("unterminated string")
}

// escape decodes one escape sequence at pos.
func (s *scanner) escape() error {
	if s.pos+1 >= len(s.b) {
		return s.errorf("unterminated string")
	}
	c := s.b[s.pos+1]
	s.pos += 2
	switch c {
	case '"', '\\', '/':
		s.scratch = append(s.scratch, c)
	case 'b':
		s.scratch = append(s.scratch, '\b')
	case 'f':
		s.scratch = append(s.scratch, '\f')
	case 'n':
		s.scratch = append(s.scratch, '\n')
	case 'r':
		s.scratch = append(s.scratch, '\r')
	case 't':
		s.scratch = append(s.scratch, '\t')
	case 'u':
		return s.unicode()
	default:
		return s.errorf("invalid escape \\%c", c)
	}
	return nil
}

// unicode decodes \uXXXX (pos is after the u), joining surrogate pairs;
// a lone surrogate becomes U+FFFD as in encoding/json.
func (s *scanner) unicode() error {
	r, ok := s.hex4()
	if !ok {
		return s.errorf("invalid \\u escape")
	}
	if utf16.IsSurrogate(r) {
		if s.pos+1 < len(s.b) && s.b[s.pos] == '\\' && s.b[s.pos+1] == 'u' {
			save := s.pos
			s.pos += 2
			r2, ok := s.hex4()
			if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
				s.scratch = utf8.AppendRune(s.scratch, dec)
				return nil
			}
			s.pos = save
		}
		r = utf8.RuneError
	}
	s.scratch = utf8.AppendRune(s.scratch, r)
	return nil
}

func (s *scanner) hex4() (rune, bool) {
	if len(s.b)-s.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s.b[s.pos : s.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	s.pos += 4
	return r, true
}
