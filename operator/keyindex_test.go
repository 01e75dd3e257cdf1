package operator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// keyGen makes n rows of key columns and, per row, the key as SQL
// grouping sees it (NULL is one group, -0 = 0, every NaN one group).
type keyGen func(r *rand.Rand, n int) ([]arrow.Array, []string)

func genInt64(r *rand.Rand, n int, b *array.Int64Builder) []string {
	ref := make([]string, n)
	for i := range ref {
		if r.IntN(10) == 0 {
			b.AppendNull()
			ref[i] = "NULL"
			continue
		}
		v := r.Int64N(60) - 30
		b.Append(v)
		ref[i] = fmt.Sprint(v)
	}
	return ref
}

func genInt32(r *rand.Rand, n int, b *array.Int32Builder) []string {
	ref := make([]string, n)
	for i := range ref {
		if r.IntN(10) == 0 {
			b.AppendNull()
			ref[i] = "NULL"
			continue
		}
		v := r.Int32N(60) - 30
		b.Append(v)
		ref[i] = fmt.Sprint(v)
	}
	return ref
}

func joinRefs(parts ...[]string) []string {
	out := make([]string, len(parts[0]))
	for i := range out {
		cells := make([]string, len(parts))
		for c, p := range parts {
			cells[c] = p[i]
		}
		out[i] = strings.Join(cells, "|")
	}
	return out
}

// int64WithGarbageNulls makes a column whose NULLs have arbitrary values
// under them, which must not split the NULL group.
func int64WithGarbageNulls(r *rand.Rand, n int) (arrow.Array, []string) {
	vals := make([]int64, n)
	valid := make([]bool, n)
	ref := make([]string, n)
	for i := range vals {
		vals[i] = r.Int64N(20)
		valid[i] = r.IntN(8) != 0
		ref[i] = "NULL"
		if valid[i] {
			ref[i] = fmt.Sprint(vals[i])
		}
	}
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray(), ref // AppendValues keeps the values under NULLs
}

var groupKeyCases = []struct {
	name string
	kind keyKind
	gen  keyGen
}{
	{"BIGINT", kindInt, func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		b := array.NewInt64Builder(mem)
		defer b.Release()
		ref := genInt64(r, n, b)
		return []arrow.Array{b.NewArray()}, ref
	}},
	{"INT, BIGINT", kindPair, func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		b1, b2 := array.NewInt32Builder(mem), array.NewInt64Builder(mem)
		defer b1.Release()
		defer b2.Release()
		ref := joinRefs(genInt32(r, n, b1), genInt64(r, n, b2))
		return []arrow.Array{b1.NewArray(), b2.NewArray()}, ref
	}},
	{"BIGINT, BIGINT with values under NULLs", kindPair, func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		a, ra := int64WithGarbageNulls(r, n)
		b, rb := int64WithGarbageNulls(r, n)
		return []arrow.Array{a, b}, joinRefs(ra, rb)
	}},
	{"DATE", kindInt, func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		b := array.NewDate32Builder(mem)
		defer b.Release()
		ref := make([]string, n)
		for i := range ref {
			if r.IntN(10) == 0 {
				b.AppendNull()
				ref[i] = "NULL"
				continue
			}
			v := r.Int32N(100)
			b.Append(arrow.Date32(v))
			ref[i] = fmt.Sprint(v)
		}
		return []arrow.Array{b.NewArray()}, ref
	}},
	{"DOUBLE with zeros and NaNs", kindBytes, func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		vals := []float64{0, math.Copysign(0, -1), math.NaN(), math.Float64frombits(0x7ff8000000000042), math.Inf(1), 1.5, -1.5}
		ref := make([]string, n)
		for i := range ref {
			k := r.IntN(len(vals) + 1)
			if k == len(vals) {
				b.AppendNull()
				ref[i] = "NULL"
				continue
			}
			v := vals[k]
			b.Append(v)
			switch {
			case v != v:
				ref[i] = "NaN"
			case v == 0:
				ref[i] = "0"
			default:
				ref[i] = fmt.Sprint(v)
			}
		}
		return []arrow.Array{b.NewArray()}, ref
	}},
	{"VARCHAR, BIGINT, BIGINT", kindBytes, func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		s := array.NewStringBuilder(mem)
		b1, b2 := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
		defer s.Release()
		defer b1.Release()
		defer b2.Release()
		rs := make([]string, n)
		for i := range rs {
			switch k := r.IntN(6); k {
			case 0:
				s.AppendNull()
				rs[i] = "NULL"
			default:
				v := strings.Repeat("x", k-1) // "" is a key, unlike NULL
				s.Append(v)
				rs[i] = "'" + v + "'"
			}
		}
		ref := joinRefs(rs, genInt64(r, n, b1), genInt64(r, n, b2))
		return []arrow.Array{s.NewArray(), b1.NewArray(), b2.NewArray()}, ref
	}},
	{"VARCHAR of 0 to 40 bytes, NULLs over bytes, sliced", kindString, genStrings(wordsOfAllLengths(), 10)},
	{"VARCHAR, many groups", kindString, genStrings(manyWords(), 50)},
	{"dictionary VARCHAR", kindString, func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		words := []string{"a", "b", "c", ""}
		dict := r.Perm(len(words)) // each batch its own dictionary order
		idx := make([]int, n)
		ref := make([]string, n)
		for i := range idx {
			idx[i] = r.IntN(len(words)+1) - 1
			ref[i] = "NULL"
			if idx[i] >= 0 {
				ref[i] = "'" + words[dict[idx[i]]] + "'"
			}
		}
		ordered := make([]string, len(words))
		for i, d := range dict {
			ordered[i] = words[d]
		}
		if r.IntN(2) == 0 { // some batches plain: they must group alike
			return []arrow.Array{plainColumn(withNulls(ordered, idx))}, ref
		}
		return []arrow.Array{dictColumnT(ordered, idx)}, ref
	}},
}

