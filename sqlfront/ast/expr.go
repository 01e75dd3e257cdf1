package ast

// LitKind is the kind of a literal.
type LitKind int

// The literal kinds. Text holds the literal as written for numbers
// ("42", "1.50", "1e5"), the unescaped value for strings, and "true" or
// "false" for booleans.
const (
	LitNull LitKind = iota
	LitBool
	LitInt     // digits only
	LitDecimal // digits with a point
	LitFloat   // with an exponent
	LitString
)

// Literal is a constant.
type Literal struct {
	Pos
	Kind LitKind
	Text string
}

// TypedLiteral is TYPE 'text': DATE '2026-01-02', TIMESTAMP '...'.
type TypedLiteral struct {
	Pos
	Type  string // upper-case: DATE, TIMESTAMP, TIME
	Value string
}

// Interval is INTERVAL value unit [TO unit]: INTERVAL '3' MONTH,
// INTERVAL 3 MONTH, INTERVAL '1 day' (Unit ""), INTERVAL '1-2' YEAR TO
// MONTH. Units are upper-case singular (DAY, not DAYS).
type Interval struct {
	Pos
	Value  Expr // a string or number literal, or (with a unit) any expression
	Unit   string
	ToUnit string
}

// ColumnRef is a column: name, table.name or schema.table.name.
type ColumnRef struct {
	Pos
	Schema string
	Table  string
	Name   string
}

// UnaryOp is a prefix operator.
type UnaryOp string

// The prefix operators.
const (
	OpNeg  UnaryOp = "-"
	OpPlus UnaryOp = "+"
	OpNot  UnaryOp = "NOT"
)

// Unary is a prefix operator applied to X.
type Unary struct {
	Pos
	Op UnaryOp
	X  Expr
}

// BinaryOp is an infix operator.
type BinaryOp string

// The infix operators. != is parsed as OpNe.
const (
	OpAdd    BinaryOp = "+"
	OpSub    BinaryOp = "-"
	OpMul    BinaryOp = "*"
	OpDiv    BinaryOp = "/"
	OpMod    BinaryOp = "%"
	OpConcat BinaryOp = "||"
	OpEq     BinaryOp = "="
	OpNe     BinaryOp = "<>"
	OpLt     BinaryOp = "<"
	OpLe     BinaryOp = "<="
	OpGt     BinaryOp = ">"
	OpGe     BinaryOp = ">="
	OpAnd    BinaryOp = "AND"
	OpOr     BinaryOp = "OR"
)

// Binary is L op R.
type Binary struct {
	Pos
	Op   BinaryOp
	L, R Expr
}

// IsNull is X IS [NOT] NULL.
type IsNull struct {
	Pos
	X   Expr
	Not bool
}

// IsBool is X IS [NOT] TRUE|FALSE.
type IsBool struct {
	Pos
	X     Expr
	Not   bool
	Value bool
}

// IsDistinct is L IS [NOT] DISTINCT FROM R.
type IsDistinct struct {
	Pos
	L, R Expr
	Not  bool
}

// Between is X [NOT] BETWEEN Lo AND Hi.
type Between struct {
	Pos
	X, Lo, Hi Expr
	Not       bool
}

// InList is X [NOT] IN (list).
type InList struct {
	Pos
	X    Expr
	List []Expr
	Not  bool
}

// InSubquery is X [NOT] IN (query).
type InSubquery struct {
	Pos
	X     Expr
	Query *Query
	Not   bool
}

// Like is X [NOT] LIKE|ILIKE Pattern [ESCAPE Escape].
type Like struct {
	Pos
	X, Pattern Expr
	Escape     Expr // nil without ESCAPE
	ILike      bool
	Not        bool
}

// Exists is EXISTS (query); NOT EXISTS is a Unary NOT around it.
type Exists struct {
	Pos
	Query *Query
}

// Subquery is a scalar subquery (query) in an expression.
type Subquery struct {
	Pos
	Query *Query
}

// Quantified is L op ANY|ALL (query); SOME is read as ANY.
type Quantified struct {
	Pos
	L     Expr
	Op    BinaryOp // a comparison
	All   bool
	Query *Query
}

// Case is CASE [Operand] WHEN ... THEN ... [ELSE Else] END; Operand is
// nil for the searched form.
type Case struct {
	Pos
	Operand Expr
	Whens   []*When
	Else    Expr
}

