package driver

import (
	"fmt"

	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
)

// checkSinks refuses, before any work, sinks whose paths are unsafe
// (commit.CheckPath) or whose directories contain each other, a file the
// job reads, or the shuffle directory: overwrite and cleanup of one would
// reach into the other. Paths are compared canonically, so "out" and
// "./out/" or an absolute spelling of it are the same place.
func checkSinks(g *stage.Graph, shuffleDir string) error {
	type sink struct {
		name, path, canon string
		table             bool // an Iceberg table: see below
	}
	var sinks []sink
	for _, st := range g.Stages {
		if !st.IsSink() {
			continue
		}
		w := st.Root.Write
		if err := commit.CheckPath(w.Path); err != nil {
			return fmt.Errorf("sink %q: %w", w.Sink, err)
		}
		sk := sink{w.Sink, w.Path, commit.Canonical(w.Path), w.Table != nil}
		for _, o := range sinks {
			if commit.Within(sk.canon, o.canon) || commit.Within(o.canon, sk.canon) {
				return fmt.Errorf("sinks %q (%s) and %q (%s) write into each other's directory; give each its own",
					o.name, o.path, sk.name, sk.path)
			}
		}
		if shuffleDir != "" {
			sh := commit.Canonical(shuffleDir)
			if commit.Within(sk.canon, sh) || commit.Within(sh, sk.canon) {
				return fmt.Errorf("sink %q (%s) overlaps the shuffle directory %s", sk.name, sk.path, shuffleDir)
			}
		}
		sinks = append(sinks, sk)
	}
	for _, in := range inputFiles(g) {
		c := commit.Canonical(in.url)
		for _, sk := range sinks {
			// A job may read the table it writes: a table sink only adds
			// new files and its snapshot drops references, never a file
			// the pinned read snapshot holds.
			if commit.Within(c, sk.canon) && !sk.table {
				return fmt.Errorf("sink %q (%s) would write where source %q reads (%s); write the output elsewhere",
					sk.name, sk.path, in.source, in.url)
			}
		}
	}
	return nil
}

type inputFile struct{ source, url string }

// inputFiles lists every file the job's scans read.
func inputFiles(g *stage.Graph) []inputFile {
	var out []inputFile
	var walk func(n *physical.Node)
	walk = func(n *physical.Node) {
		if n == nil {
			return
		}
		if n.Scan != nil {
			for _, sp := range n.Scan.Splits {
				out = append(out, inputFile{n.Scan.Source, sp.URL})
			}
		}
		for _, in := range n.Inputs {
			walk(in)
		}
	}
	for _, st := range g.Stages {
		walk(st.Root)
	}
	return out
}
