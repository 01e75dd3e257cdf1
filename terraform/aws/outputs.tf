output "nomad_addr" {
  description = "Nomad's HTTPS API on the first server (its public IP unless private_nodes; server name server.global.nomad)."
  value       = "https://${coalesce(aws_instance.server[0].public_ip, aws_instance.server[0].private_ip)}:4646"
}

output "consul_http_addr" {
  description = "Consul's HTTPS API on the first server (server name server.<datacenter>.consul)."
  value       = "https://${coalesce(aws_instance.server[0].public_ip, aws_instance.server[0].private_ip)}:8501"
}

output "ca_file" {
  description = "The cluster's CA certificate (in secrets_dir)."
  value       = "${local.secrets_dir}/ca.pem"
}

output "nomad_token_file" {
  description = "File holding Nomad's bootstrap (management) token."
  value       = "${local.secrets_dir}/nomad-bootstrap.token"
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
    NOMAD_ADDR             = "https://${coalesce(aws_instance.server[0].public_ip, aws_instance.server[0].private_ip)}:4646"
    NOMAD_CACERT           = "${local.secrets_dir}/ca.pem"
    NOMAD_TLS_SERVER_NAME  = "server.global.nomad"
    CONSUL_HTTP_ADDR       = "https://${coalesce(aws_instance.server[0].public_ip, aws_instance.server[0].private_ip)}:8501"
    CONSUL_CACERT          = "${local.secrets_dir}/ca.pem"
    CONSUL_TLS_SERVER_NAME = "server.${var.datacenter}.consul"
    AWS_REGION             = var.region
    DROVER_SHUFFLE_DIR     = "s3://${aws_s3_bucket.data.bucket}/shuffle"
  }
}
