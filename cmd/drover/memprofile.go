package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// startMemProfile samples the live heap every 100 ms and, each time it
// reaches a new high (by a twentieth), keeps a heap profile, written to
// path when stop is called: the profile of the run's largest heap, where
// one taken at the end shows a heap already freed. For measuring what the
// memory budget does not count (hidden flag --memprofile).
func startMemProfile(path string) (stop func() error) {
	if path == "" {
		return func() error { return nil }
	}
	done, finished := make(chan struct{}), make(chan []byte)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var high uint64
		var best []byte
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				finished <- best
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if live := sample[0].Value.Uint64(); live > high+high/20 {
				var b bytes.Buffer
				if err := pprof.Lookup("heap").WriteTo(&b, 0); err == nil {
					high, best = live, b.Bytes()
				}
			}
		}
	}()
	return func() error {
		close(done)
		b := <-finished
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return fmt.Errorf("--memprofile: %w", err)
		}
		return nil
	}
}
