package udfhost

import "testing"

// textkit declares its scalar functions deterministic, not its score
// transform; piimask declares nothing; unknown names are not.
func TestDeterministicAsDeclared(t *testing.T) {
	h := start(t, Config{}, "textkit", "piimask")
	for name, want := range map[string]bool{
		"textkit.slug": true, "TextKit.Hash": true, "textkit.score": false,
		"piimask.mask": false, "piimask.initials": false,
		"textkit.nope": false, "nokit.slug": false,
	} {
		if got := h.Deterministic(name); got != want {
			t.Errorf("Deterministic(%q) = %v, want %v", name, got, want)
		}
	}
}
