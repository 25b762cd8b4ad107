#!/bin/sh
# Creates the LakeSync bucket in MinIO. Run by the `minio-init` service of docker-compose.yml
# once MinIO is healthy; safe to run again (an existing bucket is left as it is).
set -eu

endpoint="${MINIO_INTERNAL_ENDPOINT:-http://minio:9000}"
bucket="${LAKESYNC_BUCKET:-lakesync}"

attempt=0
until mc alias set lakesync "$endpoint" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "init-minio: MinIO at $endpoint did not accept the credentials after 30 tries" >&2
    exit 1
  fi
  sleep 1
done

mc mb --ignore-existing "lakesync/$bucket"
echo "init-minio: bucket $bucket is ready at $endpoint"
