package parser

import (
	"strings"

	"github.com/drover-etl/drover/sqlfront/ast"
)

// tokKind is the kind of a token.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokWord           // identifier or keyword, unquoted
	tokQuoted         // "quoted identifier"
	tokNumber         // 42, 1.5, .5, 1e5
	tokString         // 'text' (text holds the value, quotes undone)
	tokOp             // punctuation and operators
)

// token is one lexeme; text is the source text except for strings and
// quoted identifiers, where it is the value.
type token struct {
	kind tokKind
	text string
	pos  ast.Pos
	end  int // byte offset after the token
}

// multiOps are the operators of more than one character, longest first
// where one is a prefix of another.
var multiOps = []string{"<=", ">=", "<>", "!=", "||", "::"}

// lexer splits SQL text into tokens, skipping spaces and comments.
type lexer struct {
	src  string
	off  int
	line int
	col  int
}

func lex(src string) ([]token, error) {
	l := &lexer{src: src, line: 1, col: 1}
	var toks []token
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == tokEOF {
			return toks, nil
		}
	}
}

func (l *lexer) pos() ast.Pos { return ast.Pos{Offset: l.off, Line: l.line, Col: l.col} }

// advance moves n bytes on, keeping line and column.
func (l *lexer) advance(n int) {
	for i := 0; i < n && l.off < len(l.src); i++ {
		if l.src[l.off] == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
		l.off++
	}
}

func (l *lexer) peekByte(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

func (l *lexer) next() (token, error) {
	if err := l.skipSpace(); err != nil {
		return token{}, err
	}
	start := l.pos()
	if l.off >= len(l.src) {
		return token{kind: tokEOF, pos: start, end: l.off}, nil
	}
	c := l.src[l.off]
	switch {
	case isIdentStart(c):
		n := 1
		for l.off+n < len(l.src) && isIdentPart(l.src[l.off+n]) {
			n++
		}
		return l.emit(tokWord, l.src[l.off:l.off+n], n, start), nil
	case isDigit(c) || c == '.' && isDigit(l.peekByte(1)):
		return l.number(start)
	case c == '\'':
		s, n, ok := l.quoted('\'')
		if !ok {
			return token{}, errorAt(start, "unterminated string literal")
		}
		return l.emit(tokString, s, n, start), nil
	case c == '"':
		s, n, ok := l.quoted('"')
		if !ok {
			return token{}, errorAt(start, "unterminated quoted identifier")
		}
		if s == "" {
			return token{}, errorAt(start, `empty quoted identifier ""`)
		}
		return l.emit(tokQuoted, s, n, start), nil
	}
	for _, op := range multiOps {
		if strings.HasPrefix(l.src[l.off:], op) {
			return l.emit(tokOp, op, len(op), start), nil
		}
	}
	if strings.IndexByte("(),.;*+-/%=<>[]:", c) >= 0 {
		return l.emit(tokOp, string(c), 1, start), nil
	}
	return token{}, errorAt(start, "unexpected character %q", string(rune(c)))
}

func (l *lexer) emit(kind tokKind, text string, n int, start ast.Pos) token {
	l.advance(n)
	return token{kind: kind, text: text, pos: start, end: l.off}
}

// number scans digits [. digits] [e [+-] digits].
func (l *lexer) number(start ast.Pos) (token, error) {
	s := l.src[l.off:]
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n < len(s) && s[n] == '.' {
		n++
		for n < len(s) && isDigit(s[n]) {
			n++
		}
	}
	if n < len(s) && (s[n] == 'e' || s[n] == 'E') {
		m := n + 1
		if m < len(s) && (s[m] == '+' || s[m] == '-') {
			m++
		}
		if m < len(s) && isDigit(s[m]) {
			for m < len(s) && isDigit(s[m]) {
				m++
			}
			n = m
		}
	}
	if n < len(s) && isIdentStart(s[n]) {
		return token{}, errorAt(start, "malformed number %q", s[:n+1])
	}
	return l.emit(tokNumber, s[:n], n, start), nil
}

// quoted reads a q-quoted section at l.off (without moving): its value
// with doubled quotes undone, and its length in the source.
func (l *lexer) quoted(q byte) (string, int, bool) {
	s := l.src[l.off:]
	var sb strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			sb.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			sb.WriteByte(q)
			i++
			continue
		}
		return sb.String(), i + 1, true
	}
	return "", 0, false
}

// skipSpace skips white space and -- and /* */ comments.
func (l *lexer) skipSpace() error {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			l.advance(1)
		case c == '-' && l.peekByte(1) == '-':
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.advance(1)
			}
		case c == '/' && l.peekByte(1) == '*':
			start := l.pos()
			end := strings.Index(l.src[l.off+2:], "*/")
			if end < 0 {
				return errorAt(start, "unterminated /* comment")
			}
			l.advance(end + 4)
		default:
			return nil
		}
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }
