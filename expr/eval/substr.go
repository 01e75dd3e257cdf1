package eval

import (
	"math"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func buildSubstr(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 3); err != nil {
		return nil, err
	}
	if err := wantType(e, 0, isType(types.String), "string"); err != nil {
		return nil, err
	}
	for i := 1; i < len(args); i++ {
		if err := wantType(e, i, isType(types.Int64), "int64"); err != nil {
			return nil, err
		}
	}
	return newCall(e.Name, types.StringType, args, substrKernel, strict|liftable, 0b110), nil
}

func substrKernel(b *batch, args []datum) (arrow.Array, error) {
	s := args[0].arr.(*array.String)
	pos, sp := operand[int64](args[1])
	length, sl := []int64{math.MaxInt64}, 0
	if len(args) > 2 {
		length, sl = operand[int64](args[2])
	}
	arrs := []arrow.Array{s, args[1].arr}
	if len(args) > 2 {
		arrs = append(arrs, args[2].arr)
	}
	valid, _ := validAnd(b.mem, b.n, arrs...)
	if valid != nil {
		defer valid.Release()
	}
	bld := newStringBuilder(b.mem, b.n, dataLen(s))
	defer bld.Release()
	for i := range b.n {
		if valid != nil && !bitSet(valid.Bytes(), i) {
			bld.AppendNull()
			continue
		}
		bld.Append(substr(s.Value(i), pos[i*sp], length[i*sl]))
	}
	return bld.NewArray(), nil
}

// substr takes characters [start, start+n) where start is pos-1 for a
// positive pos, 0 for pos 0, and counts from the end for a negative pos;
// the window is then clipped to the string (Spark's substring).
func substr(s string, pos, n int64) string {
	if n < 1 {
		return ""
	}
	var start int64
	switch {
	case pos > 0:
		start = pos - 1
	case pos < 0:
		start = int64(utf8.RuneCountInString(s)) + pos
	}
	end := start + n
	if start > 0 && n > math.MaxInt64-start {
		end = math.MaxInt64
	}
	start = max(start, 0)
	if start >= end {
		return ""
	}
	i := runeOffset(s, start)
	j := i + runeOffset(s[i:], end-start)
	return s[i:j]
}

// runeOffset is the byte offset of character k of s (len(s) if beyond).
func runeOffset(s string, k int64) int {
	i := 0
	for ; k > 0 && i < len(s); k-- {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i
}