func withNulls(dict []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = "NULL"
		if j >= 0 {
			out[i] = dict[j]
		}
	}
	return out
}

// TestGroupTableMatchesReference: across batches, rows get one group per
// distinct key as SQL groups them, in every table layout.
func TestGroupTableMatchesReference(t *testing.T) {
	for _, tc := range append(groupKeyCases, packedKeyCases...) {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, 12))
			var g groupTable
			groupOf := map[string]int32{}
			keyOf := map[int32]string{}
			for bi := range 12 {
				n := r.IntN(700) // 0: an empty batch
				cols, ref := tc.gen(r, n)
				gids, err := g.assign(cols, n)
				releaseAll(cols)
				if err != nil {
					t.Fatal(err)
				}
				for i, key := range ref {
					if want, ok := groupOf[key]; ok {
						if gids[i] != want {
							t.Fatalf("batch %d row %d: %s in group %d, earlier in %d", bi, i, key, gids[i], want)
						}
						continue
					}
					if other, ok := keyOf[gids[i]]; ok {
						t.Fatalf("batch %d row %d: %s shares group %d with %s", bi, i, key, gids[i], other)
					}
					groupOf[key], keyOf[gids[i]] = gids[i], key
				}
			}
			if g.count != len(groupOf) || g.table.kind != tc.kind {
				t.Fatalf("%d groups in a table of %s, want %d in %s", g.count, g.table.kind, len(groupOf), tc.kind)
			}
		})
	}
}

// keyRow is a two-integer join key; nil is NULL.
type keyRow struct{ a, b *int64 }

// TestJoinTwoIntegerKeys joins on (INT, BIGINT) = (BIGINT, BIGINT) keys —
// the two-integer table, INT widened — with NULL keys on both sides, in
// memory and spilled (grace partitions must agree with the table), against
// a nested-loop reference; the build side with duplicate keys (chains) and
// with every key once (no chains).
func TestJoinTwoIntegerKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	gen := func(n int) []keyRow {
		out := make([]keyRow, n)
		val := func() *int64 {
			if r.IntN(15) == 0 {
				return nil
			}
			return p(r.Int64N(12))
		}
		for i := range out {
			out[i] = keyRow{val(), val()}
		}
		return out
	}
	probe := gen(900)
	var unique []keyRow // every (a, b) once: the table without chains
	for a := range int64(12) {
		for b := range int64(12) {
			if (a+b)%3 != 0 {
				unique = append(unique, keyRow{p(a), p(b)})
			}
		}
	}
	for _, build := range [][]keyRow{gen(700), unique} {
		testJoinTwoIntegerKeys(t, probe, build)
	}
}

