package icetable

import (
	"fmt"
	"strings"

	"github.com/apache/iceberg-go"

	"github.com/drover-etl/drover/types"
)

// toDrover maps a table schema to Drover's, column by column.
func toDrover(s *iceberg.Schema, qualifier string) (*types.Schema, error) {
	out := &types.Schema{}
	for _, f := range s.Fields() {
		t, err := droverType(f.Type)
		if err != nil {
			return nil, fmt.Errorf("%w: column %q: %v", ErrUnsupported, f.Name, err)
		}
		out.Fields = append(out.Fields, types.Field{Qualifier: qualifier, Name: f.Name, Type: t, Nullable: !f.Required})
	}
	return out, nil
}

func droverType(t iceberg.Type) (types.Type, error) {
	switch tt := t.(type) {
	case iceberg.BooleanType:
		return types.BoolType, nil
	case iceberg.Int32Type:
		return types.Int32Type, nil
	case iceberg.Int64Type:
		return types.Int64Type, nil
	case iceberg.Float32Type:
		return types.Float32Type, nil
	case iceberg.Float64Type:
		return types.Float64Type, nil
	case iceberg.DecimalType:
		return types.DecimalOf(int32(tt.Precision()), int32(tt.Scale())), nil
	case iceberg.StringType:
		return types.StringType, nil
	case iceberg.DateType:
		return types.DateType, nil
	case iceberg.TimestampTzType, iceberg.TimestampType:
		return types.TimestampType, nil
	}
	return types.Type{}, fmt.Errorf("type %s has no Drover equivalent", t)
}

// icebergType maps a Drover column type for a new table. Drover
// timestamps are instants in UTC: Iceberg's timestamptz.
func icebergType(t types.Type) (iceberg.Type, error) {
	switch t.ID {
	case types.Bool:
		return iceberg.PrimitiveTypes.Bool, nil
	case types.Int32:
		return iceberg.PrimitiveTypes.Int32, nil
	case types.Int64:
		return iceberg.PrimitiveTypes.Int64, nil
	case types.Float32:
		return iceberg.PrimitiveTypes.Float32, nil
	case types.Float64:
		return iceberg.PrimitiveTypes.Float64, nil
	case types.Decimal:
		return iceberg.DecimalTypeOf(int(t.Precision), int(t.Scale)), nil
	case types.String:
		return iceberg.PrimitiveTypes.String, nil
	case types.Date:
		return iceberg.PrimitiveTypes.Date, nil
	case types.Timestamp:
		return iceberg.PrimitiveTypes.TimestampTz, nil
	}
	return nil, fmt.Errorf("type %s cannot be stored in an Iceberg table (cast it in a view)", t)
}

// newSchema is the schema of a table created from a sink's columns:
// field ids 1..n in column order, every column optional (Drover writes
// every Parquet column optional).
func newSchema(cols *types.Schema) (*iceberg.Schema, error) {
	fields := make([]iceberg.NestedField, len(cols.Fields))
	for i, c := range cols.Fields {
		t, err := icebergType(c.Type)
		if err != nil {
			return nil, fmt.Errorf("%w: column %q: %v", ErrSchema, c.Name, err)
		}
		fields[i] = iceberg.NestedField{ID: i + 1, Name: c.Name, Type: t}
	}
	return iceberg.NewSchema(0, fields...), nil
}

// fieldIDs matches a sink's columns to an existing table's by name
// (case-insensitively) and returns their field ids. Every column must
// exist with the same type; table columns the sink lacks must be optional
// (their values read as NULL in the new files).
func fieldIDs(table *iceberg.Schema, cols *types.Schema) ([]int, error) {
	byName := map[string]iceberg.NestedField{}
	for _, f := range table.Fields() {
		byName[strings.ToLower(f.Name)] = f
	}
	ids := make([]int, len(cols.Fields))
	used := map[int]bool{}
	for i, c := range cols.Fields {
		f, ok := byName[strings.ToLower(c.Name)]
		if !ok {
			return nil, fmt.Errorf("%w: column %q is not in the table (its columns: %s)", ErrSchema, c.Name, names(table))
		}
		want, err := icebergType(c.Type)
		if err != nil {
			return nil, fmt.Errorf("%w: column %q: %v", ErrSchema, c.Name, err)
		}
		if !sameType(want, f.Type) {
			return nil, fmt.Errorf("%w: column %q is %s in the table but %s in the sink (cast it in a view)", ErrSchema, c.Name, f.Type, c.Type)
		}
		ids[i], used[f.ID] = f.ID, true
	}
	for _, f := range table.Fields() {
		if f.Required && !used[f.ID] {
			return nil, fmt.Errorf("%w: required table column %q is missing from the sink", ErrSchema, f.Name)
		}
	}
	return ids, nil
}

// sameType treats timestamp and timestamptz alike: both hold µs.
func sameType(a, b iceberg.Type) bool {
	isTS := func(t iceberg.Type) bool {
		_, tz := t.(iceberg.TimestampTzType)
		_, ntz := t.(iceberg.TimestampType)
		return tz || ntz
	}
	if isTS(a) && isTS(b) {
		return true
	}
	return a.Equals(b)
}

func names(s *iceberg.Schema) string {
	var out []string
	for _, f := range s.Fields() {
		out = append(out, f.Name)
	}
	return strings.Join(out, ", ")
}
