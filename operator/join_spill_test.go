package operator

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// spillJoin runs c over left and right (batches of 50 rows) in a pool of
// budget bytes; it checks the pool is empty once the join is closed.
func spillJoin(t *testing.T, c joinCase, left, right []joinRow, budget int64) ([]string, *joinSpills, error) {
	t.Helper()
	return spillJoinIn(t, c, left, right, memory.NewPool(budget))
}

// spillJoinIn is spillJoin in a given pool; it checks the pool holds no
// more once the join is closed than it held before.
func spillJoinIn(t *testing.T, c joinCase, left, right []joinRow, pool *memory.Pool) ([]string, *joinSpills, error) {
	t.Helper()
	before := pool.Held()
	env := &Env{Pool: pool, TempDir: t.TempDir()}
	j := &joinOp{probe: source(joinLeftSchema, batches(joinLeftSchema, left, 50)...),
		buildIn: source(joinRightSchema, batches(joinRightSchema, right, 50)...),
		spec:    c.spec(), schema: c.schema().Arrow(), batchRows: 64}
	if err := j.compile(env); err != nil {
		t.Fatal(err)
	}
	recs, err := batch.ReadAll(context.Background(), j)
	out := rows(t, adopt(j.schema, recs))
	j.Close()
	if h := pool.Held(); h != before {
		t.Fatalf("pool holds %d bytes after the join closed, %d before", h, before)
	}
	if left, _ := os.ReadDir(env.TempDir); len(left) > 0 {
		t.Fatalf("%d spill files left after the join closed", len(left))
	}
	spills := j.spills
	if spills == nil {
		spills = &joinSpills{deepest: -1}
	}
	return sorted(out), spills, err
}

// randomRows makes n rows with keys in [0, keys) (one in 30 NULL: with
// null-safe keys NULL is one key, which must fit the smallest budget) and
// values in [0, 200) (one in 8 NULL).
func randomRows(r *rand.Rand, n, keys int) []joinRow {
	val := func(k, nulls int) *int64 {
		if r.IntN(nulls) == 0 {
			return nil
		}
		return p(int64(r.IntN(k)))
	}
	out := make([]joinRow, n)
	for i := range out {
		out[i] = joinRow{val(keys, 30), val(200, 8)}
	}
	return out
}

// TestJoinSpillMatchesReference runs every keyed join type, with NULL keys
// on both sides, null-safe keys and a residual filter, under budgets from
// unlimited to tiny (every partition spilled, and spilled again one level
// down): the answers never change, and the pool is empty afterwards.
func TestJoinSpillMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	left, right := randomRows(r, 1200, 400), randomRows(r, 900, 400)
	budgets := []struct {
		bytes   int64
		deepest int // -1: no spill
	}{{0, -1}, {32 << 10, 0}, {3 << 10, 1}}
	for _, typ := range allJoinTypes {
		for _, ns := range []bool{false, true} {
			for _, filter := range []bool{false, true} {
				c := joinCase{typ: typ, keyed: true, nullSafe: ns, filter: filter}
				want := refJoin(c, left, right)
				for _, b := range budgets {
					t.Run(fmt.Sprintf("%s/budget=%d", c, b.bytes), func(t *testing.T) {
						got, spills, err := spillJoin(t, c, left, right, b.bytes)
						if err != nil {
							t.Fatal(err)
						}
						mustEqual(t, got, want)
						if spills.deepest < b.deepest {
							t.Fatalf("deepest spill at level %d, want at least %d", spills.deepest, b.deepest)
						}
						if b.deepest < 0 && spills.deepest >= 0 {
							t.Fatalf("spilled at level %d under an unlimited pool", spills.deepest)
						}
					})
				}
			}
		}
	}
}

// TestJoinSpillSkewedKey joins on a key shared by a third of each side
// that fits the budget alone but not with the rest.
func TestJoinSpillSkewedKey(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	left, right := randomRows(r, 600, 300), randomRows(r, 600, 300)
	for i := range 200 {
		left[i*3].k, right[i*3].k = p(7), p(7)
	}
	for _, typ := range allJoinTypes {
		c := joinCase{typ: typ, keyed: true}
		got, spills, err := spillJoin(t, c, left, right, 32<<10)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, got, refJoin(c, left, right))
		if spills.partitions == 0 {
			t.Fatalf("%s: nothing spilled", typ)
		}
	}
}

