// Command srcbuild builds a Go program from a pinned module source zip
// fetched from the Go module proxy: the way to build Terraform providers
// and Packer plugins whose go.mod the proxy refuses (or that name another
// module path), so they cannot be required from a tool module.
//
//	srcbuild -module M -version V -sha256 HEX -o OUT [-ldflags FLAGS] [-pkg ./path]
//
// The zip's SHA-256 must match the pin; the source is unpacked into a
// temporary directory and built there with its own go.mod and go.sum.
// OUT is written through a temporary file and renamed into place.
package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	var module, version, sum, out, ldflags, pkg string
	flag.StringVar(&module, "module", "", "module path as the proxy knows it")
	flag.StringVar(&version, "version", "", "module version")
	flag.StringVar(&sum, "sha256", "", "SHA-256 of the module zip (hex)")
	flag.StringVar(&out, "o", "", "output binary")
	flag.StringVar(&ldflags, "ldflags", "", "go build -ldflags")
	flag.StringVar(&pkg, "pkg", ".", "package to build, relative to the module root")
	flag.Parse()
	if module == "" || version == "" || sum == "" || out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(module, version, sum, out, ldflags, pkg); err != nil {
		fmt.Fprintln(os.Stderr, "srcbuild:", err)
		os.Exit(1)
	}
}

func run(module, version, sum, out, ldflags, pkg string) error {
	data, err := fetch(module, version)
	if err != nil {
		return err
	}
	got := sha256.Sum256(data)
	if hex.EncodeToString(got[:]) != strings.ToLower(sum) {
		return fmt.Errorf("%s@%s: zip SHA-256 is %x, pinned %s", module, version, got, sum)
	}
	dir, err := os.MkdirTemp("", "srcbuild-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := unzip(data, dir, module+"@"+version+"/"); err != nil {
		return fmt.Errorf("%s@%s: %w", module, version, err)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return err
	}
	args := []string{"build", "-trimpath", "-o", abs + ".tmp"}
	if ldflags != "" {
		args = append(args, "-ldflags", ldflags)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"))
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s@%s: %w", module, version, err)
	}
	return os.Rename(abs+".tmp", abs)
}

// fetch downloads the module zip from the first proxy in GOPROXY that has it.
func fetch(module, version string) ([]byte, error) {
	proxies := os.Getenv("GOPROXY")
	if proxies == "" {
		proxies = "https://proxy.golang.org"
	}
	client := &http.Client{Timeout: 5 * time.Minute}
	var errs []string
	for _, p := range strings.FieldsFunc(proxies, func(r rune) bool { return r == ',' || r == '|' }) {
		if !strings.HasPrefix(p, "http://") && !strings.HasPrefix(p, "https://") {
			continue // "direct" and "off" are not proxies
		}
		url := strings.TrimSuffix(p, "/") + "/" + escape(module) + "/@v/" + escape(version) + ".zip"
		data, err := get(client, url)
		if err == nil {
			return data, nil
		}
		errs = append(errs, err.Error())
	}
	return nil, fmt.Errorf("fetch %s@%s: %s", module, version, strings.Join(errs, "; "))
}

func get(client *http.Client, url string) ([]byte, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// escape applies the module proxy's case encoding: "A" becomes "!a".
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unzip extracts the files under prefix into dir, refusing paths that
// would leave it.
func unzip(data []byte, dir, prefix string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || name == "" || strings.HasSuffix(name, "/") {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if !strings.HasPrefix(dst, dir+string(filepath.Separator)) {
			return fmt.Errorf("zip entry %q leaves the module", f.Name)
		}
		if err := extract(f, dst); err != nil {
			return err
		}
	}
	return nil
}

func extract(f *zip.File, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
