package testutil

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// killGroupLeftovers kills processes still in process group pgid after its
// leader has exited (Nomad's logmon and executor plugins, task processes).
// It signals the group only when a member is seen alive: while any member
// lives, the kernel cannot reuse pgid for an unrelated process.
func killGroupLeftovers(pgid int) {
	if groupHasMembers(pgid) {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

func groupHasMembers(pgid int) bool {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// Fields after the parenthesized command: state ppid pgrp ...
		i := strings.LastIndexByte(string(b), ')')
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) {
			return true
		}
	}
	return false
}
