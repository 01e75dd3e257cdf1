package memory

import (
	"errors"
	"testing"
)

func TestFairShareBetweenSpillableConsumers(t *testing.T) {
	p := NewPool(1000)
	a := p.Consumer("a", true)
	b := p.Consumer("b", true)
	if err := a.TryGrow(600); !errors.Is(err, ErrExhausted) {
		t.Fatalf("a over its half: got %v", err)
	}
	if err := a.TryGrow(500); err != nil {
		t.Fatal(err)
	}
	if err := b.TryGrow(500); err != nil {
		t.Fatal(err)
	}
	if err := b.TryGrow(1); err == nil {
		t.Fatal("pool full, yet b grew")
	}
	b.Free()
	if err := a.TryGrow(500); err != nil {
		t.Fatalf("a alone may take the whole pool: %v", err)
	}
	if p.Held() != 1000 {
		t.Fatalf("held %d", p.Held())
	}
}

func TestUnspillableShrinksTheShares(t *testing.T) {
	p := NewPool(1000)
	u := p.Consumer("batch", false)
	s := p.Consumer("sort", true)
	if err := u.TryGrow(400); err != nil {
		t.Fatal(err)
	}
	if err := s.TryGrow(601); err == nil {
		t.Fatal("sort took more than unspillable consumers left")
	}
	if err := s.TryGrow(600); err != nil {
		t.Fatal(err)
	}
	if err := u.TryGrow(1); err == nil {
		t.Fatal("unspillable grew past the limit")
	}
	u.Grow(100) // forced: over the limit
	if err := s.Resize(550); err != nil {
		t.Fatal(err)
	}
	if err := s.TryGrow(1); err == nil {
		t.Fatal("spillable grew while the pool is over its limit")
	}
	s.Free()
	s.Free()
	u.Free()
	if p.Held() != 0 {
		t.Fatalf("held %d after Free", p.Held())
	}
}

func TestUnlimited(t *testing.T) {
	r := NewPool(0).Consumer("x", true)
	if err := r.TryGrow(1 << 50); err != nil {
		t.Fatal(err)
	}
	r.Shrink(1 << 60)
	if r.Size() != 0 {
		t.Fatalf("size %d", r.Size())
	}
}

func TestShare(t *testing.T) {
	p := NewPool(1000)
	a, b := p.Consumer("a", true), p.Consumer("b", true)
	u := p.Consumer("u", false)
	if a.Share() != 500 || b.Share() != 500 || u.Share() != 1000 {
		t.Fatalf("shares %d %d %d", a.Share(), b.Share(), u.Share())
	}
	b.Free()
	if a.Share() != 1000 {
		t.Fatalf("a alone: share %d", a.Share())
	}
	if NewPool(0).Consumer("x", true).Share() >= 0 {
		t.Fatal("an unlimited pool has a share")
	}
}
