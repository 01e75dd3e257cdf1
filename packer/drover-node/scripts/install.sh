#!/bin/sh
# Installs a Drover node's software from what the file provisioners
# uploaded: Nomad, Consul, MinIO and drover into /usr/local/bin, the example
# UDF plugins into /opt/drover/plugins, the config renderer, container
# entrypoint, health check and MinIO wrapper into /usr/local/lib/drover, and
# the systemd units (enabled by the user data once /etc/drover/node.env
# exists). Same steps on every
# source: the Docker image and the AMI differ only in what starts the agents.
set -eu
artifacts=${DROVER_ARTIFACTS:-/tmp/drover-artifacts}
files=${DROVER_FILES:-/tmp/drover-files}

for b in nomad consul drover minio; do
  install -m 0755 "$artifacts/bin/$b" "/usr/local/bin/$b"
done
install -d -m 0755 /opt/drover/plugins /usr/local/lib/drover /etc/drover /etc/nomad.d /etc/consul.d
install -d -m 0700 /opt/nomad/data /opt/consul/data /var/lib/drover/secrets /var/lib/drover/agent
# Drover's driver and executors run as this user (the job files' task_user).
id drover >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin drover
if [ -d "$artifacts/plugins" ]; then
  for p in "$artifacts"/plugins/*; do
    [ -f "$p" ] && install -m 0755 "$p" /opt/drover/plugins/
  done
fi
install -m 0755 "$files/render-config" /usr/local/lib/drover/render-config
install -m 0755 "$files/entrypoint" /usr/local/lib/drover/entrypoint
install -m 0755 "$files/healthcheck" /usr/local/lib/drover/healthcheck
install -m 0755 "$files/minio-server" /usr/local/lib/drover/minio-server
install -m 0755 "$files/bootstrap-acl" /usr/local/lib/drover/bootstrap-acl
install -d -m 0755 /etc/systemd/system
install -m 0644 "$files/systemd/consul.service" /etc/systemd/system/consul.service
install -m 0644 "$files/systemd/nomad.service" /etc/systemd/system/nomad.service
install -m 0644 "$files/systemd/drover-bootstrap.service" /etc/systemd/system/drover-bootstrap.service

cat >/etc/drover/image <<INFO
drover=$(/usr/local/bin/drover version | head -n 1)
nomad=$(CHECKPOINT_DISABLE=1 /usr/local/bin/nomad version | head -n 1)
consul=$(CHECKPOINT_DISABLE=1 /usr/local/bin/consul version | head -n 1)
plugins=$(ls /opt/drover/plugins | tr '\n' ' ')
built=${DROVER_IMAGE_BUILT:-unknown}
INFO
cat /etc/drover/image
rm -rf "$artifacts" "$files"
