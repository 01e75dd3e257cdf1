package textcol

import "github.com/drover-etl/drover/types"

// candidate types of a sampled text column, most specific first.
const (
	candBool = 1 << iota
	candInt
	candFloat
	candDate
	candTimestamp
	candAll = candBool | candInt | candFloat | candDate | candTimestamp
)

// Inferrer finds the most specific type that fits every sampled non-null
// value of a text column: bool (true/false only), int64, float64, date,
// timestamp, else string. A column with no values is a string.
type Inferrer struct {
	cand uint8
	seen bool
	opts Options
}

// NewInferrer starts with every candidate type possible.
func NewInferrer(o Options) *Inferrer { return &Inferrer{cand: candAll, opts: o} }

// Observe narrows the candidates by one non-null value.
func (in *Inferrer) Observe(b []byte) {
	in.seen = true
	if in.cand == 0 {
		return
	}
	b = trimSpace(b)
	if in.cand&candBool != 0 && !isStrictBool(b) {
		in.cand &^= candBool
	}
	if in.cand&candInt != 0 {
		if _, ok := ParseInt64(b); !ok {
			in.cand &^= candInt
		}
	}
	if in.cand&candFloat != 0 && !isNumberText(b) {
		in.cand &^= candFloat
	}
	if in.cand&candDate != 0 {
		if _, ok := dateParser(in.opts.DateLayout)(b); !ok {
			in.cand &^= candDate
		}
	}
	if in.cand&candTimestamp != 0 {
		if _, ok := timestampParser(in.opts.TimestampLayout)(b); !ok {
			in.cand &^= candTimestamp
		}
	}
}

// isNumberText accepts what ParseFloat64 does, except the words NaN and
// Inf: a column of names must not become float64 because one is "Nan".
func isNumberText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if c := b[len(b)-1]; (c < '0' || c > '9') && c != '.' {
		return false
	}
	_, ok := ParseFloat64(b, 64)
	return ok
}

// Type is the inferred type.
func (in *Inferrer) Type() types.Type {
	switch {
	case !in.seen:
		return types.StringType
	case in.cand&candBool != 0:
		return types.BoolType
	case in.cand&candInt != 0:
		return types.Int64Type
	case in.cand&candFloat != 0:
		return types.Float64Type
	case in.cand&candDate != 0:
		return types.DateType
	case in.cand&candTimestamp != 0:
		return types.TimestampType
	}
	return types.StringType
}
