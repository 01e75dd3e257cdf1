package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// dictBuildStrings lets a hash join hold its build side's repetitive
// string columns as dictionaries (tests compare with it off).
var dictBuildStrings = true

// A build side's string column with few distinct values (a priority, a
// status, a nation name) is gathered once per output row: as strings
// that is a copy of every value per matched row, and the aggregation
// above hashes each one again. Held as dictionary<int32, utf8> (what
// the Parquet reader gives for dictionary-encoded columns, which every
// operator takes) a match gathers one int32, and a GROUP BY on it groups
// by dictionary index (dictCodes).
const (
	dictBuildMinRows     = 1024
	dictBuildMaxDistinct = 1 << 12
)

// dictEncodeBuild replaces the string columns of cols (n rows) not marked
// in skip, whose distinct values are few, by dictionary arrays of the
// same values, releasing the columns it replaces.
func dictEncodeBuild(cols []arrow.Array, n int, skip []bool) {
	if !dictBuildStrings || n < dictBuildMinRows {
		return
	}
	for i, c := range cols {
		s, ok := c.(*array.String)
		if !ok || (skip != nil && skip[i]) {
			continue
		}
		if d := dictEncodeStrings(s); d != nil {
			c.Release()
			cols[i] = d
		}
	}
}

// dictEncodeStrings is s as a dictionary array, or nil when s has more
// than dictBuildMaxDistinct distinct values or more than one per 16 rows.
func dictEncodeStrings(s *array.String) arrow.Array {
	n := s.Len()
	limit := min(dictBuildMaxDistinct, n/16)
	ids := map[string]int32{}
	idx := make([]int32, n)
	var values []string
	for i := range n {
		if s.IsNull(i) {
			continue
		}
		v := s.Value(i)
		id, ok := ids[v]
		if !ok {
			if len(values) >= limit { // also stops a unique column early
				return nil
			}
			id = int32(len(values))
			ids[v] = id
			values = append(values, v)
		}
		idx[i] = id
	}
	db := array.NewStringBuilder(memory.DefaultAllocator)
	defer db.Release()
	db.AppendValues(values, nil)
	dict := db.NewArray()
	defer dict.Release()

	var valid *memory.Buffer
	if s.NullN() > 0 {
		valid = memory.NewResizableBuffer(memory.DefaultAllocator)
		valid.Resize(int(bitutil.BytesForBits(int64(n))))
		bits := valid.Bytes()
		for i := range n {
			bitutil.SetBitTo(bits, i, s.IsValid(i))
		}
		defer valid.Release()
	}
	ib := memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(idx))
	indices := array.NewData(arrow.PrimitiveTypes.Int32, n, []*memory.Buffer{valid, ib}, nil, s.NullN(), 0)
	defer indices.Release()
	ia := array.MakeFromData(indices)
	defer ia.Release()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	return array.NewDictionaryArray(dt, ia, dict)
}
