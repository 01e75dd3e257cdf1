package main

import (
	"hash/fnv"
	"testing"
)

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"naïve café order":          "naive-cafe-order",
		`say "thanks"`:              "say-thanks",
		"🎁 birthday":                "birthday",
		"fragile\nhandle with care": "fragile-handle-with-care",
		"Dvořák  --  Émile 2":       "dvorak-emile-2",
		"":                          "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	if got := Normalize("  ﬁne\n\tday  "); got != "fine day" {
		t.Errorf("Normalize = %q", got)
	}
}

func TestHash(t *testing.T) {
	for _, s := range []string{"", "a", "naïve café order"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := Hash(s), int64(h.Sum64()); got != want {
			t.Errorf("Hash(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestScore(t *testing.T) {
	kw := keywordSet("")
	if got := Score("fragile\nhandle with care", kw); got != 0.5 {
		t.Errorf("Score = %v", got)
	}
	if got := Score("", kw); got != 0 {
		t.Errorf("Score(empty) = %v", got)
	}
}
