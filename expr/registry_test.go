package expr

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/types"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestRegistryMatchesBinder: every registered function binds with its
// sample arguments, and every function the binder knows is registered.
func TestRegistryMatchesBinder(t *testing.T) {
	registered := map[string]bool{}
	for _, f := range Functions() {
		args, schema := f.Sample()
		if f.Kind == FuncAggregate {
			if _, _, _, err := BindAggCall(f.Agg, args, schema, nil); err != nil {
				t.Errorf("aggregate %s does not bind with its sample: %v", f.Name, err)
			}
			continue
		}
		registered[f.Name] = true
		if _, ok := signatures[f.Name]; !ok {
			t.Errorf("%s is registered but the binder has no signature", f.Name)
			continue
		}
		e := Call(f.Name, args...)
		if f.Name == FnCast {
			e.Type = types.StringType
		}
		if _, err := Bind(e, schema, nil); err != nil {
			t.Errorf("%s does not bind with its sample: %v", e, err)
		}
	}
	for name := range signatures {
		if !registered[name] {
			t.Errorf("the binder knows %s but the registry does not list it", name)
		}
	}
}

// TestRegistryAggregates: every AggFunc is registered (count(*) is
// count's), and AggFuncByName agrees with String.
func TestRegistryAggregates(t *testing.T) {
	for f := AggFunc(0); int(f) < len(aggNames); f++ {
		if f == AggCountStar {
			continue
		}
		got, ok := AggFuncByName[f.String()]
		if !ok || got != f {
			t.Errorf("AggFuncByName[%q] = %v, %v; want %v", f.String(), got, ok, f)
		}
		c, ok := LookupFunction(strings.ToUpper(f.String()))
		if !ok || c != f.String() {
			t.Errorf("LookupFunction(%s) = %q, %v", f, c, ok)
		}
		if a, ok := IsAggregate(c); !ok || a != f {
			t.Errorf("IsAggregate(%s) = %v, %v", c, a, ok)
		}
	}
	for name, f := range AggFuncByName {
		if c, ok := LookupFunction(name); !ok || c != f.String() {
			t.Errorf("alias %s: LookupFunction gives %q, AggFuncByName %s", name, c, f)
		}
	}
}

func TestLookupFunction(t *testing.T) {
	// Every alias the SQL front end's funcNames and rewrites knew before
	// the registry, plus the ones the registry adds.
	want := map[string]string{
		"concat": FnConcat, "lower": FnLower, "lcase": FnLower, "upper": FnUpper, "ucase": FnUpper,
		"length": FnLength, "char_length": FnLength, "character_length": FnLength,
		"substr": FnSubstr, "substring": FnSubstr, "mid": FnSubstr, "ltrim": FnLTrim, "rtrim": FnRTrim,
		"trim": FnTrim, "replace": FnReplace, "starts_with": FnStartsWith, "ends_with": FnEndsWith,
		"contains": FnContains, "abs": FnAbs, "round": FnRound, "floor": FnFloor, "ceil": FnCeil,
		"ceiling": FnCeil, "year": FnYear, "month": FnMonth, "day": FnDay, "dayofmonth": FnDay,
		"hour": FnHour, "dayofweek": FnDayOfWeek, "day_of_week": FnDayOfWeek, "date_trunc": FnDateTrunc,
		"datediff": FnDateDiff, "date_diff": FnDateDiff, "coalesce": FnCoalesce, "ifnull": FnCoalesce,
		"nvl": FnCoalesce, "nullif": FnNullIf, "drover_date_add": FnDateAdd, "date_add": FnDateAdd,
		"adddate": FnDateAdd, "date_sub": FnDateSub, "subdate": FnDateSub, "if": FnIf, "iff": FnIf,
		"rlike": FnRegexpLike, "regexp_matches": FnRegexpLike, "instr": FnStrpos, "position": FnLocate,
		"pow": FnPower, "get_json_object": FnJSONExtractStr, "now": FnCurrentTimestamp,
		"stddev": "stddev_samp", "variance": "var_samp", "every": "bool_and", "percentile_cont": "quantile_cont",
		"percentile_approx": "approx_quantile", "mod": FnMod, "SUBSTRING": FnSubstr, "Nvl": FnCoalesce,
		"single_value": "single_value", "add_interval": FnAddInterval,
	}
	for name, canon := range want {
		got, ok := LookupFunction(name)
		if !ok || got != canon {
			t.Errorf("LookupFunction(%q) = %q, %v; want %q", name, got, ok, canon)
		}
	}
	for _, name := range []string{"add", "eq", "case", "cast", "no_such_fn", "textkit.slug"} {
		if got, ok := LookupFunction(name); ok {
			t.Errorf("LookupFunction(%q) = %q, want not found", name, got)
		}
	}
}

// TestGoldenFunctionReference keeps docs/sql-functions.md in step with the
// registry; -update rewrites it.
func TestGoldenFunctionReference(t *testing.T) {
	path := filepath.Join("..", "docs", "sql-functions.md")
	got := ReferenceMarkdown()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./expr -run Golden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s is stale: run go test ./expr -run Golden -update (make golden)", path)
	}
}
