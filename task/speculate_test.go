package task

import (
	"context"
	"testing"
)

func TestSpeculativeOf(t *testing.T) {
	if _, ok := SpeculativeOf(context.Background()); ok {
		t.Fatal("a plain context is not speculative")
	}
	want := ID{Stage: 1, Partition: 2, Attempt: 0}
	got, ok := SpeculativeOf(WithSpeculative(context.Background(), want))
	if !ok || got != want {
		t.Fatalf("SpeculativeOf = %v, %v; want %v, true", got, ok, want)
	}
}
