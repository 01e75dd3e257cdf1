# A Drover cluster on AWS: a VPC, Nomad and Consul servers on instances of
# the Packer-built AMI, an autoscaling group of Nomad clients that run the
# drivers and executors, and an S3 bucket for data, output and shuffle files
# that only the clients' instance profile may use. The nodes find each
# other by tag (cloud auto-join); their user data comes from
# modules/node-config.
locals {
  ami_id          = var.ami_id != "" ? var.ami_id : data.aws_ami.drover[0].id
  join            = ["provider=aws region=${var.region} tag_key=drover-server tag_value=${var.name}"]
  subnets         = module.network.node_subnet_ids
  client_sizes_ok = var.client_desired >= var.client_min && var.client_desired <= var.client_max

  # The cluster's secrets (scripts/cluster-secrets.sh DIR <datacenter>);
  # node-config gives each role only its share, the CA key stays in DIR.
  secrets_dir = abspath(var.secrets_dir)
  secret_names = ["ca.pem", "consul-server.pem", "consul-server-key.pem", "consul-client.pem", "consul-client-key.pem",
    "nomad-server.pem", "nomad-server-key.pem", "nomad-client.pem", "nomad-client-key.pem", "consul-gossip.key",
  "nomad-gossip.key", "consul-agent.token", "nomad-consul.token", "consul-management.token", "nomad-bootstrap.token", "drover-consul.token"]
  secrets = { for n in local.secret_names : n => file("${local.secrets_dir}/${n}") }
}

data "aws_ami" "drover" {
  count       = var.ami_id == "" ? 1 : 0
  owners      = ["self"]
  most_recent = true

  filter {
    name   = "name"
    values = ["${var.ami_name_prefix}-*"]
  }
}

module "network" {
  source        = "../modules/aws-network"
  name          = var.name
  cidr          = var.vpc_cidr
  az_count      = var.az_count
  private_nodes = var.private_nodes
}

module "server_config" {
  source       = "../modules/node-config"
  role         = "server"
  datacenter   = var.datacenter
  join         = local.join
  server_count = var.server_count
  cloud        = "aws"
  secrets      = local.secrets
}

module "client_config" {
  source       = "../modules/node-config"
  role         = "client"
  datacenter   = var.datacenter
  join         = local.join
  server_count = var.server_count
  cloud        = "aws"
  secrets      = local.secrets
  raw_exec     = var.allow_raw_exec
}

# Nodes talk to each other freely (TLS and gossip encryption on, ACLs
# enforced); from outside, only allowed_cidrs reach the APIs (Nomad HTTPS
# 4646, Consul HTTPS 8501; Consul's plain HTTP listens on loopback) and SSH.
resource "aws_security_group" "nodes" {
  name_prefix = "${var.name}-nodes-"
  description = "Drover nodes"
  vpc_id      = module.network.vpc_id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "cluster" {
  security_group_id            = aws_security_group.nodes.id
  referenced_security_group_id = aws_security_group.nodes.id
  ip_protocol                  = "-1"
  description                  = "Nomad, Consul, executors: node to node"
}

resource "aws_vpc_security_group_ingress_rule" "api" {
  for_each          = { for pair in setproduct(var.allowed_cidrs, [4646, 8501, 22]) : "${pair[0]}:${pair[1]}" => pair }
  security_group_id = aws_security_group.nodes.id
  cidr_ipv4         = each.value[0]
  from_port         = each.value[1]
  to_port           = each.value[1]
  ip_protocol       = "tcp"
  description       = "Nomad/Consul HTTPS API and SSH from allowed_cidrs"
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.nodes.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "S3, package mirrors"
}
