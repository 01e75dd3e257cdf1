package udfhost

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/drover-etl/drover/metrics"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
	"github.com/drover-etl/drover/udf"
	"github.com/drover-etl/drover/udfhost/plugintest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintest.Cleanup()
	os.Exit(code)
}

// logBuffer is a Config.Log that tests can read while plugins write.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// start runs the named plugins (textkit, piimask, faultkit) on a host.
func start(t *testing.T, cfg Config, names ...string) *Host {
	t.Helper()
	pkgs := map[string]string{"textkit": "plugins/textkit", "piimask": "plugins/piimask", "faultkit": "udfhost/internal/faultkit"}
	var specs []Spec
	for _, n := range names {
		bins := plugintest.Build(t, pkgs[n])
		specs = append(specs, Spec{Name: n, Source: bins[n]})
	}
	h, err := Start(context.Background(), cfg, specs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func strs(vals ...string) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

func call(h *Host, name string, vals ...string) (string, error) {
	in := strs(vals...)
	defer in.Release()
	out, err := h.CallScalar(context.Background(), name, []arrow.Array{in}, types.StringType)
	if err != nil {
		return "", err
	}
	defer out.Release()
	return out.String(), nil
}

func TestPlanAndCallThroughARealPlugin(t *testing.T) {
	h := start(t, Config{}, "textkit")
	got, err := h.ResolveFunc("TextKit.Slug", []types.Type{types.StringType})
	if err != nil || got != types.StringType {
		t.Fatalf("resolve = %v, %v", got, err)
	}
	_, err = h.ResolveFunc("textkit.slug", []types.Type{types.Int64Type})
	if !errors.Is(err, udf.ErrRejected) || err.Error() != `plugin "textkit": want one string argument, got (int64)` {
		t.Errorf("resolve slug(int64): %v", err)
	}
	_, err = h.ResolveFunc("textkit.slugify", []types.Type{types.StringType})
	if !errors.Is(err, udf.ErrUnknownFunction) || !strings.Contains(err.Error(), "scalar functions: hash, normalize, slug; transforms: score") {
		t.Errorf("unknown function: %v", err)
	}
	if _, err = h.ResolveFunc("nlp.x", []types.Type{types.StringType}); !errors.Is(err, ErrUnknownPlugin) {
		t.Errorf("unknown plugin: %v", err)
	}
	out, err := call(h, "textkit.slug", "naïve café order", "🎁 birthday")
	if err != nil || out != `["naive-cafe-order" "birthday"]` {
		t.Errorf("slug = %s, %v", out, err)
	}
}

func TestTransformThroughARealPlugin(t *testing.T) {
	h := start(t, Config{}, "piimask")
	in := &types.Schema{Fields: []types.Field{{Name: "name", Type: types.StringType, Nullable: true}}}
	out, err := h.ResolveTransform("piimask.mask", in, map[string]string{"columns": "name", "mode": "initials"})
	if err != nil || out.Len() != 1 || out.Fields[0].Name != "name" {
		t.Fatalf("resolve = %v, %v", out, err)
	}
	_, err = h.ResolveTransform("piimask.mask", in, map[string]string{"columns": "email"})
	if !errors.Is(err, udf.ErrRejected) || !strings.Contains(err.Error(), `no column "email"`) {
		t.Errorf("resolve with a missing column: %v", err)
	}
	names := strs("Anna Müller", "Li Tanaka")
	defer names.Release()
	rec := array.NewRecordBatch(in.Arrow(), []arrow.Array{names}, 2)
	defer rec.Release()
	got := runTransform(t, h, "piimask.mask", map[string]string{"columns": "name", "mode": "initials"}, rec, in.Arrow())
	if got != `["A. M." "L. T."]` {
		t.Errorf("masked = %s", got)
	}
}

// runTransform sends rec through a transform and returns its first
// output column.
func runTransform(t *testing.T, h *Host, name string, args map[string]string, rec arrow.RecordBatch, out *arrow.Schema) string {
	t.Helper()
	ctx := context.Background()
	s, err := h.OpenTransform(ctx, name, args, rec.Schema(), out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send(ctx, rec); err != nil {
		t.Fatal(err)
	}
	res, err := s.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	return res.Column(0).String()
}

func TestCrashFailsTheCallRetryablyAndRestarts(t *testing.T) {
	var log logBuffer
	h := start(t, Config{Log: &log}, "faultkit")
	calls, errs, crashes := pluginCounters("faultkit")
	for _, tc := range []struct{ input, quote string }{
		{"crash", `| faultkit: crashing on purpose on "crash"`},
		{"panic", "| panic: faultkit: panic on purpose"},
	} {
		_, err := call(h, "faultkit.crash", "fine", tc.input)
		if !errors.Is(err, ErrCrashed) || task.ClassOf(err) != task.Retryable || !strings.Contains(err.Error(), tc.quote) {
			t.Fatalf("%s: want a retryable crash quoting %q, got (%s) %v", tc.input, tc.quote, task.ClassOf(err), err)
		}
		// The next call starts a new process.
		if out, err := call(h, "faultkit.crash", "fine"); err != nil || out != `["fine"]` {
			t.Fatalf("after the %s: %s, %v", tc.input, out, err)
		}
	}
	if l := log.String(); !strings.Contains(l, `plugin faultkit: faultkit: crashing on purpose on "crash"`) ||
		!strings.Contains(l, "plugin faultkit: starting again (start #3)") {
		t.Errorf("log:\n%s", l)
	}
	// Four calls, two of them crashes.
	c2, e2, x2 := pluginCounters("faultkit")
	if c2-calls != 4 || e2-errs != 2 || x2-crashes != 2 {
		t.Errorf("drover_plugin_{calls,call_errors,crashes}_total grew by %v, %v, %v; want 4, 2, 2", c2-calls, e2-errs, x2-crashes)
	}
}

func pluginCounters(plugin string) (calls, errs, crashes float64) {
	return promtest.ToFloat64(metrics.PluginCalls.WithLabelValues(plugin)),
		promtest.ToFloat64(metrics.PluginCallErrors.WithLabelValues(plugin)),
		promtest.ToFloat64(metrics.PluginCrashes.WithLabelValues(plugin))
}

func TestHungCallTimesOut(t *testing.T) {
	h := start(t, Config{CallTimeout: 300 * time.Millisecond}, "faultkit")
	began := time.Now()
	_, err := call(h, "faultkit.hang", "hang")
	if !errors.Is(err, ErrTimeout) || task.ClassOf(err) != task.Retryable || !strings.Contains(err.Error(), "| faultkit: hanging on purpose") {
		t.Fatalf("want a retryable timeout, got (%s) %v", task.ClassOf(err), err)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("the timeout took %s", d)
	}
	if out, err := call(h, "faultkit.hang", "fine"); err != nil || out != `["fine"]` {
		t.Fatalf("after the hang: %s, %v", out, err)
	}
}

func TestContractBreachesAreFatal(t *testing.T) {
	h := start(t, Config{}, "faultkit")
	_, err := call(h, "faultkit.wrongtype", "a", "b")
	if !errors.Is(err, ErrContract) || task.ClassOf(err) != task.Fatal || !strings.Contains(err.Error(), "returned int64 values, but declared utf8") {
		t.Errorf("wrong type: (%s) %v", task.ClassOf(err), err)
	}
	_, err = call(h, "faultkit.short", "a", "b")
	if !errors.Is(err, ErrContract) || task.ClassOf(err) != task.Fatal || !strings.Contains(err.Error(), "returned 1 values for 2 rows") {
		t.Errorf("short: (%s) %v", task.ClassOf(err), err)
	}
	in := strs("a")
	defer in.Release()
	rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.BinaryTypes.String}}, nil), []arrow.Array{in}, 1)
	defer rec.Release()
	ctx := context.Background()
	s, err := h.OpenTransform(ctx, "faultkit.badschema", nil, rec.Schema(), rec.Schema())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send(ctx, rec); err != nil {
		t.Fatal(err)
	}
	_, err = s.Next(ctx)
	if !errors.Is(err, ErrContract) || task.ClassOf(err) != task.Fatal || !strings.Contains(err.Error(), "returned a batch of (x utf8, extra int64), but declared (x utf8)") {
		t.Errorf("bad schema: (%s) %v", task.ClassOf(err), err)
	}
}

