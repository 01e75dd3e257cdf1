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
  } : k => v if v != "" }

  env_file = join("", [for k in sort(keys(local.env)) : "${k}=\"${local.env[k]}\"\n"])
}
