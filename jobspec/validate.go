package jobspec

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// validate checks the references between blocks: unique names, views that
// read sources or earlier views only, sinks that read something that
// exists. Column-level checks need schemas and happen in package jobplan.
func validate(job *Job, d *decoder) {
	if job.MinExecutors > 0 && job.MaxExecutors > 0 && job.MinExecutors > job.MaxExecutors {
		d.errorf(job.Range, "min_executors (%d) is larger than max_executors (%d)", job.MinExecutors, job.MaxExecutors)
	}
	known := map[string]bool{}
	var names []string
	define := func(kind, name string, rng hcl.Range) {
		if known[name] {
			d.errorf(rng, "%s %q: a source or view with this name already exists", kind, name)
		}
		known[name] = true
		names = append(names, name)
	}
	for _, s := range job.Sources {
		define("source", s.Name, s.Range)
	}
	later := map[string]bool{}
	for _, v := range job.Views {
		later[v.Name] = true
	}
	for _, v := range job.Views {
		delete(later, v.Name)
		if v.From.IsSet() {
			d.checkRelation(v.Name, v.From.Value, v.From.Range, known, later, names)
		}
		for _, j := range v.Joins {
			d.checkRelation(v.Name, j.Name, j.Range, known, later, names)
		}
		define("view", v.Name, v.Range)
	}
	d.checkSinks(job, known, names)
	d.checkPlugins(job)
	d.checkCatalogs(job)
}

func (d *decoder) checkRelation(self, name string, at hcl.Range, known, later map[string]bool, names []string) {
	switch {
	case name == self:
		d.errorf(at, "view %q cannot read itself", name)
	case known[name]:
	case later[name]:
		d.errorf(at, "view %q is defined further down; a view can only read sources and views above it", name)
	default:
		d.errorf(at, "unknown source or view %q%s", name, didYouMean(name, names))
	}
}

func (d *decoder) checkSinks(job *Job, known map[string]bool, names []string) {
	sinks := map[string]bool{}
	for _, s := range job.Sinks {
		if sinks[s.Name] {
			d.errorf(s.Range, "sink %q is declared twice", s.Name)
		}
		sinks[s.Name] = true
		if s.From.IsSet() && !known[s.From.Value] {
			d.errorf(s.From.Range, "unknown source or view %q%s", s.From.Value, didYouMean(s.From.Value, names))
		}
	}
	if len(job.Sinks) == 0 {
		d.errorf(job.Range, "job %q has no sink; nothing would be written", job.Name)
	}
}

func (d *decoder) checkPlugins(job *Job) {
	seen := map[string]bool{}
	for _, p := range job.Plugins {
		if seen[strings.ToLower(p.Name)] {
			d.errorf(p.Range, "plugin %q is declared twice", p.Name)
		}
		seen[strings.ToLower(p.Name)] = true
	}
	// Scalar calls are checked while planning (they hide in expressions);
	// a transform names its plugin right here.
	for _, v := range job.Views {
		plugin, _, ok := strings.Cut(v.Transform.Value, ".")
		if ok && !seen[plugin] {
			d.errorf(v.Transform.Range, "view %q: transform %q: no plugin %q is declared (add a plugin %q block)",
				v.Name, v.Transform.Value, plugin, plugin)
		}
	}
}