func TestChecksumIsCheckedBeforeStart(t *testing.T) {
	bin := plugintest.Build(t, "plugins/textkit")["textkit"]
	_, err := Start(context.Background(), Config{}, []Spec{{Name: "textkit", Source: bin, SHA256: strings.Repeat("ab", 32)}})
	if !errors.Is(err, ErrChecksum) {
		t.Errorf("want a checksum error, got %v", err)
	}
	_, err = Start(context.Background(), Config{}, []Spec{{Name: "textkit", Source: bin + ".missing"}})
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("missing binary: %v", err)
	}
}

// TestTransformCrashAndHang: the transform stream fails like a scalar
// call, and the plugin comes back for the next run.
func TestTransformCrashAndHang(t *testing.T) {
	h := start(t, Config{CallTimeout: 300 * time.Millisecond}, "faultkit")
	for _, tc := range []struct {
		value string
		want  error
	}{{"crash", ErrCrashed}, {"hang", ErrTimeout}, {"fine", nil}} {
		in := strs("a", tc.value)
		rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.BinaryTypes.String}}, nil), []arrow.Array{in}, 2)
		in.Release()
		err := transformOnce(h, rec)
		rec.Release()
		if !errors.Is(err, tc.want) || (tc.want != nil && task.ClassOf(err) != task.Retryable) {
			t.Errorf("%s: got (%s) %v, want %v", tc.value, task.ClassOf(err), err, tc.want)
		}
	}
}

