package udf

import (
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/proto" // registers the fallback
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/drover-etl/drover/udf/proto"
)

// codec is gRPC's protobuf codec, minus two copies of every Arrow payload.
// The wire format is unchanged (plain protobuf; a plugin in another
// language sees nothing special): only how Go builds and parses it.
//
//   - Sending, a payload travels as segments after the rest of the message
//     (protobuf allows fields in any order): the array buffers themselves,
//     never copied into one []byte, then into the marshalled message.
//   - Receiving, the four batch-carrying messages are parsed by hand so
//     that the payload aliases the received bytes instead of being copied
//     out of them; the Arrow arrays then alias it too (DecodeBatch).
//
// On a profile of the round trip, those copies and the zeroing of their
// buffers were a third of all CPU time.
type codec struct{}

var _ encoding.CodecV2 = codec{}

var fallback = encoding.GetCodecV2("proto")

func (codec) Name() string { return "proto" }

func (codec) Marshal(v any) (mem.BufferSlice, error) {
	o, ok := v.(*outgoing)
	if !ok {
		return fallback.Marshal(v)
	}
	head, err := proto.Marshal(o.msg)
	if err != nil {
		return nil, err
	}
	head = protowire.AppendTag(head, o.field, protowire.BytesType)
	head = protowire.AppendVarint(head, uint64(o.payload.size))
	out := make(mem.BufferSlice, 0, 1+len(o.payload.segs))
	out = append(out, mem.SliceBuffer(head))
	for _, s := range o.payload.segs {
		out = append(out, mem.SliceBuffer(s))
	}
	return out, nil
}

func (codec) Unmarshal(data mem.BufferSlice, v any) error {
	switch m := v.(type) {
	case *pb.ScalarRequest:
		return decodeScalarRequest(data.Materialize(), m)
	case *pb.ScalarResponse:
		return decodeFields(data.Materialize(), func(num protowire.Number, b []byte, _ uint64) (err error) {
			switch num {
			case 1:
				m.Result = b
			case 2:
				m.ResultAt, err = decodeSpan(b)
			}
			return err
		})
	case *pb.TransformRequest:
		return decodeTransformRequest(data.Materialize(), m)
	case *pb.TransformResponse:
		return decodeFields(data.Materialize(), func(num protowire.Number, b []byte, x uint64) error {
			switch num {
			case 1:
				m.Batch = b
			case 2:
				m.Done = x != 0
			}
			return nil
		})
	}
	return fallback.Unmarshal(data, v)
}

func decodeScalarRequest(b []byte, m *pb.ScalarRequest) error {
	return decodeFields(b, func(num protowire.Number, v []byte, x uint64) (err error) {
		switch num {
		case 1:
			m.Function = string(v)
		case 2:
			m.Args = v
		case 3:
			m.Rows = int64(x)
		case 4:
			m.Attach = string(v)
		case 5:
			m.ArgsAt, err = decodeSpan(v)
		}
		return err
	})
}

func decodeSpan(b []byte) (*pb.Span, error) {
	s := &pb.Span{}
	return s, proto.Unmarshal(b, s)
}

func decodeTransformRequest(b []byte, m *pb.TransformRequest) error {
	return decodeFields(b, func(num protowire.Number, v []byte, x uint64) error {
		switch num {
		case 1:
			open := &pb.TransformOpen{}
			if err := proto.Unmarshal(v, open); err != nil {
				return err
			}
			m.Msg = &pb.TransformRequest_Open{Open: open}
		case 2:
			m.Msg = &pb.TransformRequest_Batch{Batch: v}
		case 3:
			m.Msg = &pb.TransformRequest_Finish{Finish: x != 0}
		}
		return nil
	})
}

// decodeFields calls fn for each field of a message: length-delimited
// values as sub-slices of b, varints as x; other wire types are skipped
// (these messages have none).
func decodeFields(b []byte, fn func(num protowire.Number, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("%w: %w", ErrProtocol, protowire.ParseError(n))
		}
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("%w: %w", ErrProtocol, protowire.ParseError(n))
		}
		b = b[n:]
		if err := fn(num, v, x); err != nil {
			return err
		}
	}
	return nil
}

// outgoing is a message with its Arrow payload (field number field) kept
// apart as segments. Under codec it is sent without copying the payload;
// under any other codec it is an ordinary proto.Message whose payload is
// joined first, so a connection without this package's options still works.
type outgoing struct {
	msg     proto.Message // everything but the payload
	field   protowire.Number
	payload *segments
	joined  proto.Message
}

// ProtoReflect makes outgoing a proto.Message for other codecs.
func (o *outgoing) ProtoReflect() protoreflect.Message {
	if o.joined == nil {
		b, err := proto.Marshal(o.msg)
		if err == nil {
			b = protowire.AppendTag(b, o.field, protowire.BytesType)
			b = protowire.AppendBytes(b, o.payload.join())
			j := o.msg.ProtoReflect().New().Interface()
			if err = proto.Unmarshal(b, j); err == nil {
				o.joined = j
			}
		}
		if o.joined == nil {
			o.joined = o.msg // unreachable: a message that marshals unmarshals
		}
	}
	return o.joined.ProtoReflect()
}

// codecOptions make both ends use codec.
func codecCallOption() grpc.CallOption     { return grpc.ForceCodecV2(codec{}) }
func codecServerOption() grpc.ServerOption { return grpc.ForceServerCodecV2(codec{}) }
