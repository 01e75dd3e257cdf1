package icetable

import (
	"fmt"
	"strings"

	"github.com/apache/iceberg-go/table"
)

// ParseIdent splits "namespace.table" (nested namespaces allowed:
// "a.b.table") into an identifier.
func ParseIdent(s string) (table.Identifier, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return nil, fmt.Errorf("%w: table %q: want namespace.table", ErrConfig, s)
	}
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			return nil, fmt.Errorf("%w: table %q has an empty name part", ErrConfig, s)
		}
	}
	return parts, nil
}