// When is one WHEN Cond THEN Result arm.
type When struct {
	Pos
	Cond, Result Expr
}

// Cast is CAST(X AS Type), TRY_CAST(...) (Try) or X::Type.
type Cast struct {
	Pos
	X    Expr
	Type *TypeName
	Try  bool
}

// TypeName is a SQL type: Name upper-case with its words joined by one
// space (DOUBLE PRECISION), Args the numbers in parentheses.
type TypeName struct {
	Pos
	Name string
	Args []int
}

// NullTreatment is IGNORE NULLS / RESPECT NULLS after a function call.
type NullTreatment int

// The null treatments; NullsUnspecified when neither is written.
const (
	NullsUnspecified NullTreatment = iota
	IgnoreNulls
	RespectNulls
)

// FuncCall is name(args) with its optional modifiers. Name is lower-case;
// Schema is set for schema.name(...) (plugin functions). count(*) has Star
// and no Args. SUBSTRING(x FROM a FOR b) and POSITION(a IN b) become calls
// to substring(x, a, b) and position(a, b).
type FuncCall struct {
	Pos
	Schema   string
	Name     string
	Args     []Expr
	Star     bool
	Distinct bool
	Nulls    NullTreatment
	Filter   Expr        // FILTER (WHERE ...), nil without
	Over     *WindowSpec // OVER (...) or OVER name, nil without
	// WithinGroup is WITHIN GROUP (ORDER BY ...) of ordered-set
	// aggregates (percentile_cont(0.5) WITHIN GROUP (ORDER BY x)).
	WithinGroup []*OrderItem
}

// WindowSpec is a window: a reference to a named window (Name) that the
// rest refines, or a complete definition.
type WindowSpec struct {
	Pos
	Name        string
	PartitionBy []Expr
	OrderBy     []*OrderItem
	Frame       *Frame // nil without a frame clause
}

// FrameUnit is ROWS, RANGE or GROUPS.
type FrameUnit string

// The frame units.
const (
	FrameRows   FrameUnit = "ROWS"
	FrameRange  FrameUnit = "RANGE"
	FrameGroups FrameUnit = "GROUPS"
)

// Frame is a window frame: Unit BETWEEN Start AND End, or Unit Start
// (End nil, meaning CURRENT ROW), with an optional EXCLUDE.
type Frame struct {
	Pos
	Unit    FrameUnit
	Start   *FrameBound
	End     *FrameBound
	Exclude string // "", "CURRENT ROW", "GROUP", "TIES", "NO OTHERS"
}

// BoundKind is the kind of a frame bound.
type BoundKind int

// The frame bound kinds.
const (
	UnboundedPreceding BoundKind = iota
	Preceding
	CurrentRow
	Following
	UnboundedFollowing
)

// FrameBound is one end of a frame; Offset is set for n PRECEDING and n
// FOLLOWING.
type FrameBound struct {
	Pos
	Kind   BoundKind
	Offset Expr
}

// Extract is EXTRACT(Field FROM X); Field is upper-case (YEAR, MONTH...).
type Extract struct {
	Pos
	Field string
	X     Expr
}

// Trim is TRIM([LEADING|TRAILING|BOTH] [Chars] FROM X) or TRIM(X).
type Trim struct {
	Pos
	Where string // "", "LEADING", "TRAILING", "BOTH"
	Chars Expr   // nil for spaces
	X     Expr
}

func (*Literal) exprNode()      {}
func (*TypedLiteral) exprNode() {}
func (*Interval) exprNode()     {}
func (*ColumnRef) exprNode()    {}
func (*Unary) exprNode()        {}
func (*Binary) exprNode()       {}
func (*IsNull) exprNode()       {}
func (*IsBool) exprNode()       {}
func (*IsDistinct) exprNode()   {}
func (*Between) exprNode()      {}
func (*InList) exprNode()       {}
func (*InSubquery) exprNode()   {}
func (*Like) exprNode()         {}
func (*Exists) exprNode()       {}
func (*Subquery) exprNode()     {}
func (*Quantified) exprNode()   {}
func (*Case) exprNode()         {}
func (*Cast) exprNode()         {}
func (*FuncCall) exprNode()     {}
func (*Extract) exprNode()      {}
func (*Trim) exprNode()         {}
