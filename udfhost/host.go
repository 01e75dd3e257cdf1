package udfhost

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/jobplan"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/operator"
)

// Config tunes a Host.
type Config struct {
	// Log receives every plugin's stderr, line by line, as "plugin <name>:
	// <line>", and the host's notes (restarts). nil discards them.
	Log io.Writer
	// CallTimeout bounds one call into a plugin: one scalar batch, one
	// transform batch, one plan-time question (default DefaultCallTimeout).
	// A plugin that does not answer in time is killed and restarted.
	CallTimeout time.Duration
	// StartTimeout bounds a plugin's start-up (default 30 s).
	StartTimeout time.Duration
	// CacheDir receives binaries fetched from object stores ("": a
	// drover-plugins directory under the OS temp directory).
	CacheDir string
}

// DefaultCallTimeout is generous: a batch is 64 Ki rows, and enrichment
// plugins may call slow services; a hung plugin still fails its task.
const DefaultCallTimeout = 2 * time.Minute

func (c *Config) callTimeout() time.Duration {
	if c.CallTimeout > 0 {
		return c.CallTimeout
	}
	return DefaultCallTimeout
}

// Spec names one plugin: a job's plugin block, or what a driver ships to
// its executors (Source then is a URL of a staged binary, see Stage).
type Spec struct {
	Name string `json:"name"`
	// Source is a local path or a URL of any registered storage scheme
	// (s3://bucket/key).
	Source string `json:"source"`
	// SHA256 is the binary's hex digest; checked before every start when
	// set, and computed on load when not.
	SHA256 string `json:"sha256,omitempty"`
	// Env names the environment variables the plugin process receives
	// from this process (besides baseEnv); it inherits nothing else.
	Env []string `json:"env,omitempty"`
}

// SpecsOf lists a job's plugin blocks.
func SpecsOf(plugins []*jobspec.Plugin) []Spec {
	out := make([]Spec, len(plugins))
	for i, p := range plugins {
		out[i] = Spec{Name: p.Name, Source: p.Source, SHA256: p.SHA256, Env: p.Env}
	}
	return out
}

// Host runs a process's plugins: each starts once and serves every task,
// and is restarted after it crashes or hangs. It answers the planner's
// type questions and the operators' calls, so the engine sees plugins only
// through the interfaces below.
type Host struct {
	cfg   Config
	log   *syncWriter
	mu    sync.Mutex
	procs map[string]*proc // by lower-case name
}

var (
	_ expr.FuncResolver         = (*Host)(nil)
	_ jobplan.TransformResolver = (*Host)(nil)
	_ eval.ScalarUDF            = (*Host)(nil)
	_ operator.Transformer      = (*Host)(nil)
)

// New returns a host without plugins.
func New(cfg Config) *Host {
	return &Host{cfg: cfg, log: &syncWriter{w: cfg.Log}, procs: map[string]*proc{}}
}

// Start returns a host running the given plugins; if one fails to load,
// the ones started are stopped again.
func Start(ctx context.Context, cfg Config, specs []Spec) (*Host, error) {
	h := New(cfg)
	for _, s := range specs {
		if err := h.Add(ctx, s); err != nil {
			h.Close()
			return nil, err
		}
	}
	return h, nil
}

// Add loads a plugin: it finds the binary (fetching a URL), checks its
// digest, and starts it, so a broken plugin fails before any planning.
func (h *Host) Add(ctx context.Context, s Spec) error {
	name := strings.ToLower(s.Name)
	path, sum, err := h.binary(ctx, s)
	if err != nil {
		return fmt.Errorf("plugin %q: %w", s.Name, err)
	}
	p := &proc{name: name, path: path, sum: sum, source: s.Source, env: s.Env, cfg: &h.cfg, log: h.log}
	if _, err := p.get(ctx); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if old, ok := h.procs[name]; ok {
		old.stop()
	}
	h.procs[name] = p
	return nil
}

// Specs lists the loaded plugins with local paths and digests: what a
// driver stages for its executors (StageAll).
func (h *Host) Specs() []Spec {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Spec, 0, len(h.procs))
	for _, p := range h.procs {
		out = append(out, Spec{Name: p.name, Source: p.path, SHA256: p.digest(), Env: p.env})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Close stops every plugin; a nil host has none.
func (h *Host) Close() error {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	procs := h.procs
	h.procs = map[string]*proc{}
	h.mu.Unlock()
	for _, p := range procs {
		p.stop()
	}
	return nil
}

// lookup splits "textkit.slug" into the textkit plugin and "slug".
func (h *Host) lookup(name string) (*proc, string, error) {
	plugin, fn, ok := strings.Cut(strings.ToLower(name), ".")
	if !ok {
		return nil, "", fmt.Errorf("%w: %q is not plugin.function", ErrUnknownPlugin, name)
	}
	h.mu.Lock()
	p, ok := h.procs[plugin]
	known := make([]string, 0, len(h.procs))
	for n := range h.procs {
		known = append(known, n)
	}
	h.mu.Unlock()
	if !ok {
		sort.Strings(known)
		have := "the job declares none"
		if len(known) > 0 {
			have = "loaded: " + strings.Join(known, ", ")
		}
		return nil, "", fmt.Errorf("%w %q in %s (declare it in a plugin block; %s)", ErrUnknownPlugin, plugin, name, have)
	}
	return p, fn, nil
}

// syncWriter serializes lines from many plugins' stderr readers.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) printf(format string, args ...any) {
	if s.w == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.w, format, args...)
}
