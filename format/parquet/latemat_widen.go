package parquetfmt

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr/eval"
)

// gatherPayload gathers rows sel of the payload side's columns. A
// decimal stored as INT32/INT64 that only widens (same scale, no
// narrower precision: p.widened) and has no NULLs is gathered straight
// into its decimal128 output, one pass and one buffer instead of an
// integer gather and then a widening copy (Q1's four decimals, most
// rows selected); assembleLate passes such columns on as they are.
// posOf[j] is the payload position of pcols[j].
func (p *plan) gatherPayload(ctx context.Context, pcols []arrow.Array, posOf []int, sel []int32) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(pcols))
	var rest []arrow.Array
	var at []int
	for j, c := range pcols {
		if i := p.payOut(posOf[j]); i >= 0 && c.NullN() == 0 && p.widened(i) {
			if w := widenDecimalSel(c, p.schema.Field(i).Type, sel); w != nil {
				out[j] = w
				continue
			}
		}
		rest = append(rest, c)
		at = append(at, j)
	}
	taken, err := eval.TakeColumns(ctx, rest, sel)
	if err != nil {
		releaseAll(out)
		return nil, err
	}
	for k, j := range at {
		out[j] = taken[k]
	}
	return out, nil
}

// payOut is the output column fed by payload column pos (-1: none).
func (p *plan) payOut(pos int) int {
	for i, src := range p.late.side {
		if !src.filter && src.pos == pos {
			return i
		}
	}
	return -1
}

// widened reports that output column i is a decimal read as its unscaled
// integers and converted by widening alone (see fromUnscaled).
func (p *plan) widened(i int) bool {
	c := p.cols[i]
	if c.slot == absent || p.rawDecimal[c.slot] == nil {
		return false
	}
	ft, ok := c.file.(*arrow.Decimal128Type)
	return ok && c.target.Scale == ft.Scale && ft.Precision <= c.target.Precision
}

// widenDecimalSel is widenDecimal of rows sel of arr (without NULLs), or
// nil when arr is not an integer column.
func widenDecimalSel(arr arrow.Array, out arrow.DataType, sel []int32) arrow.Array {
	switch arr.DataType().ID() {
	case arrow.INT64:
		return widenSel(arrow.GetValues[int64](arr.Data(), 1), out, sel)
	case arrow.INT32:
		return widenSel(arrow.GetValues[int32](arr.Data(), 1), out, sel)
	}
	return nil
}

func widenSel[S int32 | int64](in []S, out arrow.DataType, sel []int32) arrow.Array {
	buf := memory.NewResizableBuffer(mem)
	defer buf.Release()
	buf.Resize(arrow.Decimal128Traits.BytesRequired(len(sel)))
	dst := arrow.Decimal128Traits.CastFromBytes(buf.Bytes())
	for j, i := range sel {
		dst[j] = decimal128.FromI64(int64(in[i]))
	}
	data := array.NewData(out, len(sel), []*memory.Buffer{nil, buf}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}