func transformOnce(h *Host, rec arrow.RecordBatch) error {
	ctx := context.Background()
	s, err := h.OpenTransform(ctx, "faultkit.pass", nil, rec.Schema(), rec.Schema())
	if err != nil {
		return err
	}
	defer s.Close()
	for _, in := range []arrow.RecordBatch{rec, nil} {
		if err := s.Send(ctx, in); err != nil {
			return err
		}
		for {
			out, err := s.Next(ctx)
			if err != nil || out == nil {
				if err != nil {
					return err
				}
				break
			}
			out.Release()
		}
	}
	return nil
}

// TestInvalidUTF8IsAContractBreach: strings a plugin returns must be
// UTF-8; the error names the plugin function (and the column of a
// transform) instead of letting the batch reach a file.
func TestInvalidUTF8IsAContractBreach(t *testing.T) {
	h := start(t, Config{}, "faultkit")
	_, err := call(h, "faultkit.badutf8", "ok", "fine")
	if !errors.Is(err, ErrContract) || task.ClassOf(err) != task.Fatal ||
		!strings.Contains(err.Error(), "faultkit.badutf8 returned a string that is not valid UTF-8 (row 0") {
		t.Errorf("scalar: (%s) %v", task.ClassOf(err), err)
	}
	in := strs("a", "b")
	defer in.Release()
	rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.BinaryTypes.String}}, nil), []arrow.Array{in}, 2)
	defer rec.Release()
	ctx := context.Background()
	s, err := h.OpenTransform(ctx, "faultkit.breakutf8", nil, rec.Schema(), rec.Schema())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send(ctx, rec); err != nil {
		t.Fatal(err)
	}
	_, err = s.Next(ctx)
	if !errors.Is(err, ErrContract) || !strings.Contains(err.Error(), `transform faultkit.breakutf8 returned a string that is not valid UTF-8 (column "x", row 0`) {
		t.Errorf("transform: %v", err)
	}
}

func TestInvalidUTF8InDictionaries(t *testing.T) {
	dict := strs("good", "bad\xff")
	defer dict.Release()
	idx := array.NewInt32Builder(memory.DefaultAllocator)
	defer idx.Release()
	idx.AppendValues([]int32{0, 0, 1}, nil)
	ind := idx.NewArray()
	defer ind.Release()
	d := array.NewDictionaryArray(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, ind, dict)
	defer d.Release()
	if row := invalidUTF8(d); row != 2 {
		t.Errorf("dictionary: first bad row %d, want 2", row)
	}
	ok := strs("é", "", "日本")
	defer ok.Release()
	if row := invalidUTF8(ok); row != -1 {
		t.Errorf("valid strings: bad row %d", row)
	}
}

// TestPluginsSeeOnlyDeclaredEnv: a plugin's environment is the base set
// and what its block declares; S3 keys and executor credentials never
// reach it, declared or not.
func TestPluginsSeeOnlyDeclaredEnv(t *testing.T) {
	for k, v := range map[string]string{"AWS_SECRET_ACCESS_KEY": "s3-secret", "DROVER_EXECUTOR_TOKEN": "run-token",
		"DROVER_TEST_DECLARED": "declared-value", "DROVER_TEST_UNDECLARED": "undeclared-value"} {
		t.Setenv(k, v)
	}
	bin := plugintest.Build(t, "udfhost/internal/faultkit")["faultkit"]
	h, err := Start(context.Background(), Config{}, []Spec{{Name: "faultkit", Source: bin,
		Env: []string{"DROVER_TEST_DECLARED", "AWS_SECRET_ACCESS_KEY", "DROVER_EXECUTOR_TOKEN"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	got, err := call(h, "faultkit.getenv", "DROVER_TEST_DECLARED", "DROVER_TEST_UNDECLARED", "AWS_SECRET_ACCESS_KEY", "DROVER_EXECUTOR_TOKEN", "HOME")
	if err != nil {
		t.Fatal(err)
	}
	if want := `["declared-value" "<unset>" "<unset>" "<unset>" "<unset>"]`; got != want {
		t.Errorf("the plugin saw %s, want %s", got, want)
	}
	path, err := call(h, "faultkit.getenv", "PATH")
	if err != nil || path == `["<unset>"]` {
		t.Errorf("PATH: %s, %v", path, err)
	}
}
