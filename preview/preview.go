package preview

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"text/tabwriter"

	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/compress"
	"github.com/drover-etl/drover/format/dataset"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// Head prints up to n rows of the data at p. formatName "" infers the
// format from the file extension.
func Head(ctx context.Context, w io.Writer, p, formatName string, n int) error {
	locs, err := storage.Expand(ctx, p)
	if err != nil {
		return err
	}
	root, _ := storage.Resolve(ctx, p)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	printed := 0
	header := false
	for _, loc := range locs {
		if printed >= n {
			break
		}
		f, err := lookup(formatName, loc.Key)
		if err != nil {
			return err
		}
		parts := hiveParts(strings.TrimPrefix(loc.Key, strings.TrimSuffix(root.Key, "/")))
		cnt, err := printFile(ctx, tw, f, loc, parts, n-printed, &header)
		if err != nil {
			return err
		}
		printed += cnt
	}
	return tw.Flush()
}

// lookup finds the format named, or the one of key's extension under any
// compression suffix (part-….csv.gz is csv).
func lookup(name, key string) (format.Format, error) {
	if name == "" {
		if compress.FromName(key) != compress.None {
			key = strings.TrimSuffix(key, path.Ext(key))
		}
		name = strings.TrimPrefix(path.Ext(key), ".")
		if name == "json" || name == "ndjson" {
			name = "jsonl"
		}
	}
	return format.Lookup(name)
}

// hiveParts extracts k=v directory segments of a relative key, unescaped
// as a source reads them (NULL for Hive's NULL directory).
func hiveParts(rel string) [][2]string {
	var out [][2]string
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	for _, s := range segs[:max(len(segs)-1, 0)] {
		if k, v, null, ok := dataset.ParseDir(s); ok {
			if null {
				v = "NULL"
			}
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

func printFile(ctx context.Context, tw io.Writer, f format.Format, loc storage.Location, parts [][2]string, limit int, header *bool) (int, error) {
	info, err := loc.Store.Stat(ctx, loc.Key)
	if err != nil {
		return 0, err
	}
	schema, err := f.Infer(ctx, loc, nil)
	if err != nil {
		return 0, err
	}
	if !*header {
		names := schema.Names()
		for _, p := range parts {
			names = append(names, p[0])
		}
		fmt.Fprintln(tw, strings.Join(names, "\t"))
		*header = true
	}
	splits, err := f.Split(ctx, loc, info.Size, 1<<62)
	if err != nil {
		return 0, err
	}
	printed := 0
	for _, sp := range splits {
		r, err := f.Open(ctx, sp, format.ReadOptions{Table: schema})
		if err != nil {
			return printed, err
		}
		for printed < limit {
			rec, err := r.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				r.Close()
				return printed, err
			}
			for i := 0; i < int(rec.NumRows()) && printed < limit; i++ {
				cells := make([]string, 0, rec.NumCols()+int64(len(parts)))
				for c := 0; c < int(rec.NumCols()); c++ {
					cells = append(cells, cell(text(eval.ValueAt(rec.Column(c), i))))
				}
				for _, p := range parts {
					cells = append(cells, p[1])
				}
				fmt.Fprintln(tw, strings.Join(cells, "\t"))
				printed++
			}
			rec.Release()
		}
		r.Close()
	}
	return printed, nil
}

// cell keeps a table cell on one line and reasonably short.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}

// text renders a value for a table: strings unquoted, the rest as SQL.
func text(v types.Value) string {
	if !v.Null && v.Type.ID == types.String {
		return v.S
	}
	return v.String()
}
