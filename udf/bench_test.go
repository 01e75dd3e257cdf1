package udf

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	pb "github.com/drover-etl/drover/udf/proto"
)

// serveUnix serves p on a Unix socket with the options Serve and the
// executor use, in this process: the protocol's cost without a second
// process competing for the cores.
func serveUnix(b *testing.B, p *Plugin) *Client {
	sock := filepath.Join(b.TempDir(), "udf.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		b.Fatal(err)
	}
	s := grpc.NewServer(ServerOptions()...)
	pb.RegisterUDFServer(s, newServer(p))
	go s.Serve(ln)
	b.Cleanup(s.Stop)
	opts := append(DialOptions(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<30)))
	conn, err := grpc.NewClient("unix://"+sock, opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return NewClient(context.Background(), conn)
}

// BenchmarkScalarRoundTrip: the per-row cost of the protocol alone (the
// function is a byte length), for 64 Ki-row batches of 26-byte strings.
func BenchmarkScalarRoundTrip(b *testing.B) {
	c := serveUnix(b, testPlugin())
	const rows = 64 << 10
	sb := array.NewStringBuilder(memory.DefaultAllocator)
	for i := 0; i < rows; i++ {
		sb.Append(fmt.Sprintf("comment %08d ...........", i))
	}
	in := sb.NewArray()
	sb.Release()
	defer in.Release()
	ctx := context.Background()
	b.SetBytes(int64(len(in.(*array.String).ValueBytes())))
	b.ResetTimer()
	for range b.N {
		out, err := c.CallScalar(ctx, "len", []arrow.Array{in}, rows)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
}
