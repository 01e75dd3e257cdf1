package operator

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// dictColumn makes a dictionary<int32, utf8> array over dict from indices
// (-1: NULL).
func dictColumn(t *testing.T, dict []string, idx []int) arrow.Array {
	t.Helper()
	sb := array.NewStringBuilder(memory.DefaultAllocator)
	sb.AppendValues(dict, nil)
	values := sb.NewArray()
	defer values.Release()
	ib := array.NewInt32Builder(memory.DefaultAllocator)
	for _, i := range idx {
		if i < 0 {
			ib.AppendNull()
		} else {
			ib.Append(int32(i))
		}
	}
	ind := ib.NewArray()
	defer ind.Release()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	return array.NewDictionaryArray(dt, ind, values)
}

func plainColumn(vals []string) arrow.Array {
	sb := array.NewStringBuilder(memory.DefaultAllocator)
	for _, v := range vals {
		if v == "NULL" {
			sb.AppendNull()
		} else {
			sb.Append(v)
		}
	}
	return sb.NewArray()
}

// TestGroupsOfDictionaryKeys: rows with the same key values get the same
// group whether their batch is dictionary-encoded (with any dictionary
// order) or plain, NULL included.
func TestGroupsOfDictionaryKeys(t *testing.T) {
	type batch struct {
		cols [2]arrow.Array
		keys []string // expected "k1/k2" per row
	}
	batches := []batch{
		{[2]arrow.Array{dictColumn(t, []string{"b", "a"}, []int{0, 1, 0, 1, -1}), dictColumn(t, []string{"x"}, []int{0, 0, 0, -1, 0})},
			[]string{"b/x", "a/x", "b/x", "a/NULL", "NULL/x"}},
		{[2]arrow.Array{plainColumn([]string{"a", "b", "NULL"}), plainColumn([]string{"x", "x", "x"})},
			[]string{"a/x", "b/x", "NULL/x"}},
		{[2]arrow.Array{dictColumn(t, []string{"a", "c", "b"}, []int{2, 1, 0, -1}), dictColumn(t, []string{"y", "x"}, []int{1, 1, -1, 1})},
			[]string{"b/x", "c/x", "a/NULL", "NULL/x"}},
	}
	var g groupTable
	groupOf := map[string]int32{}
	for bi, b := range batches {
		n := len(b.keys)
		gids, err := g.assign(b.cols[:], n)
		if err != nil {
			t.Fatal(err)
		}
		for i, key := range b.keys {
			want, seen := groupOf[key]
			if !seen {
				for k, id := range groupOf {
					if id == gids[i] {
						t.Fatalf("batch %d row %d: %s shares group %d with %s", bi, i, key, id, k)
					}
				}
				groupOf[key] = gids[i]
				continue
			}
			if gids[i] != want {
				t.Fatalf("batch %d row %d: %s in group %d, earlier in %d", bi, i, key, gids[i], want)
			}
		}
	}
	if g.count != len(groupOf) {
		t.Fatalf("%d groups, want %d", g.count, len(groupOf))
	}
	schema := arrow.NewSchema([]arrow.Field{{Name: "k1", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "k2", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	cols, err := g.keyColumns(schema, 2)
	if err != nil {
		t.Fatal(err)
	}
	for key, id := range groupOf {
		got := fmt.Sprintf("%s/%s", valueOrNull(cols[0], int(id)), valueOrNull(cols[1], int(id)))
		if got != key {
			t.Errorf("group %d remembers %s, want %s", id, got, key)
		}
	}
}

func valueOrNull(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	return a.(*array.String).Value(i)
}
