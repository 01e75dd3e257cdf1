#!/usr/bin/env bash
# Makes the Docker base image the drover-node template's `docker` source
# starts from (no registry is reachable, so nothing can be pulled): a
# minimal Debian bookworm root filesystem from debootstrap, imported with
# `docker import`. Does nothing when the image already exists.
#
#   packer/base/build-base-image.sh [IMAGE]      # default drover-base:bookworm
#
# The Debian mirror is the one apt uses on this machine (DEBIAN_MIRROR
# overrides it). Needs root for debootstrap; installs debootstrap with
# apt-get when it is missing.
set -euo pipefail
image=${1:-drover-base:bookworm}
suite=bookworm
packages=ca-certificates,curl,iproute2,procps,iputils-ping,dnsutils

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image exists"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi

# apt's configured Debian mirror: deb822 sources first, then sources.list.
mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

if ! command -v debootstrap >/dev/null; then
  echo "installing debootstrap (apt-get)"
  # A fresh machine may have no package lists yet: update once and retry.
  "${sudo[@]}" apt-get install -y -q debootstrap >/dev/null 2>&1 ||
    { "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" apt-get install -y -q debootstrap >/dev/null; }
fi

root=$(mktemp -d /tmp/drover-rootfs-XXXXXX)
trap '"${sudo[@]}" rm -rf "$root"' EXIT
echo "debootstrap $suite from $(mirror) into $root"
"${sudo[@]}" nice -n 19 debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$(mirror)" >"$root.log" 2>&1 || {
  tail -n 30 "$root.log" >&2
  rm -f "$root.log"
  exit 1
}
rm -f "$root.log"
# Package lists and caches are not needed in the image.
"${sudo[@]}" rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
"${sudo[@]}" tar -C "$root" -c . | docker import \
  --change 'LABEL org.opencontainers.image.title="drover-base" org.opencontainers.image.description="Debian bookworm minbase (debootstrap)"' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' \
  - "$image" >/dev/null
echo "base image $image built"
