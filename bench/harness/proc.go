package harness

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Sample is one measured run of one engine.
type Sample struct {
	Wall time.Duration `json:"wall_ns"`
	// CPU is user plus system time of the process and its reaped children.
	CPU time.Duration `json:"cpu_ns"`
	// PeakRSS is the peak resident set size, as the process reports it
	// from /proc/self/status VmHWM when it finishes. (rusage's maxrss would
	// include the harness's own RSS: exec records the forking process's
	// high-water mark in the child's.)
	PeakRSS int64 `json:"peak_rss_bytes"`
	// BytesRead and BytesWritten count the bytes passed through read and
	// write system calls (/proc/<pid>/io rchar and wchar): input files and,
	// for Drover, shuffle files.
	BytesRead    int64 `json:"bytes_read"`
	BytesWritten int64 `json:"bytes_written"`
	// ShuffleBytes is what Drover's map stages wrote (0 for DuckDB).
	ShuffleBytes int64 `json:"shuffle_bytes,omitempty"`
	// Result is the output read back.
	Result Result `json:"result"`
}

// ErrMemoryCap means a process was killed because its resident set grew
// past the cap it was run with.
var ErrMemoryCap = errors.New("killed: resident set above the memory cap")

// runMeasured runs cmd to completion, measures it and returns its
// standard output. The process is left a zombie (waitid WNOWAIT) long
// enough to read its I/O counters.
func runMeasured(cmd *exec.Cmd) (Sample, []byte, error) {
	return runMeasuredCapped(cmd, 0)
}

// runMeasuredCapped is runMeasured that kills the process when its
// resident set exceeds memCap bytes (0: no cap), so that one runaway query
// cannot take the machine down with it; the error is then ErrMemoryCap.
func runMeasuredCapped(cmd *exec.Cmd, memCap int64) (Sample, []byte, error) {
	var stdout, out bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&stdout, &out), &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Sample{}, nil, err
	}
	capped := watchRSS(cmd.Process, memCap)
	err := waitExited(cmd.Process.Pid)
	over := capped()
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return Sample{}, nil, err
	}
	s := Sample{Wall: time.Since(start)}
	counters, ioErr := procIO(cmd.Process.Pid)
	if err := cmd.Wait(); err != nil {
		if over {
			return Sample{}, nil, fmt.Errorf("%s: %w (%d MiB)", cmd.Args[0], ErrMemoryCap, memCap>>20)
		}
		return Sample{}, nil, fmt.Errorf("%s: %w\n%s", cmd.Args[0], err, tail(out.String(), 4000))
	}
	if ioErr != nil {
		return Sample{}, nil, ioErr
	}
	s.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	s.BytesRead, s.BytesWritten = counters["rchar"], counters["wchar"]
	return s, stdout.Bytes(), nil
}

// watchRSS polls p's resident set every 50 ms and kills p when it exceeds
// memCap (0: does nothing). The returned function stops the watch and
// reports whether it killed p.
func watchRSS(p *os.Process, memCap int64) func() bool {
	if memCap <= 0 {
		return func() bool { return false }
	}
	done, killed := make(chan struct{}), make(chan bool, 1)
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				killed <- false
				return
			case <-t.C:
				if procRSS(p.Pid) > memCap {
					p.Kill()
					<-done
					killed <- true
					return
				}
			}
		}
	}()
	return func() bool {
		close(done)
		return <-killed
	}
}

// procRSS reads a process's VmRSS from /proc/<pid>/status (0 if gone).
func procRSS(pid int) int64 {
	return statusKB(fmt.Sprintf("/proc/%d/status", pid), "VmRSS:")
}

// statusKB reads a "<key> <n> kB" line of a /proc status file, in bytes.
func statusKB(path, key string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// selfPeakRSS reads this process's VmHWM from /proc/self/status.
func selfPeakRSS() int64 { return statusKB("/proc/self/status", "VmHWM:") }

// waitExited blocks until pid has exited without reaping it.
func waitExited(pid int) error {
	for {
		var info unix.Siginfo
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}

// procIO reads /proc/<pid>/io.
func procIO(pid int) (map[string]int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return nil, fmt.Errorf("I/O counters: %w", err)
	}
	m := map[string]int64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err == nil {
			m[k] = n
		}
	}
	return m, nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
