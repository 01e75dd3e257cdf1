output "env" {
  description = "The node's settings as environment variables (for containers)."
  value       = local.env
}

output "env_file" {
  description = "The same settings as /etc/drover/node.env."
  value       = local.env_file
}

output "user_data" {
  description = "EC2 user data: writes /etc/drover/node.env and starts Consul and Nomad."
  value       = templatefile("${path.module}/templates/user-data.sh.tftpl", { env_file = local.env_file })
}
