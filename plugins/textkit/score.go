package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/udf"
)

// defaultKeywords mark an order note that needs attention.
const defaultKeywords = "urgent,rush,fragile,care,gift,birthday"

// scoreTransform appends a score column: the share of the words of args'
// column that are keywords (args keywords, comma-separated; NULL text
// scores NULL). Every input column passes through.
var scoreTransform = &udf.MapTransform{
	Summary: "appends score: the share of words of args.column that are args.keywords",
	Schema:  scoreSchema,
	Map:     scoreBatch,
}

func scoreSchema(in *arrow.Schema, args map[string]string) (*arrow.Schema, error) {
	col, ok := args["column"]
	if !ok {
		return nil, fmt.Errorf(`score needs args = { column = "..." }`)
	}
	idx := in.FieldIndices(col)
	if len(idx) == 0 {
		return nil, fmt.Errorf("score: no column %q in the input (%s)", col, names(in))
	}
	if in.Field(idx[0]).Type.ID() != arrow.STRING {
		return nil, fmt.Errorf("score: column %q is %s, want a string", col, in.Field(idx[0]).Type)
	}
	if in.HasField("score") {
		return nil, fmt.Errorf("score: the input already has a column named score")
	}
	fields := append(in.Fields(), arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	return arrow.NewSchema(fields, nil), nil
}

func names(s *arrow.Schema) string {
	out := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		out[i] = f.Name
	}
	return strings.Join(out, ", ")
}

func scoreBatch(_ context.Context, rec arrow.RecordBatch, args map[string]string) (arrow.RecordBatch, error) {
	out, err := scoreSchema(rec.Schema(), args)
	if err != nil {
		return nil, err
	}
	text := rec.Column(rec.Schema().FieldIndices(args["column"])[0]).(*array.String)
	scores := scoreColumn(text, keywordSet(args["keywords"]))
	defer scores.Release()
	cols := append(append([]arrow.Array(nil), rec.Columns()...), scores)
	return array.NewRecordBatch(out, cols, rec.NumRows()), nil
}

func keywordSet(list string) map[string]bool {
	if list == "" {
		list = defaultKeywords
	}
	set := map[string]bool{}
	for _, k := range strings.Split(list, ",") {
		set[strings.ToLower(strings.TrimSpace(k))] = true
	}
	return set
}

func scoreColumn(text *array.String, keywords map[string]bool) arrow.Array {
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(text.Len())
	for i := 0; i < text.Len(); i++ {
		if text.IsNull(i) {
			b.AppendNull()
			continue
		}
		b.Append(Score(text.Value(i), keywords))
	}
	return b.NewArray()
}

// Score is the share of s's words (as Slug splits them) that are keywords;
// 0 for text without words.
func Score(s string, keywords map[string]bool) float64 {
	words := strings.Split(Slug(s), "-")
	if len(words) == 1 && words[0] == "" {
		return 0
	}
	hits := 0
	for _, w := range words {
		if keywords[w] {
			hits++
		}
	}
	return float64(hits) / float64(len(words))
}
