// Package iceberg tests Iceberg table sources and sinks end to end:
// Drover jobs write tables through a SQL catalog (SQLite file, or a real
// PostgreSQL server) into a local or MinIO warehouse, and iceberg-go's
// own scan — an independent reader — and Drover read them back.
package iceberg
