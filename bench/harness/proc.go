package harness

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Sample is one measured run of one engine.
type Sample struct {
	Wall time.Duration `json:"wall_ns"`
	// CPU is user plus system time of the process and its reaped children.
	CPU time.Duration `json:"cpu_ns"`
	// PeakRSS is the peak resident set size (rusage maxrss).
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

// runMeasured runs cmd to completion and measures it. The process is
// left a zombie (waitid WNOWAIT) long enough to read its I/O counters.
func runMeasured(cmd *exec.Cmd) (Sample, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Sample{}, err
	}
	if err := waitExited(cmd.Process.Pid); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return Sample{}, err
	}
	s := Sample{Wall: time.Since(start)}
	io, ioErr := procIO(cmd.Process.Pid)
	err := cmd.Wait()
	if err != nil {
		return Sample{}, fmt.Errorf("%s: %w\n%s", cmd.Args[0], err, tail(out.String(), 4000))
	}
	if ioErr != nil {
		return Sample{}, ioErr
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	s.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	s.PeakRSS = ru.Maxrss * 1024
	s.BytesRead, s.BytesWritten = io["rchar"], io["wchar"]
	return s, nil
}

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
