package plugins

import (
	"bytes"
	"context"
	"github.com/drover-etl/drover/internal/e2eutil"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/parquet"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/udfhost"
	"github.com/drover-etl/drover/udfhost/plugintest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintest.Cleanup()
	os.Exit(code)
}

// plugins builds the example plugins and faultkit and returns the
// directory they are in (jobs name them ${var.plugins}/<name>).
func plugins(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bins := plugintest.Build(t, "plugins/textkit", "plugins/piimask", "udfhost/internal/faultkit")
	return filepath.Dir(bins["textkit"])
}

// logBuffer collects what the plugins write to stderr.
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

// runJob compiles a job file (starting its plugins, as drover run does)
// and runs it on two local executor slots that serialize every task spec,
// as a remote executor would receive it.
func runJob(t *testing.T, path string, vars map[string]string, timeout time.Duration, log *logBuffer) (*driver.Summary, error) {
	t.Helper()
	ctx := context.Background()
	c, err := engine.Compile(ctx, path, engine.Options{Vars: vars, Parallelism: 2,
		Plugins: udfhost.Config{Log: log, CallTimeout: timeout}})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ex := executor.NewLocal(c.WithPlugins(&executor.Runtime{Name: "test", TempDir: t.TempDir()}), 2)
	ex.Serialize = true
	return engine.Run(ctx, c, ex, engine.RunOptions{})
}

// filesWithExt lists committed files under dir with extension ext, as
// full paths.
func filesWithExt(t *testing.T, dir, ext string) []string {
	var out []string
	for _, rel := range e2eutil.VisibleFiles(t, dir) {
		if strings.HasSuffix(rel, ext) {
			out = append(out, filepath.Join(dir, rel))
		}
	}
	return out
}
