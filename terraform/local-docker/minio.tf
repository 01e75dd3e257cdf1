# MinIO, the cluster's S3: one container from the node image (it holds the
# minio binary) with its data in a Docker volume, and the buckets Drover
# uses.
resource "docker_volume" "minio" {
  name = "${var.name}-minio-data"

  dynamic "labels" {
    for_each = local.labels
    content {
      label = labels.key
      value = labels.value
    }
  }
}

resource "docker_container" "minio" {
  name     = "${var.name}-minio"
  hostname = "${var.name}-minio"
  image    = data.docker_image.node.id
  command  = ["minio", "server", "/data", "--address", ":9000", "--console-address", ":9001", "--quiet"]
  env = [
    "MINIO_ROOT_USER=${var.minio_root_user}",
    "MINIO_ROOT_PASSWORD=${var.minio_root_password}",
    "MINIO_REGION=${var.s3_region}",
    "MINIO_BROWSER=off",
    "MINIO_UPDATE=off",
  ]
  init    = true
  restart = "no"
  memory  = 1024

  must_run     = true
  wait         = true
  wait_timeout = 120

  networks_advanced {
    name         = docker_network.cluster.name
    ipv4_address = local.minio_ip
  }

  mounts {
    type   = "volume"
    source = docker_volume.minio.name
    target = "/data"
  }

  healthcheck {
    test         = ["CMD-SHELL", "curl -fsS http://127.0.0.1:9000/minio/health/live >/dev/null"]
    interval     = "2s"
    timeout      = "5s"
    start_period = "2s"
    retries      = 60
  }

  dynamic "labels" {
    for_each = merge(local.labels, { "drover.role" = "minio" })
    content {
      label = labels.key
      value = labels.value
    }
  }
}

resource "minio_s3_bucket" "this" {
  for_each      = toset(var.buckets)
  bucket        = each.value
  force_destroy = true

  depends_on = [docker_container.minio]
}
