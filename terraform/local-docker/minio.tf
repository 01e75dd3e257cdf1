# MinIO, the cluster's S3: one container from the node image (it holds the
# minio binary) with its data in a Docker volume. The image's minio-server
# creates the buckets; the health check passes once they exist. Jobs use a
# MinIO user of their own, allowed only into those buckets, never the root
# credentials.
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
  command  = ["/usr/local/lib/drover/minio-server", "/data"]
  env = [
    "MINIO_ROOT_USER=${var.minio_root_user}",
    "MINIO_ROOT_PASSWORD=${var.minio_root_password}",
    "MINIO_REGION=${var.s3_region}",
    "MINIO_BUCKETS=${join(" ", var.buckets)}",
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
    test         = ["CMD", "/usr/local/lib/drover/healthcheck", "minio"]
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

# The jobs' S3 identity: read and write in the buckets, nothing else.
resource "minio_iam_policy" "jobs" {
  name = "${var.name}-jobs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:*"]
      Resource = flatten([for b in var.buckets : ["arn:aws:s3:::${b}", "arn:aws:s3:::${b}/*"]])
    }]
  })

  depends_on = [docker_container.minio]
}

resource "minio_iam_user" "jobs" {
  name = var.s3_user

  depends_on = [docker_container.minio]
}

resource "minio_iam_user_policy_attachment" "jobs" {
  user_name   = minio_iam_user.jobs.name
  policy_name = minio_iam_policy.jobs.name
}
