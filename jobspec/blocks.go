package jobspec

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Formats lists the file formats sources and sinks may name.
var Formats = []string{"parquet", "csv", "jsonl"}

// TableFormats lists the table formats sources and sinks may name; they
// take `table` (and `catalog`) instead of `path`.
var TableFormats = []string{"iceberg"}

// CatalogTypes lists the catalog block types.
var CatalogTypes = []string{"sql", "rest"}

func allFormats() []string { return append(append([]string{}, Formats...), TableFormats...) }

var jobSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "executors"}, {Name: "min_executors"}, {Name: "max_executors"}, {Name: "partitions"}, {Name: "adaptive"},
		{Name: "speculation"}, {Name: "task_timeout"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "source", LabelNames: []string{"name"}},
		{Type: "view", LabelNames: []string{"name"}},
		{Type: "sink", LabelNames: []string{"name"}},
		{Type: "plugin", LabelNames: []string{"name"}},
		{Type: "catalog", LabelNames: []string{"name"}},
	},
}

func (d *decoder) job(b *hcl.Block) *Job {
	c := d.content(b, jobSchema)
	job := &Job{Name: b.Labels[0], Range: b.DefRange}
	job.Executors = d.count(c.Attributes, "executors")
	job.MinExecutors = d.count(c.Attributes, "min_executors")
	job.MaxExecutors = d.count(c.Attributes, "max_executors")
	job.Partitions = d.count(c.Attributes, "partitions")
	job.Adaptive = d.boolean(c.Attributes, "adaptive")
	job.Speculation = d.boolean(c.Attributes, "speculation")
	job.TaskTimeout = d.duration(c.Attributes, "task_timeout")
	for _, blk := range c.Blocks {
		switch blk.Type {
		case "source":
			job.Sources = append(job.Sources, d.source(blk))
		case "view":
			job.Views = append(job.Views, d.view(blk))
		case "sink":
			job.Sinks = append(job.Sinks, d.sink(blk))
		case "plugin":
			job.Plugins = append(job.Plugins, d.plugin(blk))
		case "catalog":
			job.Catalogs = append(job.Catalogs, d.catalog(blk))
		}
	}
	return job
}

var sourceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "format", Required: true}, {Name: "path"},
		{Name: "schema"}, {Name: "options"},
		{Name: "hive_partitioning"}, {Name: "partition_columns"},
		{Name: "table"}, {Name: "catalog"},
	},
}

func (d *decoder) source(b *hcl.Block) *Source {
	c := d.content(b, sourceSchema)
	s := &Source{Name: b.Labels[0], Range: b.DefRange}
	s.Format = d.oneOf(c.Attributes, "format", allFormats())
	s.Path = d.nonEmpty(c.Attributes, "path")
	s.Schema = d.schema(c.Attributes)
	s.Options = d.stringMap(c.Attributes, "options")
	d.partitioning(c.Attributes, s)
	s.Table, s.Catalog = d.text(c.Attributes, "table"), d.str(c.Attributes, "catalog")
	d.checkLocation("source", s.Format, c.Attributes)
	if s.Format == "iceberg" && len(s.Schema) > 0 {
		d.errorf(c.Attributes["schema"].Range, "an iceberg source takes its schema from the table; remove schema")
	}
	return s
}

// partitioning reads hive_partitioning and partition_columns: declared
// partition columns switch discovery on, so both false and a declaration
// is a contradiction.
func (d *decoder) partitioning(attrs hcl.Attributes, s *Source) {
	s.HivePartitioning = d.boolean(attrs, "hive_partitioning")
	s.PartitionColumns = d.columns(attrs, "partition_columns")
	if s.HivePartitioning != nil && !*s.HivePartitioning && len(s.PartitionColumns) > 0 {
		d.errorf(attrs["hive_partitioning"].Expr.Range(), "hive_partitioning = false contradicts partition_columns (drop one)")
	}
	for _, pc := range s.PartitionColumns {
		for _, col := range s.Schema {
			if strings.EqualFold(pc.Name, col.Name) {
				d.errorf(pc.Range, "partition_columns: %q is also declared in schema; a partition column comes from the directory names, declare it in partition_columns only", pc.Name)
			}
		}
	}
}

func (d *decoder) schema(attrs hcl.Attributes) []Column { return d.columns(attrs, "schema") }

// columns reads an object attribute of column name → type name.
func (d *decoder) columns(attrs hcl.Attributes, name string) []Column {
	var cols []Column
	seen := map[string]bool{}
	for _, p := range d.pairs(attrs, name) {
		t, err := types.Parse(p.Value.Value)
		if err != nil {
			d.errorf(p.Value.Range, "%s: column %q: %v", name, p.Key.Value, err)
			continue
		}
		if low := strings.ToLower(p.Key.Value); seen[low] {
			d.errorf(p.Key.Range, "%s: column %q declared twice", name, p.Key.Value)
		} else {
			seen[low] = true
		}
		cols = append(cols, Column{Name: p.Key.Value, Type: t, Range: p.Key.Range})
	}
	return cols
}

