package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/drover-etl/drover/bench/harness"
	"github.com/drover-etl/drover/bench/tpc"
)

// runTPC runs the standard suites named in list and writes the report.
// Failing or disagreeing queries are in the report; they do not fail the
// command.
func runTPC(ctx context.Context, cfg harness.Config, list, results, notes string) error {
	var suites []tpc.Suite
	for _, name := range strings.Split(list, ",") {
		s, ok := harness.TPCSuites[strings.TrimSpace(name)]
		if !ok {
			return fmt.Errorf("unknown suite %q (want tpch-std or tpcds)", name)
		}
		suites = append(suites, s)
	}
	text, err := readNotes(notes)
	if err != nil {
		return err
	}
	// The report is rewritten after every query: an interrupted run
	// leaves the queries it finished.
	progress := func(rep *harness.TPCReport) {
		rep.Notes = text
		if _, _, err := rep.Write(results); err != nil {
			fmt.Fprintln(os.Stderr, "tpchbench: write report:", err)
		}
	}
	rep, err := harness.RunTPC(ctx, cfg, suites, progress)
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
	return nil
}

func readNotes(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	return string(b), err
}
