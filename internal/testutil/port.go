package testutil

import (
	"fmt"
	"net"
	"sync"
)

var (
	portMu sync.Mutex
	// handedOut remembers every port this process returned: the kernel may
	// hand the same ephemeral port out again once its listener is closed,
	// and two servers in one test binary must not race for it.
	handedOut = map[int]bool{}
)

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on right
// now and that this process has not returned before. Another process may
// still take it before the caller binds it; the Start functions retry on
// "address already in use".
func FreePort() (int, error) {
	portMu.Lock()
	defer portMu.Unlock()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("find a free port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !handedOut[port] {
			handedOut[port] = true
			return port, nil
		}
	}
	return 0, fmt.Errorf("find a free port: every port offered was already handed out")
}

// freePorts returns n distinct free ports.
func freePorts(n int) ([]int, error) {
	ports := make([]int, n)
	for i := range ports {
		p, err := FreePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	return ports, nil
}
