package udf

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Serve runs p as a plugin: it answers the executor's handshake on stdout
// and serves the protocol until the executor stops it. It is the whole
// body of a plugin's main. An invalid p (see Plugin.Validate) exits with
// status 1 and the reason on stderr.
//
// Log with the standard log package (or write to os.Stderr before Serve):
// that goes straight to the process's stderr, which the executor logs
// under the plugin's name and quotes when the plugin crashes. go-plugin
// redirects os.Stdout and os.Stderr once serving, through a stream that may
// lose the last lines of a dying process.
//
// With DROVER_UDF_CPUPROFILE=<file> in its environment (the executor's is
// inherited), the plugin writes a CPU profile of its life there.
func Serve(p *Plugin) {
	if err := p.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if path := os.Getenv("DROVER_UDF_CPUPROFILE"); path != "" {
		stop := startProfile(path)
		defer stop()
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: serverPlugins(p),
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, ServerOptions()...)...)
		},
		// go-plugin's own messages: warnings only, as plain lines (the
		// default is JSON at trace level, mostly noise in an executor log).
		Logger: hclog.New(&hclog.LoggerOptions{Level: hclog.Warn, Output: os.Stderr}),
	})
}

// startProfile starts a CPU profile; a failure only costs the profile.
func startProfile(path string) (stop func()) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "udf: cpu profile:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
