output "name" {
  description = "Container name."
  value       = docker_container.node.name
}

output "id" {
  description = "Container ID."
  value       = docker_container.node.id
}

output "ipv4_address" {
  description = "The node's address on the network."
  value       = var.ipv4_address
}
