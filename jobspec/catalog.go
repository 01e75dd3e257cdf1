package jobspec

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
)

var catalogSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true}, {Name: "uri", Required: true},
		{Name: "warehouse"}, {Name: "properties"},
	},
}

func (d *decoder) catalog(b *hcl.Block) *Catalog {
	c := d.content(b, catalogSchema)
	cat := &Catalog{Name: b.Labels[0], Range: b.DefRange}
	cat.Type = d.oneOf(c.Attributes, "type", CatalogTypes)
	cat.URI = d.nonEmpty(c.Attributes, "uri")
	cat.Warehouse = d.str(c.Attributes, "warehouse")
	cat.Properties = d.stringMap(c.Attributes, "properties")
	return cat
}

// checkLocation: a file format reads a path, a table format a table.
func (d *decoder) checkLocation(kind, format string, attrs hcl.Attributes) {
	_, hasPath := attrs["path"]
	_, hasTable := attrs["table"]
	isTable := slices.Contains(TableFormats, format)
	switch {
	case format == "":
	case isTable && hasPath:
		d.errorf(attrs["path"].Range, "an %s %s reads no path; name its table (table = \"namespace.table\")", format, kind)
	case isTable && !hasTable:
		d.errorf(attrs["format"].Range, "an %s %s needs table = \"namespace.table\"", format, kind)
	case !isTable && hasTable:
		d.errorf(attrs["table"].Range, "table is for iceberg %ss; a %s %s takes path", kind, format, kind)
	case !isTable && !hasPath:
		d.errorf(attrs["format"].Range, "a %s %s needs path", format, kind)
	}
	if c, ok := attrs["catalog"]; ok && !isTable && format != "" {
		d.errorf(c.Range, "catalog is for iceberg %ss", kind)
	}
	for _, name := range []string{"hive_partitioning", "partition_columns"} {
		if a, ok := attrs[name]; ok && isTable {
			d.errorf(a.Range, "%s is for file sources; an %s table's partitions come from its metadata", name, format)
		}
	}
}

// checkCatalogs: names are unique, and every table source or sink names
// a declared catalog (or the only one, when it names none).
func (d *decoder) checkCatalogs(job *Job) {
	byName := map[string]bool{}
	for _, c := range job.Catalogs {
		if byName[c.Name] {
			d.errorf(c.Range, "catalog %q is declared twice", c.Name)
		}
		byName[c.Name] = true
	}
	resolve := func(kind, name string, cat *string, at hcl.Range) {
		switch {
		case *cat != "" && !byName[*cat]:
			d.errorf(at, "%s %q: no catalog %q is declared (add a catalog %q block)", kind, name, *cat, *cat)
		case *cat == "" && len(job.Catalogs) == 1:
			*cat = job.Catalogs[0].Name
		case *cat == "" && len(job.Catalogs) == 0:
			d.errorf(at, "%s %q reads a table but the job declares no catalog block", kind, name)
		case *cat == "":
			d.errorf(at, "%s %q: the job declares several catalogs; say which (catalog = \"name\")", kind, name)
		}
	}
	for _, s := range job.Sources {
		if slices.Contains(TableFormats, s.Format) {
			resolve("source", s.Name, &s.Catalog, s.Range)
		}
	}
	for _, s := range job.Sinks {
		if slices.Contains(TableFormats, s.Format) {
			resolve("sink", s.Name, &s.Catalog, s.Range)
		}
	}
}
