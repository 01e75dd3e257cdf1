output "nomad_addr" {
  description = "Nomad's HTTPS API (the server node; verify with ca_file, server name server.global.nomad)."
  value       = "https://${local.server_ip}:4646"
}

output "consul_http_addr" {
  description = "Consul's HTTPS API (the server node; plain HTTP listens on each node's loopback only)."
  value       = "https://${local.server_ip}:8501"
}

output "ca_file" {
  description = "The cluster's CA certificate (in secrets_dir)."
  value       = "${local.secrets_dir}/ca.pem"
}

output "nomad_token_file" {
  description = "File holding Nomad's bootstrap (management) token; only its owner can read it."
  value       = "${local.secrets_dir}/nomad-bootstrap.token"
}

output "consul_token_file" {
  description = "File holding Consul's initial management token; only its owner can read it."
  value       = "${local.secrets_dir}/consul-management.token"
}

output "s3_endpoint" {
  description = "MinIO's S3 endpoint, from the host and from the nodes."
  value       = "http://${local.minio_ip}:9000"
}

output "server_ip" {
  description = "Address of the server node."
  value       = local.server_ip
}

output "client_ips" {
  description = "Addresses of the client nodes."
  value       = local.client_ips
}

output "containers" {
  description = "Container names: server, clients, MinIO."
  value = {
    server  = module.server.name
    clients = module.client[*].name
    minio   = docker_container.minio.name
  }
}

output "buckets" {
  description = "Buckets in MinIO."
  value       = var.buckets
}

output "env" {
  description = "Variables to export on the host for nomad, consul and drover (the tokens are in secrets_dir, the S3 secret key is the s3_secret_key output)."
  value       = local.host_env
}

output "exports" {
  description = "The env output and the secret key as shell lines: eval \"$(terraform output -raw exports)\"."
  sensitive   = true
  value = join("", concat(
    [for k in sort(keys(local.host_env)) : "export ${k}=${local.host_env[k]}\n"],
    ["export NOMAD_TOKEN=\"$(cat '${local.secrets_dir}/nomad-bootstrap.token')\"\n"],
    ["export CONSUL_HTTP_TOKEN=\"$(cat '${local.secrets_dir}/consul-management.token')\"\n"],
    ["export AWS_SECRET_ACCESS_KEY='${minio_iam_user.jobs.secret}'\n"]
  ))
}

output "s3_secret_key" {
  description = "Secret key of s3_user, the jobs' MinIO user (put it in the Nomad variable the driver jobs read)."
  value       = minio_iam_user.jobs.secret
  sensitive   = true
}
