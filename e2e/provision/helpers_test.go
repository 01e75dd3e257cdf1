package provision

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// cmdOpts says where and with which extra environment a command runs.
type cmdOpts struct {
	dir   string
	env   []string
	stdin string
	log   string // when set, output also goes to this file
}

// run runs a command and returns its combined output.
func run(ctx context.Context, o cmdOpts, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = o.dir
	cmd.Env = append(os.Environ(), o.env...)
	cmd.WaitDelay = 10 * time.Second
	if o.stdin != "" {
		cmd.Stdin = strings.NewReader(o.stdin)
	}
	var buf bytes.Buffer
	var w io.Writer = &buf
	if o.log != "" {
		f, err := os.OpenFile(o.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return "", err
		}
		defer f.Close()
		fmt.Fprintf(f, "\n$ %s %s\n", filepath.Base(name), strings.Join(args, " "))
		w = io.MultiWriter(&buf, f)
	}
	cmd.Stdout, cmd.Stderr = w, w
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("%s %s: %w", filepath.Base(name), strings.Join(args, " "), err)
	}
	return buf.String(), err
}

// must runs a command and fails the test, with the output's tail, if it fails.
func must(t testing.TB, ctx context.Context, o cmdOpts, name string, args ...string) string {
	t.Helper()
	out, err := run(ctx, o, name, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, tail(out, 60))
	}
	return out
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// waitFor polls cond until it returns true, an error, or the timeout passes.
func waitFor(ctx context.Context, timeout, every time.Duration, what string, cond func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		ok, err := cond()
		if ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("%s: not after %s: %w", what, timeout, last)
			}
			return fmt.Errorf("%s: not after %s", what, timeout)
		case <-time.After(every):
		}
	}
}

// s3Client is a minio-go client for an http:// endpoint.
func s3Client(t testing.TB, endpoint, access, secret, region string) *minio.Client {
	t.Helper()
	c, err := minio.New(strings.TrimPrefix(endpoint, "http://"), &minio.Options{
		Creds:  credentials.NewStaticV4(access, secret, ""),
		Region: region,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// uploadDir copies a local directory tree to bucket/prefix.
func uploadDir(t testing.TB, ctx context.Context, c *minio.Client, dir, bucket, prefix string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		_, err = c.FPutObject(ctx, bucket, prefix+"/"+filepath.ToSlash(rel), p, minio.PutObjectOptions{})
		return err
	})
	if err != nil {
		t.Fatalf("upload %s to s3://%s/%s: %v", dir, bucket, prefix, err)
	}
}

// exists reports whether bucket/key exists.
func exists(ctx context.Context, c *minio.Client, bucket, key string) bool {
	_, err := c.StatObject(ctx, bucket, key, minio.StatObjectOptions{})
	return err == nil
}

// floatCell matches numbers with more fractional digits than any decimal
// column has: float64 results such as avg(), whose last bits depend on the
// order in which partial aggregates arrive.
var floatCell = regexp.MustCompile(`^-?[0-9]+\.[0-9]{7,}$`)

// normalizeRows turns `drover head` output into sorted rows with float
// cells rounded to 9 significant digits; the header stays first.
func normalizeRows(out string) []string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) == 0 {
		return nil
	}
	rows := make([]string, 0, len(lines)-1)
	for _, l := range lines[1:] {
		cells := strings.Fields(l)
		for i, c := range cells {
			if floatCell.MatchString(c) {
				f, _ := strconv.ParseFloat(c, 64)
				cells[i] = strconv.FormatFloat(f, 'g', 9, 64)
			}
		}
		rows = append(rows, strings.Join(cells, " "))
	}
	sort.Strings(rows)
	return append([]string{strings.Join(strings.Fields(lines[0]), " ")}, rows...)
}

// diffRows describes how two row sets differ (empty when they are equal).
func diffRows(got, want []string) string {
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return ""
	}
	in := map[string]int{}
	for _, r := range want {
		in[r]++
	}
	var extra, missing []string
	for _, r := range got {
		if in[r] > 0 {
			in[r]--
		} else {
			extra = append(extra, r)
		}
	}
	for r, n := range in {
		for range n {
			missing = append(missing, r)
		}
	}
	sort.Strings(missing)
	return fmt.Sprintf("%d rows vs %d expected\nunexpected:\n  %s\nmissing:\n  %s", len(got), len(want),
		strings.Join(extra, "\n  "), strings.Join(missing, "\n  "))
}
