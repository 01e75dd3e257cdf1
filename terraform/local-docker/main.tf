# A Drover cluster of Docker containers on one machine: a private network,
# one server node (Nomad and Consul servers), client nodes (Nomad clients
# that run drivers and executors) and MinIO as the S3 store, all from the
# node image Packer builds (packer/drover-node). The network is internal:
# the containers reach each other and the host, nothing else.
locals {
  server_ip  = cidrhost(var.subnet, 10)
  minio_ip   = cidrhost(var.subnet, 9)
  client_ips = [for i in range(var.client_count) : cidrhost(var.subnet, 11 + i)]
  labels     = merge(var.labels, { "drover.cluster" = var.name })

  # The cluster's secrets (scripts/cluster-secrets.sh), by file name; the
  # CA key stays in secrets_dir.
  secrets_dir = abspath(var.secrets_dir)
  secret_names = ["ca.pem", "consul-server.pem", "consul-server-key.pem", "consul-client.pem", "consul-client-key.pem",
    "nomad-server.pem", "nomad-server-key.pem", "nomad-client.pem", "nomad-client-key.pem", "consul-gossip.key",
  "nomad-gossip.key", "consul-agent.token", "nomad-consul.token", "consul-management.token", "nomad-bootstrap.token", "drover-consul.token"]
  secrets = { for n in local.secret_names : n => file("${local.secrets_dir}/${n}") }

  # What a user exports on the host (the secrets aside: tokens are read
  # from secrets_dir, the S3 secret key is the s3_secret_key output).
  host_env = {
    NOMAD_ADDR             = "https://${local.server_ip}:4646"
    NOMAD_CACERT           = "${local.secrets_dir}/ca.pem"
    NOMAD_TLS_SERVER_NAME  = "server.global.nomad"
    CONSUL_HTTP_ADDR       = "https://${local.server_ip}:8501"
    CONSUL_CACERT          = "${local.secrets_dir}/ca.pem"
    CONSUL_TLS_SERVER_NAME = "server.${var.datacenter}.consul"
    AWS_ENDPOINT_URL_S3    = "http://${local.minio_ip}:9000"
    AWS_REGION             = var.s3_region
    AWS_ACCESS_KEY_ID      = minio_iam_user.jobs.name
    DROVER_SHUFFLE_DIR     = "s3://drover/shuffle"
  }
}

data "docker_image" "node" {
  name = var.image
}

resource "docker_network" "cluster" {
  name     = "${var.name}-net"
  driver   = "bridge"
  internal = true

  ipam_config {
    subnet  = var.subnet
    gateway = cidrhost(var.subnet, 1)
  }

  dynamic "labels" {
    for_each = local.labels
    content {
      label = labels.key
      value = labels.value
    }
  }
}

module "server_config" {
  source         = "../modules/node-config"
  role           = "server"
  datacenter     = var.datacenter
  join           = [local.server_ip]
  advertise_addr = local.server_ip
  node_name      = "${var.name}-server"
  secrets        = local.secrets
}

module "server" {
  source       = "../modules/docker-node"
  name         = "${var.name}-server"
  role         = "server"
  image        = data.docker_image.node.id
  network      = docker_network.cluster.name
  ipv4_address = local.server_ip
  env          = module.server_config.env
  files        = module.server_config.secret_files
  memory_mb    = 1024
  labels       = local.labels
}

module "client_config" {
  source         = "../modules/node-config"
  count          = var.client_count
  role           = "client"
  datacenter     = var.datacenter
  join           = [local.server_ip]
  advertise_addr = local.client_ips[count.index]
  node_name      = "${var.name}-client-${count.index + 1}"
  secrets        = local.secrets
  raw_exec       = var.allow_raw_exec
}

module "client" {
  source       = "../modules/docker-node"
  count        = var.client_count
  name         = "${var.name}-client-${count.index + 1}"
  role         = "client"
  image        = data.docker_image.node.id
  network      = docker_network.cluster.name
  ipv4_address = local.client_ips[count.index]
  env          = module.client_config[count.index].env
  files        = module.client_config[count.index].secret_files
  memory_mb    = var.client_memory_mb
  labels       = local.labels

  # Clients register with a running server.
  depends_on = [module.server]
}
