package icetable

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	_ "github.com/apache/iceberg-go/catalog/rest" // registers type "rest"
	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	iceio "github.com/apache/iceberg-go/io"
	_ "github.com/apache/iceberg-go/io/gocloud/s3" // s3:// table locations
	_ "github.com/jackc/pgx/v5/stdlib"             // database/sql driver "pgx"
	_ "modernc.org/sqlite"                         // database/sql driver "sqlite", pure Go

	s3store "github.com/drover-etl/drover/storage/s3"
)

// Catalog types a job may declare.
const (
	TypeSQL  = "sql"
	TypeREST = "rest"
)

// Config is one `catalog "name" { ... }` block of a job.
type Config struct {
	Name string
	// Type is "sql" (URI sqlite:///path or postgres://...) or "rest"
	// (URI http(s)://...).
	Type      string
	URI       string
	Warehouse string
	// Properties are passed to iceberg-go as catalog properties; they
	// override the S3 settings Drover derives from its environment.
	Properties map[string]string
}

// Open connects to the catalog. S3 access for table files comes from the
// same AWS_* environment Drover's own S3 store reads.
func Open(ctx context.Context, cfg Config) (catalog.Catalog, error) {
	props := catalogProps(cfg)
	switch cfg.Type {
	case TypeSQL:
		return openSQL(cfg, props)
	case TypeREST:
		// Through the registry, so that properties such as credential,
		// token, scope, prefix and header.* configure the client.
		props["type"], props["uri"] = TypeREST, cfg.URI
		c, err := catalog.Load(ctx, cfg.Name, props)
		if err != nil {
			return nil, fmt.Errorf("catalog %q: open REST catalog %s: %w", cfg.Name, Redact(cfg.URI), err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("%w: catalog %q: type must be sql or rest; got %q", ErrConfig, cfg.Name, cfg.Type)
}

func catalogProps(cfg Config) iceberg.Properties {
	props := iceberg.Properties{}
	s3 := s3store.ConfigFromEnv()
	set := func(k, v string) {
		if v != "" {
			props[k] = v
		}
	}
	set(iceio.S3EndpointURL, s3.Endpoint)
	set(iceio.S3AccessKeyID, s3.AccessKey)
	set(iceio.S3SecretAccessKey, s3.SecretKey)
	set(iceio.S3SessionToken, s3.SessionToken)
	region := s3.Region
	if region == "" {
		region = "us-east-1" // MinIO's default; AWS SDK v2 refuses an empty one
	}
	set(iceio.S3Region, region)
	set("warehouse", cfg.Warehouse)
	for k, v := range cfg.Properties {
		props[k] = v
	}
	return props
}

// openSQL opens a SQL catalog on SQLite (a local file, embedded mode) or
// PostgreSQL (a shared server, cluster mode).
func openSQL(cfg Config, props iceberg.Properties) (catalog.Catalog, error) {
	driver, dsn, dialect, err := sqlDSN(cfg.URI)
	if err != nil {
		return nil, fmt.Errorf("%w: catalog %q: %v", ErrConfig, cfg.Name, err)
	}
	if driver == "sqlite" {
		// An embedded catalog's file is created on first use; so is its
		// directory, as the local warehouse's are.
		if err := os.MkdirAll(filepath.Dir(strings.TrimPrefix(cfg.URI, "sqlite://")), 0o755); err != nil {
			return nil, fmt.Errorf("catalog %q: %w", cfg.Name, err)
		}
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("catalog %q: open %s: %w", cfg.Name, Redact(cfg.URI), err)
	}
	c, err := sqlcat.NewCatalog(cfg.Name, db, dialect, props)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("catalog %q: %s: %w", cfg.Name, Redact(cfg.URI), err)
	}
	return c, nil
}

// sqlDSN maps a catalog URI to a database/sql driver, DSN and dialect.
func sqlDSN(uri string) (driver, dsn string, dialect sqlcat.SupportedDialect, err error) {
	switch {
	case strings.HasPrefix(uri, "sqlite://"):
		path := strings.TrimPrefix(uri, "sqlite://")
		if path == "" {
			return "", "", "", fmt.Errorf("uri %q names no database file (want sqlite:///path/catalog.db)", uri)
		}
		// Several runs may commit at once: wait for the lock instead of
		// failing with SQLITE_BUSY, and let readers run beside a writer.
		dsn = "file:" + path + "?_pragma=busy_timeout(60000)&_pragma=journal_mode(WAL)"
		return "sqlite", dsn, sqlcat.SQLite, nil
	case strings.HasPrefix(uri, "postgres://"), strings.HasPrefix(uri, "postgresql://"):
		return "pgx", uri, sqlcat.Postgres, nil
	}
	return "", "", "", fmt.Errorf("uri %s: want sqlite:///path/catalog.db or postgres://user@host:port/db", Redact(uri))
}

// Redact hides the password of a URI for messages.
func Redact(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.User == nil {
		return uri
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
