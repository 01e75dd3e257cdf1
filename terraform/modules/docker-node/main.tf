# One Drover node as a Docker container: the image's entrypoint renders the
# agent configs from the DROVER_* environment and runs Consul and Nomad.
# Terraform waits until the image's health check passes: for a server, Nomad
# and Consul have a leader; for a client, its Nomad node is ready and has
# fingerprinted its Consul agent.
locals {
  client = var.role == "client"
}

resource "docker_container" "node" {
  name     = var.name
  hostname = var.name
  image    = var.image
  env      = [for k in sort(keys(var.env)) : "${k}=${var.env[k]}"]
  init     = true
  restart  = "no"
  memory   = var.memory_mb

  must_run     = true
  wait         = true
  wait_timeout = var.ready_timeout

  networks_advanced {
    name         = var.network
    ipv4_address = var.ipv4_address
  }

  # A Nomad client manages task cgroups and mounts task directories:
  # without these it exits or every task fails (--privileged is not needed).
  capabilities {
    add = local.client ? ["SYS_ADMIN"] : []
  }
  # The exec driver isolates tasks with runc (namespaces, chroot, cgroups),
  # which needs keyctl: Docker's default seccomp profile refuses it. The
  # node container stands in for a machine; the tasks' isolation is exec's.
  security_opts = local.client ? ["seccomp=unconfined"] : []

  dynamic "mounts" {
    for_each = local.client ? [1] : []
    content {
      type      = "bind"
      source    = "/sys/fs/cgroup"
      target    = "/sys/fs/cgroup"
      read_only = false
    }
  }

  # The node's secrets (certificates, gossip keys, tokens), written into
  # the container before it starts; render-config makes them 0600.
  dynamic "upload" {
    for_each = nonsensitive(toset(keys(var.files)))
    content {
      file    = "/var/lib/drover/secrets/${upload.value}"
      content = var.files[upload.value]
    }
  }

  healthcheck {
    test         = ["CMD", "/usr/local/lib/drover/healthcheck", var.role]
    interval     = "2s"
    timeout      = "5s"
    start_period = "5s"
    retries      = 90
  }

  dynamic "labels" {
    for_each = merge(var.labels, { "drover.role" = var.role })
    content {
      label = labels.key
      value = labels.value
    }
  }
}
