#!/bin/sh
# The nightly backup (docs/deployment.md, Backups): the database with pg_dump, the documents and the audit
# checkpoints beside it, then old sets pruned. The keys are NOT copied here: they are kept apart (a backup
# and its keys in one place would open every protected identity to whoever holds the backup).
set -eu
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${BACKUP_DIR:?BACKUP_DIR must be set}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-35}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SET="$BACKUP_DIR/$STAMP"
umask 077
mkdir -p "$SET"
# Custom format: compressed, and pg_restore can restore one table or all of it, in parallel.
pg_dump --format=custom --no-owner --file="$SET/ctip.dump" "$DATABASE_URL"
if [ -n "${DOCUMENT_ROOT:-}" ] && [ -d "$DOCUMENT_ROOT" ]; then
    tar -C "$DOCUMENT_ROOT" -czf "$SET/documents.tar.gz" .
fi
if [ -n "${AUDIT_CHECKPOINT_DIR:-}" ] && [ -d "$AUDIT_CHECKPOINT_DIR" ]; then
    tar -C "$AUDIT_CHECKPOINT_DIR" -czf "$SET/audit-checkpoints.tar.gz" .
fi
(cd "$SET" && sha256sum ./* > SHA256SUMS)
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime "+$KEEP_DAYS" -exec rm -rf {} +
echo "Backup written to $SET"