// TestJoinSpillOneKeyTooBig: the rows of one key alone do not fit, so no
// partitioning can help: the join fails naming the key and what to raise.
func TestJoinSpillOneKeyTooBig(t *testing.T) {
	var left, right []joinRow
	for i := range 2000 {
		right = append(right, joinRow{p(42), p(int64(i))})
		left = append(left, joinRow{p(int64(i % 50)), p(1)})
	}
	_, _, err := spillJoin(t, joinCase{typ: logical.InnerJoin, keyed: true}, left, right, 16<<10)
	if err == nil {
		t.Fatal("a key larger than the budget joined without error")
	}
	for _, want := range []string{"hash join build: key (42) has 2000 rows", "--memory", "--executor-memory", "spread the key"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not say %q", err, want)
		}
	}
	if !errors.Is(err, memory.ErrExhausted) {
		t.Fatalf("error %q does not wrap ErrExhausted", err)
	}
}

// TestJoinTakesItsShareWhenOthersHoldThePool: another operator holds the
// whole pool for now (it spills when next refused), so every reservation
// of the join is refused, down to single keys of one row. Those fit the
// join's fair share of the budget: the join takes it instead of failing,
// for a keyed and a nested loop join, and answers as without the other.
func TestJoinTakesItsShareWhenOthersHoldThePool(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	left, right := randomRows(r, 300, 100), randomRows(r, 200, 100)
	for _, c := range []joinCase{{typ: logical.InnerJoin, keyed: true}, {typ: logical.FullJoin, keyed: true}, {typ: logical.LeftJoin}} {
		t.Run(fmt.Sprint(c.typ, c.keyed), func(t *testing.T) {
			want, _, err := spillJoin(t, c, left, right, 0)
			if err != nil {
				t.Fatal(err)
			}
			pool := memory.NewPool(64 << 10)
			other := pool.Consumer("sort", true)
			other.Grow(64 << 10)
			defer other.Free()
			got, _, err := spillJoinIn(t, c, left, right, pool)
			if err != nil {
				t.Fatalf("a join within its share failed while another operator held the pool: %v", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%d rows differ from the %d of an unlimited run", len(got), len(want))
			}
		})
	}
}

// TestNestedLoopJoinOverBudget: a join without keys cannot spill, so it
// fails naming itself.
func TestNestedLoopJoinOverBudget(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	left, right := randomRows(r, 100, 10), randomRows(r, 2000, 10)
	_, _, err := spillJoin(t, joinCase{typ: logical.InnerJoin}, left, right, 4<<10)
	if err == nil || !errors.Is(err, memory.ErrExhausted) || task.ClassOf(err) != task.Fatal {
		t.Fatalf("got %v, want the nested loop join's fatal budget error", err)
	}
	for _, want := range []string{"nested loop join build", "cannot spill", "--memory", "--executor-memory", "equality condition"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not say %q", err, want)
		}
	}
}

// TestJoinSpillManyNullKeys: half the build rows have NULL keys. They
// cannot match, so a spilling join keeps them out of the partitions (they
// are no single key too large) and right and full joins still output them.
func TestJoinSpillManyNullKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	left, right := randomRows(r, 500, 100), randomRows(r, 1000, 100)
	for i := range right {
		if i%2 == 0 {
			right[i].k = nil
		}
	}
	for _, typ := range allJoinTypes {
		c := joinCase{typ: typ, keyed: true}
		got, spills, err := spillJoin(t, c, left, right, 4<<10)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		mustEqual(t, got, refJoin(c, left, right))
		if spills.partitions == 0 {
			t.Fatalf("%s: nothing spilled", typ)
		}
	}
}

