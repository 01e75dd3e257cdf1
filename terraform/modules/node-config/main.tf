# The settings render-config (in the node image) turns into the Consul and
# Nomad agent configs at boot: as a map for container environments, as an
# env file, and as EC2 user data that writes that file and starts the agents.
locals {
  env = { for k, v in {
    DROVER_ROLE           = var.role
    DROVER_DATACENTER     = var.datacenter
    DROVER_REGION         = var.region
    DROVER_JOIN           = join(",", var.join)
    DROVER_SERVER_COUNT   = tostring(var.server_count)
    DROVER_ADVERTISE_ADDR = var.advertise_addr
    DROVER_NODE_NAME      = var.node_name
    DROVER_NODE_CLASS     = var.node_class
    DROVER_CLOUD          = var.cloud
    DROVER_RAW_EXEC       = var.raw_exec ? "true" : ""
  } : k => v if v != "" }

  # What render-config needs of the cluster's secrets on this role's nodes;
  # the CA key never reaches a node, a client gets no server key and no
  # management token.
  secret_names = concat(
    ["ca.pem", "consul-gossip.key", "nomad-gossip.key", "consul-agent.token", "nomad-consul.token"],
    [for p in ["consul", "nomad"] : "${p}-${var.role}.pem"],
    [for p in ["consul", "nomad"] : "${p}-${var.role}-key.pem"],
    var.role == "server" ? ["consul-management.token", "nomad-bootstrap.token", "drover-consul.token"] : [],
  )
  files = { for n in local.secret_names : n => var.secrets[n] }

  env_file = join("", [for k in sort(keys(local.env)) : "${k}=\"${local.env[k]}\"\n"])
}
