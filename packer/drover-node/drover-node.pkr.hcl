# The Drover node image: Nomad, Consul, MinIO, drover and the example UDF
# plugins, with agent configs rendered at boot (render-config) from the
# node's role, join addresses and datacenter. One template, two sources
# with the same provisioners:
#
#   docker.node      a local image (drover-node:latest) whose entrypoint runs
#                    the agents; the nodes of terraform/local-docker
#   amazon-ebs.node  an AMI whose systemd units run the agents; the nodes of
#                    terraform/aws
#
#   packer build -only=drover-node.docker.node -var artifacts_dir=bin/image packer/drover-node
#
# `make image` stages the artifacts (static linux/amd64 builds) and the
# base image first. See packer/README.md.

packer {
  required_version = ">= 1.14.0"
  required_plugins {
    docker = {
      version = "= 1.1.2"
      source  = "github.com/hashicorp/docker"
    }
    amazon = {
      version = "= 1.8.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

locals {
  # The docker source's build container has no network (nothing is
  # downloaded) and carries these labels, so that a test can remove what an
  # interrupted build left behind.
  docker_label_args = flatten([for k, v in var.docker_labels : ["--label", "${k}=${v}"]])
  built             = formatdate("YYYY-MM-DD'T'hh:mm:ssZ", timestamp())
}

source "docker" "node" {
  image       = var.base_image
  pull        = false
  commit      = true
  run_command = concat(["-d", "-i", "-t", "--network=none", "--entrypoint=/bin/sh"], local.docker_label_args, ["--", "{{.Image}}"])
  changes = [
    "ENTRYPOINT [\"/usr/local/lib/drover/entrypoint\"]",
    "CMD []",
    "ENV CHECKPOINT_DISABLE=1",
    "EXPOSE 4646 4647 4648 8300 8301 8500 9000",
    "LABEL org.opencontainers.image.title=drover-node",
  ]
}

source "amazon-ebs" "node" {
  region        = var.aws_region
  instance_type = var.aws_instance_type
  ssh_username  = "admin"
  ami_name      = "${var.ami_name_prefix}-${formatdate("YYYYMMDD-hhmmss", timestamp())}"
  ami_regions   = var.ami_regions
  source_ami_filter {
    filters = {
      name                = "debian-12-amd64-*"
      architecture        = "x86_64"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["136693071363"] # Debian
    most_recent = true
  }
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = 16
    volume_type           = "gp3"
    delete_on_termination = true
  }
  tags = merge(var.aws_tags, {
    Name   = var.ami_name_prefix
    Drover = "node"
  })
}

build {
  name    = "drover-node"
  sources = ["source.docker.node", "source.amazon-ebs.node"]

  provisioner "file" {
    source      = "${var.artifacts_dir}/"
    destination = "/tmp/drover-artifacts"
  }

  provisioner "file" {
    source      = "${path.root}/files/"
    destination = "/tmp/drover-files"
  }

  provisioner "shell" {
    script           = "${path.root}/scripts/install.sh"
    environment_vars = ["DROVER_IMAGE_BUILT=${local.built}"]
    # The AMI's build user is not root; the container's is.
    override = {
      "amazon-ebs.node" = {
        execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
      }
    }
  }

  post-processor "docker-tag" {
    only       = ["docker.node"]
    repository = var.image_repository
    tags       = [var.image_tag]
  }
}
