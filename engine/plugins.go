package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/udfhost"
)

// CompileJob plans an already parsed job. Unless opts.Funcs answers for
// them, the plugins it declares start here, in the process that plans it:
// the planner asks them for result types and output schemas, and a local
// executor calls the same processes (WithPlugins). Close the result to
// stop them.
func CompileJob(ctx context.Context, job *jobspec.Job, opts Options) (*Compiled, error) {
	var host *udfhost.Host
	if opts.Funcs == nil && opts.NoPluginCode && len(job.Plugins) > 0 {
		return nil, pluginsNotRun(job)
	}
	if opts.Funcs == nil {
		h, err := startPlugins(ctx, job, opts.Plugins)
		if err != nil {
			return nil, err
		}
		if h != nil {
			host, opts.Funcs = h, h
		}
	}
	c, err := compileJob(ctx, job, opts)
	if err != nil {
		host.Close()
		return nil, err
	}
	c.Plugins = host
	return c, nil
}

// ErrPluginsNotRun: planning needed the job's plugins (their result types
// and schemas), and the caller did not allow running them.
var ErrPluginsNotRun = errors.New("planning this job runs its plugins")

func pluginsNotRun(job *jobspec.Job) error {
	names := make([]string, len(job.Plugins))
	for i, p := range job.Plugins {
		names[i] = fmt.Sprintf("%q (%s)", p.Name, p.Source)
	}
	return jobspec.At(job.Plugins[0].Range, fmt.Errorf("%w to learn their types: %s; pass --run-plugins to allow it",
		ErrPluginsNotRun, strings.Join(names, ", ")))
}

// startPlugins starts the job's plugin blocks (nil: there are none); an
// error names the block.
func startPlugins(ctx context.Context, job *jobspec.Job, cfg udfhost.Config) (*udfhost.Host, error) {
	if len(job.Plugins) == 0 {
		return nil, nil
	}
	h := udfhost.New(cfg)
	for i, spec := range udfhost.SpecsOf(job.Plugins) {
		if err := h.Add(ctx, spec); err != nil {
			h.Close()
			return nil, jobspec.At(job.Plugins[i].Range, err)
		}
	}
	return h, nil
}

// WithPlugins lets rt call the job's plugins, and returns it.
func (c *Compiled) WithPlugins(rt *executor.Runtime) *executor.Runtime {
	if c.Plugins != nil {
		rt.UDF, rt.Transforms = c.Plugins, c.Plugins
	}
	return rt
}

// Close stops the job's plugins and closes its catalogs.
func (c *Compiled) Close() error {
	if c.tables != nil {
		c.tables.Close()
	}
	return c.Plugins.Close()
}
