package cluster

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	nomad "github.com/hashicorp/nomad/api"

	"github.com/drover-etl/drover/remote"
)

// runCredentials makes the run's token and CA, gives the pool the
// driver's side (token and client certificate) and returns the executors'
// side as variable items. The CA's key goes only into the variable
// caPath names, which the executors cannot read, so that a resumed driver
// can adopt them.
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
	if err := c.putCA(ca); err != nil {
		return nil, err
	}
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

// caItemCert and caItemKey hold the run's CA in the variable caPath names.
const (
	caItemCert = "ca_cert"
	caItemKey  = "ca_key"
)

// caPath is the Nomad variable keeping the run's CA for a resumed driver.
// It is not below the executor job's own path (nomad/jobs/<job>/…), which
// the executors' workload identity may read: only the driver's may.
func caPath(jobID string) string { return variablePath(jobID) + "-ca" }

// putCA keeps the run's CA where a resumed driver finds it.
func (c *Cluster) putCA(ca *remote.RunCA) error {
	key, err := ca.KeyPEM()
	if err != nil {
		return err
	}
	enc := base64.StdEncoding.EncodeToString
	items := nomad.VariableItems{caItemCert: enc(ca.CertPEM()), caItemKey: enc(key)}
	if _, _, err := c.nomad.Variables().Update(&nomad.Variable{Path: caPath(c.JobID), Items: items}, nil); err != nil {
		return fmt.Errorf("store the run CA in Nomad variable %s: %w", caPath(c.JobID), err)
	}
	return nil
}

// adoptCredentials rebuilds the driver's side of the run's credentials
// from the Nomad variables: the token the executors check and a client
// certificate from the run's CA. false when they are not all there.
func (c *Cluster) adoptCredentials(q *nomad.QueryOptions) (bool, error) {
	v, _, err := c.nomad.Variables().Read(variablePath(c.JobID), q)
	if err != nil || v == nil || v.Items[remote.EnvToken] == "" {
		return false, nil
	}
	cv, _, err := c.nomad.Variables().Read(caPath(c.JobID), q)
	if err != nil || cv == nil {
		return false, nil
	}
	dec := base64.StdEncoding.DecodeString
	certPEM, err1 := dec(cv.Items[caItemCert])
	keyPEM, err2 := dec(cv.Items[caItemKey])
	if err1 != nil || err2 != nil {
		return false, fmt.Errorf("%w: the run CA in %s is not base64", remote.ErrBadCredentials, caPath(c.JobID))
	}
	ca, err := remote.LoadRunCA(certPEM, keyPEM)
	if err != nil {
		return false, err
	}
	client, err := ca.ClientTLS()
	if err != nil {
		return false, err
	}
	c.pool.Auth = remote.ClientAuth{Token: v.Items[remote.EnvToken], TLS: client}
	return true, nil
}
