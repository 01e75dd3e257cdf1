package udf

import (
	"github.com/hashicorp/go-plugin"
)

// ProtocolVersion is the version of the UDF protocol this package speaks.
// go-plugin negotiates it at start-up: the executor offers every version it
// supports (VersionedPlugins), the plugin picks the highest it serves, and
// a plugin speaking none of them is refused with a clear error instead of
// failing on its first call.
//
// History (add a line, and keep serving old versions where possible, when
// the RPCs or their meaning change):
//
//	1  Drover 0.1: Describe, ResolveScalar, ResolveTransform, and the
//	   streaming Scalar and Transform RPCs, all payloads Arrow IPC streams
//	   (proto/udf.proto, package drover.udf.v1); scalar batches optionally
//	   through a shared memory region (DescribeResponse.shared_memory).
const ProtocolVersion = 1

// PluginName is the name the UDF service is dispensed under.
const PluginName = "udf"

// Handshake is the go-plugin handshake. The magic cookie is not a secret:
// it only lets a plugin binary tell, when someone runs it by hand, that it
// was not started by Drover, and say so instead of waiting for a client.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "DROVER_UDF_PLUGIN",
	MagicCookieValue: "5f0c9a3e-udf-arrow-batches",
}

// ClientPlugins is what the executor offers per protocol version.
func ClientPlugins() map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{
		ProtocolVersion: {PluginName: &GRPCPlugin{}},
	}
}

// serverPlugins is what a plugin serves per protocol version.
func serverPlugins(p *Plugin) map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{
		ProtocolVersion: {PluginName: &GRPCPlugin{Impl: p}},
	}
}
