package remote

import (
	"encoding/base64"
	"fmt"
	"os"
)

// The environment variables that carry a run's executor credentials from
// the executor job's Nomad variable (rendered by a template in the task's
// secrets directory, never in the job definition) into `drover executor`.
// The PEM blocks travel base64-encoded, one line each.
const (
	EnvToken   = "DROVER_EXECUTOR_TOKEN"
	EnvCA      = "DROVER_EXECUTOR_CA"
	EnvTLSCert = "DROVER_EXECUTOR_TLS_CERT"
	EnvTLSKey  = "DROVER_EXECUTOR_TLS_KEY"
)

// CredentialEnv lists the variables above.
var CredentialEnv = []string{EnvToken, EnvCA, EnvTLSCert, EnvTLSKey}

// ServerAuthFromEnv reads the executor's credentials from the environment
// and removes them from it, so that no child process (a plugin) inherits
// them. A missing one is an error naming the variable, never its value.
func ServerAuthFromEnv() (ServerAuth, error) {
	vals := map[string]string{}
	for _, k := range CredentialEnv {
		vals[k] = os.Getenv(k)
		os.Unsetenv(k)
	}
	if vals[EnvToken] == "" {
		return ServerAuth{}, fmt.Errorf("%w: %s is not set (the driver provides it through the job's Nomad variable)", ErrNoToken, EnvToken)
	}
	pems := map[string][]byte{}
	for _, k := range []string{EnvCA, EnvTLSCert, EnvTLSKey} {
		if vals[k] == "" {
			return ServerAuth{}, fmt.Errorf("%w: %s is not set (the driver provides it through the job's Nomad variable)", ErrNoCertificate, k)
		}
		b, err := base64.StdEncoding.DecodeString(vals[k])
		if err != nil {
			return ServerAuth{}, fmt.Errorf("%w: %s is not base64", ErrBadCredentials, k)
		}
		pems[k] = b
	}
	cfg, err := ServerTLSConfig(pems[EnvCA], pems[EnvTLSCert], pems[EnvTLSKey])
	if err != nil {
		return ServerAuth{}, err
	}
	return ServerAuth{Token: vals[EnvToken], TLS: cfg}, nil
}
