package textcol

import (
	"math"
	"strconv"
	"unsafe"
)

// ParseInt64 reads an optionally signed decimal integer. It reports false
// for anything else, including values outside the int64 range.
func ParseInt64(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		u = u*10 + uint64(d)
	}
	return signed(u, neg)
}

func signed(u uint64, neg bool) (int64, bool) {
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

// ParseFloat64 reads a float the way strconv does (including NaN and
// ±Inf spellings). The string view avoids copying the bytes: strconv
// clones its input before keeping it in an error.
func ParseFloat64(b []byte, bitSize int) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), bitSize)
	return f, err == nil
}

// ParseBool accepts true/false, t/f, yes/no, y/n and 1/0, any case.
func ParseBool(b []byte) (bool, bool) {
	switch len(b) {
	case 1:
		switch b[0] {
		case 't', 'T', 'y', 'Y', '1':
			return true, true
		case 'f', 'F', 'n', 'N', '0':
			return false, true
		}
	case 2:
		return false, eqFold(b, "no")
	case 3:
		return true, eqFold(b, "yes")
	case 4:
		return true, eqFold(b, "true")
	case 5:
		return false, eqFold(b, "false")
	}
	return false, false
}

// isStrictBool is true only for true/false (any case): inference must not
// turn a column of 0/1 or y/n into booleans.
func isStrictBool(b []byte) bool {
	return (len(b) == 4 && eqFold(b, "true")) || (len(b) == 5 && eqFold(b, "false"))
}

// eqFold compares ASCII letters case-insensitively; word must be lowercase.
func eqFold(b []byte, word string) bool {
	if len(b) != len(word) {
		return false
	}
	for i := range b {
		if b[i]|0x20 != word[i] {
			return false
		}
	}
	return true
}

// trimSpace drops ASCII spaces and tabs around a non-string value, so that
// "1, 2" parses as numbers.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
