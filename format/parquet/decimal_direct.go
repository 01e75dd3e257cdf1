package parquetfmt

import (
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/types"
)

// Direct decimals: a DECIMAL stored as INT32 or INT64 (Spark, DuckDB and
// Drover's writer do so up to 18 digits) is read as its unscaled integers
// (pqarrow then hands out the decoded values without a copy) and widened
// to decimal128 here, in one loop, on the rows that are kept: after late
// materialization's gather (latemat.go) a payload column converts only
// the selected rows. pqarrow's own path converts every row into a
// zeroed Go slice first (Q6-shaped scan: 17% of its CPU).

// directDecimalSetting turns direct decimals on (tests compare answers
// with it off).
var directDecimalSetting atomic.Bool

func init() { directDecimalSetting.Store(true) }

// chooseDirectDecimals marks the slots read as unscaled integers: every
// output column on the slot wants a decimal and the file stores a
// decimal128 in INT32 or INT64.
func (p *plan) chooseDirectDecimals(md *metadata.FileMetaData) {
	p.rawDecimal = make([]arrow.DataType, len(p.leaves))
	if !directDecimalSetting.Load() {
		return
	}
	ok := make([]bool, len(p.leaves))
	for i := range ok {
		ok[i] = true
	}
	for _, c := range p.cols {
		if c.slot == absent {
			continue
		}
		_, dec := c.file.(*arrow.Decimal128Type)
		ok[c.slot] = ok[c.slot] && dec && c.target.ID == types.Decimal
	}
	for slot, leaf := range p.leaves {
		if !ok[slot] {
			continue
		}
		switch md.Schema.Column(leaf).PhysicalType() {
		case parquet.Types.Int32:
			p.rawDecimal[slot] = arrow.PrimitiveTypes.Int32
		case parquet.Types.Int64:
			p.rawDecimal[slot] = arrow.PrimitiveTypes.Int64
		}
	}
}

// readDirectDecimals makes fr read the chosen leaves as their integers.
func (p *plan) readDirectDecimals(fr *pqarrow.FileReader) {
	raw := map[int]arrow.DataType{}
	for slot, t := range p.rawDecimal {
		if t != nil {
			raw[p.leaves[slot]] = t
		}
	}
	if len(raw) == 0 {
		return
	}
	for i := range fr.Manifest.Fields {
		sf := &fr.Manifest.Fields[i]
		if t, ok := raw[sf.ColIndex]; ok && sf.IsLeaf() {
			f := *sf.Field
			f.Type = t
			sf.Field = &f
		}
	}
}

// convertColumn converts arr, decoded for output column i, to its type;
// on failure it returns the offending row within arr.
func (p *plan) convertColumn(arr arrow.Array, i int) (arrow.Array, int, error) {
	c := p.cols[i]
	out := p.schema.Field(i).Type
	if c.slot != absent && p.rawDecimal[c.slot] != nil {
		return fromUnscaled(arr, c.file.(*arrow.Decimal128Type), c.target, out)
	}
	return convertArray(arr, c.target, out)
}

// fromUnscaled turns unscaled integers of decimal type ft into target.
func fromUnscaled(arr arrow.Array, ft *arrow.Decimal128Type, target types.Type, out arrow.DataType) (arrow.Array, int, error) {
	delta := target.Scale - ft.Scale
	exact := delta == 0 && ft.Precision <= target.Precision
	var (
		res arrow.Array
		bad int
		err error
	)
	switch arr.DataType().ID() {
	case arrow.INT64:
		if exact {
			return widenDecimal[int64](arr, out), 0, nil
		}
		res, bad, err = mapFixed(arr, out, func(v int64) (decimal128.Num, bool) {
			return rescale(decimal128.FromI64(v), delta, target.Precision)
		})
	case arrow.INT32:
		if exact {
			return widenDecimal[int32](arr, out), 0, nil
		}
		res, bad, err = mapFixed(arr, out, func(v int32) (decimal128.Num, bool) {
			return rescale(decimal128.FromI64(int64(v)), delta, target.Precision)
		})
	default:
		return nil, 0, fmt.Errorf("decimal column decoded as %s, not its unscaled integers", arr.DataType())
	}
	if err != nil {
		// Name the value as the file's decimal, not its unscaled integer.
		// (int32 values read as int64 would run past the buffer).
		var v decimal128.Num
		if arr.DataType().ID() == arrow.INT32 {
			v = decimal128.FromI64(int64(arrow.GetValues[int32](arr.Data(), 1)[bad]))
		} else {
			v = decimal128.FromI64(arrow.GetValues[int64](arr.Data(), 1)[bad])
		}
		err = fmt.Errorf("value %s does not fit %s", v.ToString(ft.Scale), typeName(out))
	}
	return res, bad, err
}

// widenDecimal copies unscaled integers into decimal128 values (they fit:
// the file's precision is at most the target's, and the scale is the
// same).
func widenDecimal[S int32 | int64](arr arrow.Array, out arrow.DataType) arrow.Array {
	in := arrow.GetValues[S](arr.Data(), 1)
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(arrow.Decimal128Traits.BytesRequired(len(in)))
	dst := arrow.Decimal128Traits.CastFromBytes(buf.Bytes())
	for i, v := range in {
		dst[i] = decimal128.FromI64(int64(v))
	}
	return withValidity(arr, out, buf)
}
