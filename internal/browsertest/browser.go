package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireEnv, set to 1 by `make test`, turns a missing Chromium into a
// test failure instead of a skip.
const RequireEnv = "DROVER_REQUIRE_BROWSER"

// chromium finds the browser: $DROVER_CHROMIUM, else Debian's chromium.
func chromium() string {
	if p := os.Getenv("DROVER_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start launches headless Chromium for the test and returns a browser
// context that ends with the test. Without Chromium the test fails under
// make test (RequireEnv) and is skipped elsewhere, saying why.
func Start(t *testing.T) context.Context {
	t.Helper()
	bin := chromium()
	if bin == "" {
		msg := "headless Chromium not found (install Debian's chromium: make browser)"
		if os.Getenv(RequireEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // tests run as root in containers
		chromedp.WindowSize(1400, 1000),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first action starts the browser; its context must not carry a
	// timeout (that would end the browser), so the wait is bounded here.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start chromium %s: %v", bin, err)
		}
	case <-time.After(limit):
		t.Fatalf("chromium %s did not start within %s", bin, limit)
	}
	return ctx
}

// limit bounds every browser action, so a hung browser fails the test
// instead of stalling it (no assertion depends on the time taken).
const limit = 3 * time.Minute

// Run runs one action and returns its value.
func Run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	v, err := chromedp.Run(c, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// Navigate opens url in the test's tab.
func Navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	Run(t, ctx, chromedp.Navigate(url))
}

// Screenshot saves a full-page PNG (quality 100 makes Chromium send PNG) as <artifact dir>/<test>/<name>.png
// and returns its path.
func Screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	png := Run(t, ctx, chromedp.FullScreenshot(100))
	dir := filepath.Join(ArtifactDir(t), "screenshots", safe(t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", p)
	return p
}

// ArtifactDir is $DROVER_ARTIFACT_DIR, else .artifacts at the module root.
func ArtifactDir(t *testing.T) string {
	if d := os.Getenv("DROVER_ARTIFACT_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, ".artifacts")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, ".artifacts")
		}
	}
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func safe(name string) string {
	return unsafeChars.ReplaceAllString(strings.ReplaceAll(name, "/", "__"), "_")
}

// Text returns the text of the first element matching sel. It is read
// in one script, not by node ID: live updates replace the page's nodes at
// any time, and an ID taken before an update names nothing after it.
func Text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	WaitFor(t, ctx, fmt.Sprintf("document.querySelector(%q) !== null", sel))
	return Run(t, ctx, chromedp.Evaluate[string](fmt.Sprintf("(document.querySelector(%q) || {innerText: ''}).innerText.trim()", sel)))
}

// FollowLink follows the first link matching sel as a click would: its
// href is read in one script (for the same reason as Text), then opened
// and waited for, so the test never acts on a page that is being left.
func FollowLink(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	WaitFor(t, ctx, fmt.Sprintf("document.querySelector(%q) !== null", sel))
	Navigate(t, ctx, Run(t, ctx, chromedp.Evaluate[string](fmt.Sprintf("document.querySelector(%q).href", sel))))
}

// Count counts the elements matching a CSS selector.
func Count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	return Run(t, ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// WaitFor polls the page's JavaScript expression until it is true,
// bounded by Run's limit.
func WaitFor(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	Run(t, ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(limit)))
}
