package conformance

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// outcome is what one query did in Drover, compared with DuckDB.
type outcome string

const (
	pass    outcome = "pass"
	errored outcome = "error"   // Drover failed with an error
	wrong   outcome = "wrong"   // Drover answered, differently from DuckDB
	timeout outcome = "timeout" // Drover ran past the per-query timeout
)

// queryResult is one query's outcome.
type queryResult struct {
	name    string
	outcome outcome
	// message is the first line of Drover's error, or the difference.
	message string
	notes   []string
	rows    int // DuckDB's row count
	elapsed time.Duration
}

// statusLine renders the ratchet file's line for r.
func (r queryResult) statusLine() string {
	if r.message == "" {
		return r.name + " " + string(r.outcome)
	}
	return r.name + " " + string(r.outcome) + ": " + r.message
}

// jobPrefixRE is the position in the generated job file that front-end
// errors start with; it says nothing about the query.
var jobPrefixRE = regexp.MustCompile(`^conformance\.hcl:\d+:\d+: (view "result": )?`)

// firstLine is an error's first line, trimmed and without the generated
// job's position, for status files.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return jobPrefixRE.ReplaceAllString(strings.TrimSpace(s), "")
}

// readStatus reads a ratchet file: one "name outcome[: message]" line per
// query; # starts a comment. A missing file is empty.
func readStatus(path string) (map[string]outcome, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]outcome{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st := map[string]outcome{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want \"name outcome\", got %q", path, n, line)
		}
		word, _, _ := strings.Cut(rest, ":")
		o := outcome(strings.TrimSpace(word))
		switch o {
		case pass, errored, wrong, timeout:
		default:
			return nil, fmt.Errorf("%s:%d: unknown outcome %q", path, n, word)
		}
		st[name] = o
	}
	return st, sc.Err()
}

// writeStatus rewrites a ratchet file with the results, keeping the lines
// of the suite's queries that did not run (a -run filter) and dropping
// those of queries the suite no longer has.
func writeStatus(path, suite string, results []queryResult, queries []string) error {
	keep := map[string]bool{}
	for _, n := range queries {
		keep[n] = true
	}
	lines := map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			if name, _, _ := strings.Cut(l, " "); keep[name] {
				lines[name] = l
			}
		}
	}
	for _, r := range results {
		lines[r.name] = r.statusLine()
	}
	names := make([]string, 0, len(lines))
	for n := range lines {
		names = append(names, n)
	}
	sort.Strings(names)
	all := make([]queryResult, len(names))
	for i, n := range names {
		_, rest, _ := strings.Cut(lines[n], " ")
		word, _, _ := strings.Cut(rest, ":")
		all[i] = queryResult{name: n, outcome: outcome(word)}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "# %s vs DuckDB: one line per query, written by go test -update.\n# %s\n", suite, scoreboard(suite, all))
	for _, n := range names {
		sb.WriteString(lines[n] + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}

// ratchetVerdict says what a result means against the recorded status:
// failure is non-empty when the test must fail (a WRONG answer, or a
// query recorded as passing that no longer does); improved is set when a
// query passes that the file records as failing.
func ratchetVerdict(r queryResult, recorded outcome, known bool) (failure string, improved bool) {
	switch {
	case r.outcome == wrong:
		return "WRONG answer: " + r.message, false
	case known && recorded == pass && r.outcome != pass:
		return fmt.Sprintf("regressed: recorded as pass, now %s: %s", r.outcome, r.message), false
	case r.outcome == pass && (!known || recorded != pass):
		return "", true
	}
	return "", false
}

// scoreboard is the summary line of a suite, e.g. "TPC-H 8/22 pass
// (12 error, 2 timeout, 0 wrong)".
func scoreboard(suite string, results []queryResult) string {
	n := map[outcome]int{}
	for _, r := range results {
		n[r.outcome]++
	}
	return fmt.Sprintf("%s %d/%d pass (%d error, %d timeout, %d wrong)", suite, n[pass], len(results), n[errored], n[timeout], n[wrong])
}

var (
	nearRE     = regexp.MustCompile(`near "\(?[A-Za-z_:]*[^"]*"`)
	subqueryRE = regexp.MustCompile(`\(in .*\)`)
	quotedRE   = regexp.MustCompile(`"[^"]*"|'[^']*'|` + "`[^`]*`")
	numberRE   = regexp.MustCompile(`\b\d+(\.\d+)?\b`)
)

// cause groups error messages: quoted names and numbers (positions,
// column names, literals) are masked, so "line 3:7: column "x" not found"
// and "line 9:2: column "y" not found" are one cause; a syntax error keeps
// the first token it stopped at.
func cause(msg string) string {
	// A syntax error's cause is the token it stopped at: NULLS, (, OUTER.
	c := nearRE.ReplaceAllStringFunc(msg, func(m string) string {
		tok := strings.TrimPrefix(m, `near "`)
		if n := strings.IndexAny(tok, " ,\""); n > 0 {
			tok = tok[:n]
		}
		if strings.HasPrefix(tok, "(") {
			tok = "("
		}
		return "near ‹" + tok + "›"
	})
	c = subqueryRE.ReplaceAllString(c, "(in …)")
	c = quotedRE.ReplaceAllString(c, "…")
	return numberRE.ReplaceAllString(c, "N")
}

// errorGroups renders the non-passing queries grouped by cause, the most
// frequent first.
func errorGroups(results []queryResult) string {
	groups := map[string][]string{}
	examples := map[string]string{}
	for _, r := range results {
		if r.outcome == pass {
			continue
		}
		c := string(r.outcome) + ": " + cause(r.message)
		groups[c] = append(groups[c], r.name)
		if _, ok := examples[c]; !ok {
			examples[c] = r.message
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(groups[keys[i]]) != len(groups[keys[j]]) {
			return len(groups[keys[i]]) > len(groups[keys[j]])
		}
		return keys[i] < keys[j]
	})
	var sb strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&sb, "%3d  %s\n       e.g. %s\n       %s\n", len(groups[k]), k, examples[k], strings.Join(groups[k], " "))
	}
	return sb.String()
}
