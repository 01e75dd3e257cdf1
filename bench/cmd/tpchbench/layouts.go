package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/drover-etl/drover/bench/harness"
)

// runLayouts runs the suite on each layout in list (harness.RunLayouts)
// and writes <date>-layouts-sf<SF>.md and .json. A failed or disagreeing
// cell fails the command after the report is written.
func runLayouts(ctx context.Context, cfg harness.Config, list string, profiles int, results, notes string) error {
	layouts, err := harness.SelectLayouts(strings.Split(list, ","))
	if err != nil {
		return err
	}
	text, err := readNotes(notes)
	if err != nil {
		return err
	}
	rep, err := harness.RunLayouts(ctx, cfg, harness.LayoutOptions{Layouts: layouts, Profiles: profiles})
	if err != nil {
		return err
	}
	rep.Notes = text
	md, js, err := rep.Write(results)
	if err != nil {
		return err
	}
	fmt.Println(rep.Markdown())
	fmt.Fprintf(os.Stderr, "wrote %s and %s\n", md, js)
	if failed := rep.Failed(); len(failed) > 0 {
		return fmt.Errorf("%d cells failed:\n%s", len(failed), strings.Join(failed, "\n"))
	}
	return nil
}

// runTPCLayouts runs the 22 standard TPC-H texts on each layout in list
// (harness.RunTPCLayouts) and writes <date>-tpc-layouts-sf<SF>.md and
// .json, rewritten after every query. As with runTPC, failing or
// disagreeing queries are in the report and do not fail the command.
func runTPCLayouts(ctx context.Context, cfg harness.Config, suites, list, results, notes string) error {
	if strings.TrimSpace(suites) != "tpch-std" {
		return fmt.Errorf("-layouts with -suite runs tpch-std only (got %q)", suites)
	}
	layouts, err := harness.SelectLayouts(strings.Split(list, ","))
	if err != nil {
		return err
	}
	text, err := readNotes(notes)
	if err != nil {
		return err
	}
	progress := func(rep *harness.TPCReport) {
		rep.Notes = text
		if _, _, err := rep.Write(results); err != nil {
			fmt.Fprintln(os.Stderr, "tpchbench: write report:", err)
		}
	}
	rep, err := harness.RunTPCLayouts(ctx, cfg, layouts, progress)
	if rep != nil {
		progress(rep)
	}
	if err != nil {
		return err
	}
	fmt.Println(rep.Markdown())
	return nil
}
