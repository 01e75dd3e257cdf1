package testutil

import "fmt"

// cloudFingerprinters are denylisted because these machines export
// AWS_CA_BUNDLE, which makes the AWS fingerprinter fail and the agent exit
// ("failed to setup IMDS client"); they would also probe metadata
// addresses that are not loopback.
const cloudFingerprinters = "env_aws,env_gce,env_azure,env_digitalocean"

// nomadConfig is the dev agent configuration TOOLCHAIN.md found to work
// here, on the given http, rpc and serf ports.
func nomadConfig(ports []int, consul *Consul) string {
	denylist, consulBlock := nomadConsul(consul)
	return fmt.Sprintf(`name                 = "drover-test-%d"
bind_addr            = "127.0.0.1"
disable_update_check = true

ports {
  http = %d
  rpc  = %d
  serf = %d
}

client {
  options = {
    "fingerprint.denylist" = %q
  }
}

plugin "raw_exec" {
  config {
    enabled = true
  }
}

%s`, ports[0], ports[0], ports[1], ports[2], denylist, consulBlock)
}

// nomadConsul returns the fingerprint denylist and consul block. Without
// Consul the consul fingerprinter and auto-join are off and the address is
// a port nothing serves, so the agent never finds (and registers in)
// somebody else's Consul on the default 127.0.0.1:8500.
func nomadConsul(consul *Consul) (denylist, block string) {
	if consul != nil {
		return cloudFingerprinters, fmt.Sprintf("consul {\n  address = %q\n}\n", consul.HTTPAddr)
	}
	return cloudFingerprinters + ",consul", `consul {
  address          = "127.0.0.1:1"
  auto_advertise   = false
  server_auto_join = false
  client_auto_join = false
}
`
}