// nonEmpty reads a string attribute that must not be blank.
func (d *decoder) nonEmpty(attrs hcl.Attributes, name string) string {
	t, ok := d.textOK(attrs, name)
	if ok && strings.TrimSpace(t.Value) == "" {
		d.errorf(t.Range, "%s must not be empty", name)
	}
	return t.Value
}

var sinkSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "from", Required: true}, {Name: "format", Required: true}, {Name: "path"},
		{Name: "partition_by"}, {Name: "mode"}, {Name: "options"}, {Name: "target_file_size"},
		{Name: "table"}, {Name: "catalog"},
	}, layoutAttributes...),
}

func (d *decoder) sink(b *hcl.Block) *Sink {
	c := d.content(b, sinkSchema)
	s := &Sink{Name: b.Labels[0], Range: b.DefRange}
	s.From = d.text(c.Attributes, "from")
	s.Format = d.oneOf(c.Attributes, "format", allFormats())
	s.Path = d.nonEmpty(c.Attributes, "path")
	s.Table, s.Catalog = d.text(c.Attributes, "table"), d.str(c.Attributes, "catalog")
	d.checkLocation("sink", s.Format, c.Attributes)
	s.PartitionBy = d.texts(c.Attributes, "partition_by")
	mode := d.text(c.Attributes, "mode")
	m, err := logical.ParseWriteMode(strings.ToLower(mode.Value))
	if err != nil {
		d.errorf(mode.Range, "mode: %v", err)
	}
	s.Mode = m
	if m == logical.ModeDynamicOverwrite && s.Format != "iceberg" {
		d.errorf(mode.Range, "mode dynamic_overwrite is for iceberg sinks; a %s sink takes error, overwrite or append", s.Format)
	}
	s.Options = d.stringMap(c.Attributes, "options")
	s.TargetFileSize = d.size(c.Attributes, "target_file_size")
	s.Layout = d.layout(c.Attributes, fmt.Sprintf("sink %q", s.Name))
	return s
}

var pluginSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "source", Required: true}, {Name: "sha256"}, {Name: "env"}},
}

var sha256Hex = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)

func (d *decoder) plugin(b *hcl.Block) *Plugin {
	c := d.content(b, pluginSchema)
	p := &Plugin{Name: b.Labels[0], Range: b.DefRange}
	p.Source = d.nonEmpty(c.Attributes, "source")
	sum := d.text(c.Attributes, "sha256")
	if sum.IsSet() && !sha256Hex.MatchString(sum.Value) {
		d.errorf(sum.Range, "sha256 must be 64 hexadecimal digits")
	}
	if !sum.IsSet() && IsRemoteSource(p.Source) {
		d.errorf(b.DefRange, "plugin %q: a binary from %s needs sha256 (its digest is never trusted on first use; sha256sum gives it)", p.Name, p.Source)
	}
	p.SHA256 = strings.ToLower(sum.Value)
	for _, e := range d.texts(c.Attributes, "env") {
		if d.pluginEnvName(p.Name, e) {
			p.Env = append(p.Env, e.Value)
		}
	}
	return p
}

// IsRemoteSource: a plugin source with a scheme other than file:// is
// fetched from a store, and must carry its sha256.
func IsRemoteSource(source string) bool {
	scheme, _, ok := strings.Cut(source, "://")
	return ok && !strings.EqualFold(scheme, "file")
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// pluginEnvName checks one name of a plugin's env allow-list. Credentials
// the engine itself holds are never passed on, whatever the job says.
func (d *decoder) pluginEnvName(plugin string, e Text) bool {
	switch {
	case !envName.MatchString(e.Value):
		d.errorf(e.Range, "plugin %q: env: %q is not an environment variable name", plugin, e.Value)
	case ForbiddenPluginEnv(e.Value):
		d.errorf(e.Range, "plugin %q: env: %s is never passed to a plugin (plugins get no S3 credentials and no executor credentials)", plugin, e.Value)
	default:
		return true
	}
	return false
}

// ForbiddenPluginEnv: the engine's own credentials, which no plugin gets.
func ForbiddenPluginEnv(name string) bool {
	n := strings.ToUpper(name)
	switch n {
	case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
		"MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "NOMAD_TOKEN", "CONSUL_HTTP_TOKEN", "VAULT_TOKEN":
		return true
	}
	return strings.HasPrefix(n, "DROVER_EXECUTOR_")
}
