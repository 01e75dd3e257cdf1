package cluster

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/drover-etl/drover/remote"
)

// runCredentials makes the run's token and CA, gives the pool the
// driver's side (token and client certificate) and returns the executors'
// side as variable items. The CA's key stays in this process.
func (c *Cluster) runCredentials(run string) (map[string]string, error) {
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	ca, err := remote.NewRunCA(run)
	if err != nil {
		return nil, err
	}
	cert, key, err := ca.IssueExecutor()
	if err != nil {
		return nil, err
	}
	client, err := ca.ClientTLS()
	if err != nil {
		return nil, err
	}
	c.pool.Auth = remote.ClientAuth{Token: token, TLS: client}
	enc := base64.StdEncoding.EncodeToString
	return map[string]string{remote.EnvToken: token, remote.EnvCA: enc(ca.CertPEM()),
		remote.EnvTLSCert: enc(cert), remote.EnvTLSKey: enc(key)}, nil
}

// newToken is the run's random executor token.
func newToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("executor token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
