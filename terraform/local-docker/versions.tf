terraform {
  required_version = ">= 1.5.0"
  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = "2.23.0"
    }
    minio = {
      source  = "aminueza/minio"
      version = "3.3.0"
    }
  }
}

# The local Docker daemon (DOCKER_HOST when set).
provider "docker" {}

provider "minio" {
  minio_server   = "${local.minio_ip}:9000"
  minio_user     = var.minio_root_user
  minio_password = var.minio_root_password
  minio_region   = var.s3_region
  minio_ssl      = false
}
