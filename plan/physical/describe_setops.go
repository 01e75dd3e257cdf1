package physical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/plan/logical"
)

func offsetText(offset int64) string {
	if offset == 0 {
		return ""
	}
	return fmt.Sprintf(" offset %d", offset)
}

// describeSetNode is Describe for Expand, Values and Replicate.
func (n *Node) describeSetNode() string {
	switch n.Op {
	case OpExpand:
		e := &logical.Expand{Projections: n.Expand.Projections, Names: n.Schema.Names()}
		return e.Describe()
	case OpValues:
		return fmt.Sprintf("Values rows=%d columns=[%s]", len(n.Values.Rows), strings.Join(n.Schema.Names(), ", "))
	case OpReplicate:
		return "Replicate × " + n.Replicate.String()
	}
	return n.Op.String()
}
