package sqlfront

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CAST(x AS INT)", "drover_cast(x , 'INT')"},
		{"cast (x as decimal(10, 2)) + 1", "drover_cast(x , 'decimal(10, 2)') + 1"},
		{"CAST(CAST(x AS BIGINT) AS STRING)", "drover_cast(drover_cast(x , 'BIGINT') , 'STRING')"},
		{"CAST(f(a, 'as') AS DOUBLE PRECISION)", "drover_cast(f(a, 'as') , 'DOUBLE PRECISION')"},
		{"'CAST(x AS INT)'", "'CAST(x AS INT)'"},
		{`"cast"(x)`, `"cast"(x)`},
		{"t.cast(x AS INT)", "t.cast(x AS INT)"},
		{"podcast(x)", "podcast(x)"},
		{"x -- CAST(y AS INT)\n", "x -- CAST(y AS INT)\n"},
		{"'it''s' || CAST(x AS VARCHAR)", "'it''s' || drover_cast(x , 'VARCHAR')"},
		{`'a\'b' = CAST(x AS TEXT)`, `'a\'b' = drover_cast(x , 'TEXT')`},
		{"date_add(d, 3)", "drover_date_add(d, 3)"},
		{"DATE_SUB(d, CAST(n AS INT))", "drover_date_sub(d, drover_cast(n , 'INT'))"},
		{"date_add(d, INTERVAL 3 DAY)", "date_add(d, INTERVAL 3 DAY)"},
		{"date_add(d, interval_days)", "drover_date_add(d, interval_days)"},
		{"CAST(x)", "CAST(x)"},
		{"CAST(x AS INT", "CAST(x AS INT"},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
