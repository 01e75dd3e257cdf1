output "nomad_addr" {
  description = "Nomad's HTTP API on the first server (its public IP unless private_nodes)."
  value       = "http://${coalesce(aws_instance.server[0].public_ip, aws_instance.server[0].private_ip)}:4646"
}

output "consul_http_addr" {
  description = "Consul's HTTP API on the first server."
  value       = "${coalesce(aws_instance.server[0].public_ip, aws_instance.server[0].private_ip)}:8500"
}

output "server_private_ips" {
  description = "Private addresses of the servers."
  value       = aws_instance.server[*].private_ip
}

output "server_public_ips" {
  description = "Public addresses of the servers (empty with private_nodes)."
  value       = compact(aws_instance.server[*].public_ip)
}

output "client_autoscaling_group" {
  description = "Name of the clients' autoscaling group."
  value       = aws_autoscaling_group.clients.name
}

output "bucket" {
  description = "The data bucket."
  value       = aws_s3_bucket.data.bucket
}

output "shuffle_dir" {
  description = "Where shuffle files go (drover-driver's shuffle_dir)."
  value       = "s3://${aws_s3_bucket.data.bucket}/shuffle"
}

output "ami_id" {
  description = "The AMI the nodes run."
  value       = local.ami_id
}

output "env" {
  description = "Variables to export where you run nomad and drover."
  value = {
    NOMAD_ADDR         = "http://${coalesce(aws_instance.server[0].public_ip, aws_instance.server[0].private_ip)}:4646"
    CONSUL_HTTP_ADDR   = "${coalesce(aws_instance.server[0].public_ip, aws_instance.server[0].private_ip)}:8500"
    AWS_REGION         = var.region
    DROVER_SHUFFLE_DIR = "s3://${aws_s3_bucket.data.bucket}/shuffle"
  }
}