// TestJoinSpillStringKeys joins on (string, int) keys whose strings are
// dictionary-encoded on the build side and plain on the probe side, with
// NULLs: the spilled answer equals the in-memory one.
func TestJoinSpillStringKeys(t *testing.T) {
	schema := &types.Schema{Fields: []types.Field{{Name: "s", Type: types.StringType, Nullable: true},
		{Name: "k", Type: types.Int64Type, Nullable: true}}}
	r := rand.New(rand.NewPCG(13, 13))
	dict := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
	side := func(n int, dictionary bool) []arrow.RecordBatch {
		var out []arrow.RecordBatch
		for range n / 40 {
			idx, strs, ks := make([]int, 40), make([]string, 40), make([]*int64, 40)
			for i := range idx {
				idx[i] = r.IntN(len(dict)+1) - 1
				strs[i] = "NULL"
				if idx[i] >= 0 {
					strs[i] = dict[idx[i]]
				}
				ks[i] = p(int64(r.IntN(30)))
			}
			var sc arrow.Array
			if dictionary {
				sc = dictColumn(t, dict, idx)
			} else {
				sc = plainColumn(strs)
			}
			kc := int64Batch(int64Schema("k"), ks)
			out = append(out, recordOf([]arrow.Array{sc, retained(kc.Columns())[0]}, 40))
			kc.Release()
		}
		return out
	}
	probe, build := side(800, false), side(1200, true)
	defer releaseRecs(probe)
	defer releaseRecs(build)
	for _, typ := range allJoinTypes {
		j := logical.Join{Left: schemaNode{schema}, Right: schemaNode{schema}, Type: typ, MarkName: "m"}
		spec := &physical.JoinSpec{Type: typ, MarkName: "m",
			LeftKeys:  []*expr.Expr{expr.BoundCol(0, schema.Fields[0]), expr.BoundCol(1, schema.Fields[1])},
			RightKeys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0]), expr.BoundCol(1, schema.Fields[1])}}
		run := func(budget int64) []string {
			pool := memory.NewPool(budget)
			op := &joinOp{probe: batch.NewSliceReader(probe[0].Schema(), probe), buildIn: batch.NewSliceReader(build[0].Schema(), build),
				spec: spec, schema: j.Schema().Arrow()}
			if err := op.compile(&Env{Pool: pool, TempDir: t.TempDir()}); err != nil {
				t.Fatal(err)
			}
			out := sorted(rows(t, op))
			if budget > 0 && (op.spills == nil || op.spills.partitions == 0) {
				t.Fatalf("%s: nothing spilled under %d bytes", typ, budget)
			}
			if h := pool.Held(); h != 0 {
				t.Fatalf("%s: pool holds %d bytes after the join", typ, h)
			}
			return out
		}
		want := run(0)
		if len(want) == 0 {
			t.Fatalf("%s: no rows", typ)
		}
		mustEqual(t, run(8<<10), want)
	}
}

// TestJoinSpillClosedEarly closes a spilled join after its first batch:
// its memory and its spill files are given back.
func TestJoinSpillClosedEarly(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 17))
	left, right := randomRows(r, 1000, 200), randomRows(r, 1000, 200)
	c := joinCase{typ: logical.FullJoin, keyed: true}
	pool := memory.NewPool(4 << 10)
	env := &Env{Pool: pool, TempDir: t.TempDir()}
	j := &joinOp{probe: source(joinLeftSchema, batches(joinLeftSchema, left, 50)...),
		buildIn: source(joinRightSchema, batches(joinRightSchema, right, 50)...),
		spec:    c.spec(), schema: c.schema().Arrow()}
	if err := j.compile(env); err != nil {
		t.Fatal(err)
	}
	rec, err := j.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rec.Release()
	if j.grace == nil {
		t.Fatal("the join did not spill")
	}
	j.Close()
	if h := pool.Held(); h != 0 {
		t.Fatalf("pool holds %d bytes after the join closed", h)
	}
	if left, _ := os.ReadDir(env.TempDir); len(left) > 0 {
		t.Fatalf("%d spill files left after the join closed", len(left))
	}
}

// TestJoinBuildCapSpillsUnderUnlimitedPool: an in-memory build side never
// passes maxResidentBuild (string offsets are 32-bit), whatever the pool.
func TestJoinBuildCapSpillsUnderUnlimitedPool(t *testing.T) {
	pool := memory.NewPool(0)
	j := &joinOp{spec: joinCase{typ: logical.InnerJoin, keyed: true}.spec(), env: &Env{Pool: pool}}
	j.reserve()
	defer j.release()
	if err := j.grow(maxResidentBuild - 10); err != nil {
		t.Fatal(err)
	}
	if err := j.grow(11); !errors.Is(err, memory.ErrExhausted) {
		t.Fatalf("growing past %d bytes gave %v, want a refusal", maxResidentBuild, err)
	}
	if j.held != maxResidentBuild-10 || pool.Held() != j.held {
		t.Fatalf("join holds %d, pool %d after a refusal", j.held, pool.Held())
	}
}

