package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// rerender rewrites a report from its JSON at path into results, with
// the text of the notes file (when given) in its notes field.
func rerender(path, results, notes string, rep interface {
	Write(dir string) (md, js string, err error)
}, notesField *string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, rep); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if notes != "" {
		if *notesField, err = readNotes(notes); err != nil {
			return err
		}
	}
	md, js, err := rep.Write(results)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s and %s\n", md, js)
	return nil
}
