output "env" {
  description = "The node's settings as environment variables (for containers)."
  value       = local.env
}

output "env_file" {
  description = "The same settings as /etc/drover/node.env."
  value       = local.env_file
}

output "secret_files" {
  description = "The cluster secrets this role's nodes hold, by file name in /var/lib/drover/secrets."
  value       = local.files
  sensitive   = true
}

output "user_data" {
  description = "EC2 user data: writes /etc/drover/node.env and the node's secrets, and starts Consul and Nomad (and, on servers, the ACL bootstrap)."
  sensitive   = true
  value = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    env_file = local.env_file
    files    = local.files
    server   = var.role == "server"
  })
}
