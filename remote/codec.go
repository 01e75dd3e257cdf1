package remote

import (
	"encoding/json"

	"google.golang.org/grpc/encoding"
)

// codecName is the gRPC content subtype of this protocol.
const codecName = "json"

// jsonCodec marshals messages as JSON.
type jsonCodec struct{}

func (jsonCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (jsonCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
func (jsonCodec) Name() string                       { return codecName }

func init() { encoding.RegisterCodec(jsonCodec{}) }
