package keys

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestDictionaryAndPlainStringsEncodeAlike(t *testing.T) {
	mem := memory.DefaultAllocator
	sb := array.NewStringBuilder(mem)
	sb.AppendValues([]string{"b", "a", "", "b"}, []bool{true, true, true, false})
	plain := sb.NewArray()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	db := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	db.AppendString("b")
	db.AppendString("a")
	db.AppendString("")
	db.AppendNull()
	dict := db.NewArray()
	var kp, kd Keys
	if err := kp.Encode([]arrow.Array{plain}, 4); err != nil {
		t.Fatal(err)
	}
	if err := kd.Encode([]arrow.Array{dict}, 4); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if !bytes.Equal(kp.Row(i), kd.Row(i)) || kp.Hash(i) != kd.Hash(i) {
			t.Fatalf("row %d encodes differently", i)
		}
	}
	if !kp.AnyNull[3] || kp.AnyNull[2] {
		t.Fatalf("null flags %v", kp.AnyNull)
	}
	// The empty string and NULL must not collide.
	if bytes.Equal(kp.Row(2), kp.Row(3)) {
		t.Fatal("empty string and NULL encode alike")
	}
}

func TestCompositeKeysDoNotCollide(t *testing.T) {
	mem := memory.DefaultAllocator
	// ("ab", "c") vs ("a", "bc") must differ: lengths are encoded.
	a := array.NewStringBuilder(mem)
	a.AppendValues([]string{"ab", "a"}, nil)
	b := array.NewStringBuilder(mem)
	b.AppendValues([]string{"c", "bc"}, nil)
	var k Keys
	if err := k.Encode([]arrow.Array{a.NewArray(), b.NewArray()}, 2); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(k.Row(0), k.Row(1)) {
		t.Fatal("composite keys collide")
	}
}
