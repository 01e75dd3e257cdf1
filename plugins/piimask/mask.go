package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/udf"
)

// maskTransform rewrites args.columns (comma-separated string columns)
// with args.mode: hash (default; "h:" and 16 hex digits of the salted
// SHA-256, so equal values still join), redact ("***"), initials, or email
// ("a***@example.com"). NULLs stay NULL; the schema does not change.
var maskTransform = &udf.MapTransform{
	Summary: "masks args.columns by args.mode: hash (salted with args.salt), redact, initials or email",
	Schema:  maskSchema,
	Map:     maskBatch,
}

var modes = map[string]func(s, salt string) string{
	"hash":     HashValue,
	"redact":   func(string, string) string { return "***" },
	"initials": func(s, _ string) string { return Initials(s) },
	"email":    func(s, _ string) string { return Email(s) },
}

func maskSchema(in *arrow.Schema, args map[string]string) (*arrow.Schema, error) {
	if _, err := maskPlan(in, args); err != nil {
		return nil, err
	}
	return in, nil
}

// maskPlan returns the ordinals of the columns to mask.
func maskPlan(in *arrow.Schema, args map[string]string) ([]int, error) {
	if _, ok := modes[mode(args)]; !ok {
		return nil, fmt.Errorf("mask: unknown mode %q (want hash, redact, initials or email)", mode(args))
	}
	if strings.TrimSpace(args["columns"]) == "" {
		return nil, fmt.Errorf(`mask needs args = { columns = "a,b" }`)
	}
	var cols []int
	for _, name := range strings.Split(args["columns"], ",") {
		idx := in.FieldIndices(strings.TrimSpace(name))
		if len(idx) == 0 {
			return nil, fmt.Errorf("mask: no column %q in the input", strings.TrimSpace(name))
		}
		if in.Field(idx[0]).Type.ID() != arrow.STRING {
			return nil, fmt.Errorf("mask: column %q is %s; only strings are masked", name, in.Field(idx[0]).Type)
		}
		cols = append(cols, idx[0])
	}
	return cols, nil
}

func mode(args map[string]string) string {
	if m := args["mode"]; m != "" {
		return m
	}
	return "hash"
}

func maskBatch(_ context.Context, rec arrow.RecordBatch, args map[string]string) (arrow.RecordBatch, error) {
	cols, err := maskPlan(rec.Schema(), args)
	if err != nil {
		return nil, err
	}
	fn, salt := modes[mode(args)], args["salt"]
	out := append([]arrow.Array(nil), rec.Columns()...)
	for _, c := range cols {
		masked := maskColumn(rec.Column(c).(*array.String), func(s string) string { return fn(s, salt) })
		defer masked.Release()
		out[c] = masked
	}
	return array.NewRecordBatch(rec.Schema(), out, rec.NumRows()), nil
}

func maskColumn(in *array.String, fn func(string) string) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(in.Len())
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			b.AppendNull()
			continue
		}
		b.Append(fn(in.Value(i)))
	}
	return b.NewArray()
}

// HashValue is "h:" and the first 16 hex digits of SHA-256(salt + "\x00" + s).
func HashValue(s, salt string) string {
	sum := sha256.Sum256([]byte(salt + "\x00" + s))
	return "h:" + hex.EncodeToString(sum[:8])
}

// Initials keeps the first letter of each word: "Anna Müller" → "A. M.".
func Initials(s string) string {
	var parts []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '-' }) {
		r, _ := utf8.DecodeRuneInString(w)
		parts = append(parts, string(unicode.ToUpper(r))+".")
	}
	return strings.Join(parts, " ")
}

// Email keeps an address's first character and domain: "anna@x.org" →
// "a***@x.org"; anything without an @ is redacted whole.
func Email(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(local)
	return string(r) + "***@" + domain
}
