package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stopGrace is how long a server gets to shut down on SIGINT before it and
// its process group are killed.
const stopGrace = 20 * time.Second

// proc is one running server process and what its monitor saw.
type proc struct {
	t       testing.TB
	name    string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed once the process has exited and been reaped

	mu       sync.Mutex
	running  bool // ready and in use: an exit now is a test failure
	stopping bool
	exited   bool
	exitErr  error
	reported bool // the log tail is already in a failure message
}

// launch starts bin with args, output appended to logPath. The process
// leads its own process group (so stop can reach the helpers Nomad spawns)
// and is killed by the kernel if the test binary dies first.
func launch(t testing.TB, name, bin string, args, env []string, logPath string) (*proc, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s log: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv(env)
	cmd.Dir = filepath.Dir(logPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{t: t, name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go p.monitor(logf)
	return p, nil
}

// monitor reaps the process and fails the test if it died while in use.
func (p *proc) monitor(logf *os.File) {
	err := p.cmd.Wait()
	logf.Close()
	p.mu.Lock()
	p.exited, p.exitErr = true, err
	unexpected := p.running && !p.stopping
	p.mu.Unlock()
	if unexpected {
		p.reported = true
		p.t.Errorf("testutil: %s exited unexpectedly (%v); last lines of %s:\n%s", p.name, err, p.logPath, p.tail())
	}
	close(p.done)
}

// markRunning records that the server is ready; false if it already exited.
func (p *proc) markRunning() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running = !p.exited
	return p.running
}

// waitReady polls ready until it succeeds, the process exits or timeout.
func (p *proc) waitReady(timeout time.Duration, ready func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ready()
		if err == nil && p.markRunning() {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before it was ready (%v)", p.name, p.exitErr)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v: %w", p.name, timeout, err)
		}
	}
}

// stop interrupts the server, kills its process group after stopGrace,
// and then kills whatever it left running (see killSurvivors).
func (p *proc) stop() {
	p.mu.Lock()
	p.stopping = true
	p.mu.Unlock()
	pid := p.cmd.Process.Pid
	var tree map[int]procInfo
	// Signal only while the server is unreaped, so its pid (and group id)
	// cannot have been reused by an unrelated process.
	select {
	case <-p.done:
	default:
		tree = descendants(procTable(), pid)
		_ = p.cmd.Process.Signal(os.Interrupt)
	}
	select {
	case <-p.done:
	case <-time.After(stopGrace):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-p.done
	}
	killSurvivors(tree)
}

// tail returns the end of the server's log, enough to see why it failed.
func (p *proc) tail() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	const maxBytes, maxLines = 16 << 10, 80
	if len(b) > maxBytes {
		b = b[len(b)-maxBytes:]
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > maxLines {
		lines = lines[len(lines)-maxLines:]
	}
	return strings.Join(lines, "\n")
}

// logContains reports whether the server logged s (e.g. a port clash).
func (p *proc) logContains(s string) bool {
	b, err := os.ReadFile(p.logPath)
	return err == nil && strings.Contains(string(b), s)
}

// childEnv is the test's environment without settings that could point a
// server elsewhere than loopback (AWS_*, NOMAD_*, CONSUL_*, VAULT_*, MINIO_*),
// plus CHECKPOINT_DISABLE=1 and extra.
func childEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !hasAnyPrefix(kv, "AWS_", "NOMAD_", "CONSUL_", "VAULT_", "MINIO_", "CHECKPOINT_DISABLE=") {
			env = append(env, kv)
		}
	}
	return append(append(env, "CHECKPOINT_DISABLE=1"), extra...)
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
