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

# The jobs' S3 identity: read the input buckets; read and write the
# others (sinks, shuffle files, event logs); nothing else (no bucket
# administration, no other bucket).
locals {
  rw_buckets = [for b in var.buckets : b if !contains(var.read_only_buckets, b)]
  ro_buckets = [for b in var.buckets : b if contains(var.read_only_buckets, b)]
  arns       = { for b in var.buckets : b => "arn:aws:s3:::${b}" }
}

resource "minio_iam_policy" "jobs" {
  name = "${var.name}-jobs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid      = "ListBuckets"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
        Resource = [for b in var.buckets : local.arns[b]]
      },
      {
        Sid      = "ReadObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [for b in var.buckets : "${local.arns[b]}/*"]
      }],
      length(local.rw_buckets) == 0 ? [] : [{
        Sid      = "WriteObjects"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = [for b in local.rw_buckets : "${local.arns[b]}/*"]
    }])
  })

  lifecycle {
    precondition {
      condition     = length(setsubtract(var.read_only_buckets, var.buckets)) == 0
      error_message = "read_only_buckets names a bucket that is not in buckets."
    }
  }

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