// TestJoinSpillRandomized compares spilled joins with the reference over
// random inputs, join types, filters, null-safe keys and budgets.
func TestJoinSpillRandomized(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 19))
	spilled := 0
	for iter := range 60 {
		keys := 8 + r.IntN(120) // a few keys: each key's rows fit the smallest budget
		left, right := randomRows(r, r.IntN(400), keys), randomRows(r, 100+r.IntN(500), keys)
		c := joinCase{typ: allJoinTypes[r.IntN(len(allJoinTypes))], keyed: true, filter: r.IntN(2) == 0, nullSafe: r.IntN(3) == 0}
		budget := int64(6<<10 + r.IntN(16<<10))
		got, spills, err := spillJoin(t, c, left, right, budget)
		if err != nil {
			t.Fatalf("iteration %d, %s, budget %d: %v", iter, c, budget, err)
		}
		if spills.partitions > 0 {
			spilled++
		}
		if want := refJoin(c, left, right); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("iteration %d, %s, budget %d:\ngot  %v\nwant %v", iter, c, budget, got, want)
		}
	}
	if spilled < 20 {
		t.Fatalf("only %d of 60 joins spilled", spilled)
	}
	t.Logf("%d of 60 joins spilled", spilled)
}

// failingReader returns err after n batches of in.
type failingReader struct {
	batch.Reader
	n   int
	err error
}

func (f *failingReader) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if f.n == 0 {
		return nil, f.err
	}
	f.n--
	return f.Reader.Next(ctx)
}

// TestJoinSpillInputFails: a side failing while the join spills fails the
// join with its error, and the join gives back its memory and files.
func TestJoinSpillInputFails(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 23))
	left, right := randomRows(r, 1000, 200), randomRows(r, 1000, 200)
	boom := errors.New("boom")
	for _, side := range []string{"build", "probe"} {
		pool := memory.NewPool(4 << 10)
		env := &Env{Pool: pool, TempDir: t.TempDir()}
		c := joinCase{typ: logical.FullJoin, keyed: true}
		probe := source(joinLeftSchema, batches(joinLeftSchema, left, 50)...)
		build := source(joinRightSchema, batches(joinRightSchema, right, 50)...)
		if side == "build" {
			build = &failingReader{Reader: build, n: 10, err: boom}
		} else {
			probe = &failingReader{Reader: probe, n: 10, err: boom}
		}
		j := &joinOp{probe: probe, buildIn: build, spec: c.spec(), schema: c.schema().Arrow()}
		if err := j.compile(env); err != nil {
			t.Fatal(err)
		}
		if _, err := batch.ReadAll(context.Background(), j); !errors.Is(err, boom) {
			t.Fatalf("%s side failing: got %v", side, err)
		}
		if h := pool.Held(); h != 0 {
			t.Fatalf("%s side failing: pool holds %d bytes after the join closed", side, h)
		}
		if left, _ := os.ReadDir(env.TempDir); len(left) > 0 {
			t.Fatalf("%s side failing: %d spill files left", side, len(left))
		}
	}
}

// TestBuildJoinReservesFromEnv: a join built from a plan reserves from
// Env.Pool, spills under a tiny pool and answers as without one.
func TestBuildJoinReservesFromEnv(t *testing.T) {
	values := func(s *types.Schema, n, keys int) *physical.Node {
		rows := make([][]*expr.Expr, n)
		for i := range rows {
			rows[i] = []*expr.Expr{expr.Lit(types.Int64Value(int64(i % keys))), expr.Lit(types.Int64Value(int64(i)))}
		}
		return &physical.Node{Op: physical.OpValues, Schema: s, Values: &physical.ValuesSpec{Rows: rows}}
	}
	c := joinCase{typ: logical.LeftJoin, keyed: true}
	node := &physical.Node{Op: physical.OpHashJoin, Schema: c.schema(), Join: c.spec(),
		Inputs: []*physical.Node{values(joinLeftSchema, 300, 70), values(joinRightSchema, 400, 50)}}
	run := func(env *Env) []string {
		r, err := Build(context.Background(), node, env)
		if err != nil {
			t.Fatal(err)
		}
		return sorted(rows(t, r))
	}
	want := run(&Env{})
	pool := memory.NewPool(2 << 10)
	env := &Env{Pool: pool, TempDir: t.TempDir()}
	mustEqual(t, run(env), want)
	// keys 0-19: 5 left rows × 8 right; 20-49: 4 × 8; 50-69: 4 unmatched each.
	if len(want) != 20*5*8+30*4*8+20*4 || env.Spilled.Load() == 0 || pool.Held() != 0 {
		t.Fatalf("%d rows, %d bytes spilled, pool holds %d", len(want), env.Spilled.Load(), pool.Held())
	}
}
