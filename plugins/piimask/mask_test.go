package main

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestMasks(t *testing.T) {
	if got := Initials("Anna da Silva-Müller"); got != "A. D. S. M." {
		t.Errorf("Initials = %q", got)
	}
	if got := Email("anna@example.org"); got != "a***@example.org" {
		t.Errorf("Email = %q", got)
	}
	if HashValue("x", "s1") == HashValue("x", "s2") || len(HashValue("x", "")) != 18 {
		t.Errorf("HashValue ignores the salt or has the wrong length")
	}
}

func TestMaskBatch(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"Anna Müller", ""}, []bool{true, false})
	rec := b.NewRecordBatch()
	defer rec.Release()
	args := map[string]string{"columns": "name", "mode": "initials"}
	if _, err := maskSchema(schema, args); err != nil {
		t.Fatal(err)
	}
	out, err := maskBatch(context.Background(), rec, args)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if got := out.Column(1).String(); got != `["A. M." (null)]` {
		t.Errorf("masked = %s", got)
	}
	for _, bad := range []map[string]string{{"columns": "id"}, {"columns": "nope"}, {"columns": "name", "mode": "rot13"}, {}} {
		if _, err := maskSchema(schema, bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
