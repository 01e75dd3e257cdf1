package tpch

import (
	"context"
	"sync"
)

// ordered computes gen(0..n-1) on up to workers goroutines and hands the
// results to consume in index order, with at most 2×workers results in
// flight. It stops at the first error of consume (or when ctx ends) and
// returns it; results not consumed then are left to the garbage collector.
func ordered[T any](ctx context.Context, n, workers int, gen func(int) T, consume func(T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	results := make([]chan T, n)
	for i := range results {
		results[i] = make(chan T, 1)
	}
	window := make(chan struct{}, 2*workers)
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] <- gen(i)
			}
		}()
	}
	for i := range n {
		var v T
		select {
		case v = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-window
		if err := consume(v); err != nil {
			return err
		}
	}
	return nil
}
