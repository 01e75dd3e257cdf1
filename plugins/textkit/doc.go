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
