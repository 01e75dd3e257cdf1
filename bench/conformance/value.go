package conformance

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// kind orders the normalized value classes; values of different kinds
// are never equal (a number is not its string).
type kind uint8

const (
	kNull kind = iota
	kBool
	kNum
	kString
	kTime
	kOther
)

// cell is one value normalized for comparison: every integer, DECIMAL,
// HUGEINT and float is a number compared by value, DATE and TIMESTAMP are
// instants (a DATE equals the TIMESTAMP at its midnight), and NULLs equal
// each other.
type cell struct {
	k kind
	// f is a number's value; exact is set for integers and DECIMALs.
	f     float64
	exact *big.Rat
	s     string // a string, or the rendering of a kOther value
	b     bool
	t     time.Time
}

// relTol is the relative tolerance for numbers when either side is
// floating point (DOUBLE vs DECIMAL sums, averages, stddev).
const relTol = 1e-6

// absTol absorbs float noise around zero.
const absTol = 1e-9

// normalize converts a value scanned from DuckDB's Go driver.
func normalize(v any) cell {
	switch x := v.(type) {
	case nil:
		return cell{k: kNull}
	case bool:
		return cell{k: kBool, b: x}
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, uint:
		r := new(big.Rat)
		r.SetString(fmt.Sprint(x))
		return numCell(r)
	case *big.Int:
		if x == nil {
			return cell{k: kNull}
		}
		return numCell(new(big.Rat).SetInt(x))
	case duckdb.Decimal:
		if x.Value == nil {
			return cell{k: kNull}
		}
		r := new(big.Rat).SetFrac(x.Value, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.Scale)), nil))
		return numCell(r)
	case float32:
		return cell{k: kNum, f: float64(x)}
	case float64:
		return cell{k: kNum, f: x}
	case string:
		return cell{k: kString, s: x}
	case []byte:
		return cell{k: kString, s: string(x)}
	case time.Time:
		return cell{k: kTime, t: x.UTC()}
	}
	return cell{k: kOther, s: fmt.Sprintf("%T:%v", v, v)}
}

func numCell(r *big.Rat) cell {
	f, _ := r.Float64()
	return cell{k: kNum, f: f, exact: r}
}

// equal compares two normalized values: exact numbers exactly, others
// with relTol.
func (a cell) equal(b cell) bool {
	if a.k != b.k {
		return false
	}
	switch a.k {
	case kNull:
		return true
	case kBool:
		return a.b == b.b
	case kNum:
		if a.exact != nil && b.exact != nil && a.exact.IsInt() && b.exact.IsInt() {
			return a.exact.Cmp(b.exact) == 0
		}
		return floatEqual(a.f, b.f)
	case kTime:
		return a.t.Equal(b.t)
	}
	return a.s == b.s
}

func floatEqual(a, b float64) bool {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return true
	}
	d := math.Abs(a - b)
	return d <= absTol || d <= relTol*math.Max(math.Abs(a), math.Abs(b))
}

// compare is a total order used to sort rows before matching them; equal
// values (by equal) sort next to each other except for floats that differ
// within the tolerance, which matchRows handles.
func (a cell) compare(b cell) int {
	if a.k != b.k {
		return cmp.Compare(a.k, b.k)
	}
	switch a.k {
	case kBool:
		return cmp.Compare(btoi(a.b), btoi(b.b))
	case kNum:
		if a.exact != nil && b.exact != nil {
			return a.exact.Cmp(b.exact)
		}
		return cmp.Compare(a.f, b.f)
	case kTime:
		return a.t.Compare(b.t)
	case kNull:
		return 0
	}
	return strings.Compare(a.s, b.s)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// String renders a value for failure messages.
func (a cell) String() string {
	switch a.k {
	case kNull:
		return "NULL"
	case kBool:
		return fmt.Sprint(a.b)
	case kNum:
		if a.exact != nil {
			if a.exact.IsInt() {
				return a.exact.RatString()
			}
			return a.exact.FloatString(6)
		}
		return fmt.Sprint(a.f)
	case kString:
		return fmt.Sprintf("%q", a.s)
	case kTime:
		if a.t.Equal(a.t.Truncate(24 * time.Hour)) {
			return a.t.Format(time.DateOnly)
		}
		return a.t.Format("2006-01-02 15:04:05.999999")
	}
	return a.s
}

type row []cell

func (r row) equal(o row) bool {
	if len(r) != len(o) {
		return false
	}
	for i := range r {
		if !r[i].equal(o[i]) {
			return false
		}
	}
	return true
}

func (r row) compare(o row) int {
	for i := range min(len(r), len(o)) {
		if c := r[i].compare(o[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(r), len(o))
}

func (r row) String() string {
	parts := make([]string, len(r))
	for i, c := range r {
		parts[i] = c.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// pick returns the row's values at idx.
func (r row) pick(idx []int) row {
	out := make(row, len(idx))
	for i, j := range idx {
		out[i] = r[j]
	}
	return out
}
