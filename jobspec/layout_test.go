package jobspec

import (
	"strings"
	"testing"
)

func TestParseLayout(t *testing.T) {
	src := edit(t, `where = "status = 'paid'"`, `where = "status = 'paid'"
    repartition    = 12
    repartition_by = ["customer_id", "day"]`)
	src = strings.Replace(src, `path   = "out/"`, `path   = "out/"
    coalesce         = 3
    target_file_size = "1.5 GiB"`, 1)
	job, err := ParseSource([]byte(src), "x.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	v, s := job.Views[0].Layout, job.Sinks[0]
	if v.Repartition != 12 || len(v.RepartitionBy) != 2 || v.RepartitionBy[1].Value != "day" || v.Coalesce != 0 || v.Range.Start.Line != 11 {
		t.Errorf("view layout = %+v", v)
	}
	if s.Layout.Coalesce != 3 || s.Layout.Shuffles() || s.TargetFileSize != 3<<29 {
		t.Errorf("sink layout = %+v, target_file_size %d", s.Layout, s.TargetFileSize)
	}
}

func TestLayoutErrors(t *testing.T) {
	sinkAttr := func(a string) string { return edit(t, `path   = "out/"`, `path   = "out/"`+"\n    "+a) }
	tests := []struct{ name, src, want string }{
		{"both", sinkAttr("repartition = 4\n    coalesce = 2"), `sink "out": repartition and coalesce do not combine`},
		{"zero", sinkAttr("coalesce = 0"), "coalesce must be a whole number of at least 1"},
		{"size unit", sinkAttr(`target_file_size = "12 parsecs"`), `target_file_size: "12 parsecs" is not a size`},
		{"size zero", sinkAttr("target_file_size = 0"), "target_file_size: must be at least 1 byte"},
		{"size fraction", sinkAttr(`target_file_size = "0.5B"`), "not a whole number of bytes"},
		{"view order", edit(t, `where = "status = 'paid'"`, `order_by = ["id"]
    repartition = 2`), `view "paid": repartition would lose the order of order_by`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSource([]byte(tc.src), "x.hcl", nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := map[string]int64{"1": 1, "256MB": 256e6, "256 mb": 256e6, "64KiB": 64 << 10, "2GiB": 2 << 30, "1.5KB": 1500, "3TB": 3e12, "10b": 10}
	for in, want := range tests {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MB", "1.2.3MB", "-5MB", "1e3", "9999999TiB"} {
		if got, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", bad, got)
		}
	}
}
