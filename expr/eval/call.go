package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/types"
)

// kernel computes a call over one batch. Its args are columns of b.n rows
// or constants (only at positions the callNode lets through), at least one
// of them a column; string columns are plain utf8 unless the node keeps
// dictionaries. It returns a new array of b.n rows.
type kernel func(b *batch, args []datum) (arrow.Array, error)

// callFlags describe how a kernel treats NULLs, constants and dictionaries.
type callFlags uint8

const (
	// strict: any NULL argument makes the result NULL, so a NULL constant
	// short-circuits the whole call.
	strict callFlags = 1 << iota
	// liftable: element-wise over strings; when the only column argument is
	// a dictionary, the kernel runs over the dictionary's values.
	liftable
	// keepDict: the kernel takes dictionary arrays as they are.
	keepDict
)

// callNode runs one kernel over its evaluated arguments.
type callNode struct {
	name     string // for debugging
	typ      types.Type
	args     []node
	argTypes []types.Type
	kern     kernel
	flags    callFlags
	scalars  uint32 // bit i: the kernel accepts args[i] as a constant
}

func newCall(name string, typ types.Type, args []node, k kernel, flags callFlags, scalars uint32) *callNode {
	c := &callNode{name: name, typ: typ, args: args, kern: k, flags: flags, scalars: scalars}
	c.argTypes = make([]types.Type, len(args))
	for i, a := range args {
		c.argTypes[i] = a.resultType()
	}
	return c
}

func (c *callNode) resultType() types.Type { return c.typ }

func (c *callNode) eval(b *batch) (datum, error) {
	args, err := evalArgs(b, c.args)
	if err != nil {
		return datum{}, err
	}
	defer releaseAll(args)
	return c.apply(b, args)
}

func evalArgs(b *batch, nodes []node) ([]datum, error) {
	out := make([]datum, len(nodes))
	for i, n := range nodes {
		d, err := n.eval(b)
		if err != nil {
			releaseAll(out[:i])
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// apply runs the call on evaluated arguments (borrowed, not released).
func (c *callNode) apply(b *batch, args []datum) (datum, error) {
	if c.flags&strict != 0 && anyNullConst(args) {
		return scalarDatum(types.NullValue(c.typ)), nil
	}
	if allConst(args) {
		return c.fold(b, args)
	}
	if d, ok := c.lift(b, args); ok {
		return d, nil
	}
	arr, err := c.run(b, args)
	if err != nil {
		return datum{}, err
	}
	return datum{arr: arr}, nil
}

func anyNullConst(args []datum) bool {
	for _, a := range args {
		if a.arr == nil && a.val.Null {
			return true
		}
	}
	return false
}

func allConst(args []datum) bool {
	for _, a := range args {
		if a.arr != nil {
			return false
		}
	}
	return true
}

// fold computes a call on constants by running the kernel on one row, so
// constant folding shares every line of the column code.
func (c *callNode) fold(b *batch, args []datum) (datum, error) {
	one := b.sized(1)
	in := make([]datum, len(args))
	for i, a := range args {
		in[i] = datum{arr: MakeArray(typedConst(a.val, c.argTypes[i]), 1, b.mem)}
	}
	defer releaseAll(in)
	arr, err := c.run(one, in)
	if err != nil {
		return datum{}, err
	}
	defer arr.Release()
	return scalarDatum(retype(ValueAt(arr, 0), c.typ)), nil
}

// run hands the arguments to the kernel, expanding constants it does not
// take and decoding dictionaries it does not keep.
func (c *callNode) run(b *batch, args []datum) (arrow.Array, error) {
	in := make([]datum, len(args))
	var owned []datum
	defer func() { releaseAll(owned) }()
	for i, a := range args {
		in[i] = a
		switch {
		case a.arr == nil && c.scalars&(1<<i) == 0:
			in[i] = datum{arr: MakeArray(typedConst(a.val, c.argTypes[i]), b.n, b.mem)}
			owned = append(owned, in[i])
		case a.arr != nil && c.flags&keepDict == 0 && a.arr.DataType().ID() == arrow.DICTIONARY:
			arr, err := plain(b, a.arr)
			if err != nil {
				return nil, err
			}
			in[i] = datum{arr: arr}
			owned = append(owned, in[i])
		}
	}
	return c.kern(b, in)
}

// lift runs a liftable call over the values of its one dictionary column
// and maps the result through the indices. It declines (ok false) when the
// dictionary is larger than the batch, and when the kernel fails: the
// failing value may be one no row refers to, so run decides on real rows.
func (c *callNode) lift(b *batch, args []datum) (datum, bool) {
	if c.flags&liftable == 0 {
		return datum{}, false
	}
	k := -1
	for i, a := range args {
		if a.arr != nil {
			if k >= 0 {
				return datum{}, false
			}
			k = i
		}
	}
	dict, ok := args[k].arr.(*array.Dictionary)
	if !ok || dict.Dictionary().Len() > b.n {
		return datum{}, false
	}
	in := append([]datum(nil), args...)
	in[k] = datum{arr: dict.Dictionary()}
	res, err := c.run(b.sized(dict.Dictionary().Len()), in)
	if err != nil {
		return datum{}, false
	}
	out, err := throughIndices(b, res, dict)
	if err != nil {
		return datum{}, false
	}
	return datum{arr: out}, true
}

// throughIndices maps res (one row per dictionary value) to the rows of
// dict, consuming res. Strings stay dictionary-encoded with the same
// indices; other types are gathered.
func throughIndices(b *batch, res arrow.Array, dict *array.Dictionary) (arrow.Array, error) {
	defer res.Release()
	if res.DataType().ID() == arrow.STRING && res.NullN() == 0 {
		return array.NewDictionaryArray(dictStringType, dict.Indices(), res), nil
	}
	idx, valid := indexArgs(dict.Indices())
	return gather(b, res, idx, valid)
}

// typedConst gives an untyped NULL the type its consumer expects.
func typedConst(v types.Value, t types.Type) types.Value {
	if v.Null {
		return types.NullValue(t)
	}
	return v
}

// retype stamps the node's logical type on a value read back from an array.
func retype(v types.Value, t types.Type) types.Value {
	if v.Null {
		return types.NullValue(t)
	}
	v.Type = t
	return v
}