func testJoinTwoIntegerKeys(t *testing.T, probe, build []keyRow) {
	probeSchema := &types.Schema{Fields: []types.Field{
		{Name: "a", Type: types.Int32Type, Nullable: true}, {Name: "b", Type: types.Int64Type, Nullable: true}, {Name: "v", Type: types.Int64Type}}}
	buildSchema := &types.Schema{Fields: []types.Field{
		{Name: "c", Type: types.Int64Type, Nullable: true}, {Name: "d", Type: types.Int64Type, Nullable: true}, {Name: "w", Type: types.Int64Type}}}
	mk := func(s *types.Schema, rs []keyRow, wide bool) []arrow.RecordBatch {
		var recs []arrow.RecordBatch
		for lo := 0; lo < len(rs); lo += 100 {
			part := rs[lo:min(lo+100, len(rs))]
			var a array.Builder
			if wide {
				a = array.NewInt64Builder(mem)
			} else {
				a = array.NewInt32Builder(mem)
			}
			b, v := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
			for i, x := range part {
				switch {
				case x.a == nil:
					a.AppendNull()
				case wide:
					a.(*array.Int64Builder).Append(*x.a)
				default:
					a.(*array.Int32Builder).Append(int32(*x.a))
				}
				if x.b == nil {
					b.AppendNull()
				} else {
					b.Append(*x.b)
				}
				v.Append(int64(lo + i))
			}
			cols := []arrow.Array{a.NewArray(), b.NewArray(), v.NewArray()}
			recs = append(recs, array.NewRecordBatch(s.Arrow(), cols, int64(len(part))))
			releaseAll(cols)
			a.Release()
			b.Release()
			v.Release()
		}
		return recs
	}
	cell := func(v *int64) string {
		if v == nil {
			return "NULL"
		}
		return fmt.Sprint(*v)
	}
	eq := func(x, y *int64) bool { return x != nil && y != nil && *x == *y }
	for _, typ := range []logical.JoinType{logical.InnerJoin, logical.LeftJoin, logical.FullJoin, logical.AntiJoin} {
		var want []string
		hitB := make([]bool, len(build))
		for i, x := range probe {
			hit := false
			for j, y := range build {
				if eq(x.a, y.a) && eq(x.b, y.b) {
					hit, hitB[j] = true, true
					if typ != logical.AntiJoin {
						want = append(want, fmt.Sprintf("%s,%s,%d,%s,%s,%d", cell(x.a), cell(x.b), i, cell(y.a), cell(y.b), j))
					}
				}
			}
			switch {
			case !hit && (typ == logical.LeftJoin || typ == logical.FullJoin):
				want = append(want, fmt.Sprintf("%s,%s,%d,NULL,NULL,NULL", cell(x.a), cell(x.b), i))
			case !hit && typ == logical.AntiJoin:
				want = append(want, fmt.Sprintf("%s,%s,%d", cell(x.a), cell(x.b), i))
			}
		}
		for j, y := range build {
			if !hitB[j] && typ == logical.FullJoin {
				want = append(want, fmt.Sprintf("NULL,NULL,NULL,%s,%s,%d", cell(y.a), cell(y.b), j))
			}
		}
		slices.Sort(want)
		lk := []*expr.Expr{expr.BoundCol(0, probeSchema.Fields[0]), expr.BoundCol(1, probeSchema.Fields[1])}
		rk := []*expr.Expr{expr.BoundCol(0, buildSchema.Fields[0]), expr.BoundCol(1, buildSchema.Fields[1])}
		spec := &physical.JoinSpec{Type: typ, LeftKeys: lk, RightKeys: rk}
		out := (&logical.Join{Left: schemaNode{probeSchema}, Right: schemaNode{buildSchema}, Type: typ}).Schema()
		for _, budget := range []int64{0, 4 << 10} {
			t.Run(fmt.Sprintf("%s/budget=%d", typ, budget), func(t *testing.T) {
				pool := memory.NewPool(budget)
				env := &Env{Pool: pool, TempDir: t.TempDir()}
				j := &joinOp{probe: source(probeSchema, mk(probeSchema, probe, false)...),
					buildIn: source(buildSchema, mk(buildSchema, build, true)...), spec: spec, schema: out.Arrow(), batchRows: 64}
				if err := j.compile(env); err != nil {
					t.Fatal(err)
				}
				recs, err := batch.ReadAll(context.Background(), j)
				if err != nil {
					t.Fatal(err)
				}
				got := sorted(rows(t, adopt(j.schema, recs)))
				j.Close()
				mustEqual(t, got, want)
				if spilled := env.Spilled.Load() > 0; spilled != (budget > 0) {
					t.Fatalf("spilled: %v under a budget of %d", spilled, budget)
				}
				if left, _ := os.ReadDir(env.TempDir); len(left) > 0 || pool.Held() != 0 {
					t.Fatalf("%d files and %d bytes left", len(left), pool.Held())
				}
			})
		}
	}
}

func dictColumnT(dict []string, idx []int) arrow.Array {
	sb := array.NewStringBuilder(mem)
	defer sb.Release()
	sb.AppendValues(dict, nil)
	values := sb.NewArray()
	defer values.Release()
	ib := array.NewInt32Builder(mem)
	defer ib.Release()
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
