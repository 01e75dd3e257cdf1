// Package provision holds the provisioning tests: the way users start a
// Drover cluster, end to end.
//
// TestProvisionEndToEnd (run by `make e2e`, which needs a Docker Engine)
// builds the node image with Packer, stands up terraform/local-docker (a
// server, four clients and MinIO as containers on a private network),
// runs the example ETL job with `nomad job run nomad/drover-driver.nomad.hcl`
// (S3 in, S3 out, with shuffles), checks its output against a local run,
// runs it again while it stops a client node, checks the output again,
// dispatches it through nomad/drover-dispatch.nomad.hcl and kills the node
// running its driver (Nomad places the driver elsewhere, it resumes from
// the journal without rerunning finished tasks, the output is checked
// again), and destroys everything, checking that no container, network or volume is
// left. The other tests check the job files in nomad/ (fmt, validate, and
// runs of the MinIO, dispatch and nightly variants on a loopback Nomad),
// the Terraform roots and the Packer template (fmt, validate).
package provision
