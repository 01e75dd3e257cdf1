output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "The VPC's IPv4 block."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets, one per availability zone."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (empty unless private_nodes)."
  value       = aws_subnet.private[*].id
}

output "node_subnet_ids" {
  description = "Where the nodes go: the private subnets with private_nodes, else the public ones."
  value       = var.private_nodes ? aws_subnet.private[*].id : aws_subnet.public[*].id
}
