package jobspec

import (
	"strings"
	"testing"
)

const transformJob = `
job "j" {
  plugin "TextKit" {
    source = "bin/plugins/textkit"
  }
  source "orders" {
    format = "csv"
    path   = "in/"
  }
  view "scored" {
    from      = "orders"
    transform = "TextKit.Score"
    args      = { column = "note", mode = "fast" }
  }
  sink "out" {
    from   = "scored"
    format = "parquet"
    path   = "out/"
  }
}
`

func TestParseTransformView(t *testing.T) {
	job, err := ParseSource([]byte(transformJob), "t.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	v := job.Views[0]
	if v.Transform.Value != "textkit.score" || v.Args["column"] != "note" || v.Args["mode"] != "fast" || v.From.Value != "orders" {
		t.Errorf("view = %+v", v)
	}
}

func TestTransformViewErrors(t *testing.T) {
	edit := func(old, new string) string { return strings.Replace(transformJob, old, new, 1) }
	tests := []struct{ name, src, want string }{
		{"undeclared plugin", edit(`"TextKit.Score"`, `"nlp.score"`),
			`t.hcl:12:17: view "scored": transform "nlp.score": no plugin "nlp" is declared (add a plugin "nlp" block)`},
		{"no dot", edit(`"TextKit.Score"`, `"score"`), `t.hcl:12:17: view "scored": transform "score": want plugin.function`},
		{"with select", edit(`from      = "orders"`, `from = "orders"
    select = ["a"]`), `view "scored": a transform view takes from, transform and args only (move select into a view before or after it)`},
		{"without from", edit(`from      = "orders"`, ``), `view "scored": a transform needs from`},
		{"args alone", edit(`transform = "TextKit.Score"`, ``), `t.hcl:13:5: view "scored": args without transform`},
		{"with sql", edit(`from      = "orders"`, `sql = "SELECT 1"`), `view "scored": a view is either a transform or sql, not both`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSource([]byte(tt.src), "t.hcl", nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}
