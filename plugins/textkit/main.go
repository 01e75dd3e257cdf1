// Command textkit is an example Drover UDF plugin: text functions for any
// expression (textkit.slug(note), textkit.normalize(note),
// textkit.hash(note)) and a keyword-scoring transform (textkit.score).
//
//	go build -o bin/plugins/textkit ./plugins/textkit
//
//	plugin "textkit" { source = "bin/plugins/textkit" }
//	view "tagged" { from = "orders"  select = ["order_id", "textkit.slug(note) AS note_slug"] }
//	view "scored" { from = "orders"  transform = "textkit.score"  args = { column = "note" } }
package main

import "github.com/drover-etl/drover/udf"

func main() {
	udf.Serve(&udf.Plugin{
		Scalars: map[string]udf.Scalar{
			"slug":      udf.StringFunc("lower-case ASCII words joined by '-', accents removed", Slug),
			"normalize": udf.StringFunc("Unicode NFKC, whitespace runs collapsed to one space, trimmed", Normalize),
			"hash":      udf.StringToInt64("64-bit FNV-1a of the UTF-8 bytes", Hash),
		},
		Transforms: map[string]udf.Transform{
			"score": scoreTransform,
		},
	})
}
