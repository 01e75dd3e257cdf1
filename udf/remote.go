package udf

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
)

// Remote is a plugin as the executor sees it: the protocol's RPCs as Go
// calls. The gRPC client implements it; tests can too. Errors wrap the
// sentinels of errors.go, so a caller can tell a rejected call from a
// failed or a retryable one.
type Remote interface {
	// Describe lists the plugin's functions.
	Describe(ctx context.Context) ([]FunctionInfo, error)
	// ResolveScalar asks for a scalar's result type.
	ResolveScalar(ctx context.Context, name string, args []arrow.DataType) (arrow.DataType, error)
	// ResolveTransform asks for a transform's output schema.
	ResolveTransform(ctx context.Context, name string, in *arrow.Schema, args map[string]string) (*arrow.Schema, error)
	// CallScalar evaluates a scalar over rows rows. The result is checked
	// by the caller, not here: the protocol only carries it.
	CallScalar(ctx context.Context, name string, args []arrow.Array, rows int) (arrow.Array, error)
	// OpenTransform starts a transform run; ctx bounds the whole run.
	OpenTransform(ctx context.Context, name string, in *arrow.Schema, args map[string]string) (TransformStream, error)
}

// TransformStream is one transform run on the executor's side.
type TransformStream interface {
	// Send passes one input batch, or nil to say the input has ended.
	Send(rec arrow.RecordBatch) error
	// Next returns the next output batch for the last Send, or nil when
	// the plugin has said everything it has to say about it. The caller
	// releases the batch.
	Next() (arrow.RecordBatch, error)
	// Close ends the run (early, if the input has not ended).
	Close() error
}
