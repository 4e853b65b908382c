#!/bin/bash
# LocalStack ready hook: the bucket, the images table with its GSI, the embeddings, clusters, search terms and
# checksums tables, and the rate limits' table with its TTL.
# Mirrors src/provisioning/*Table.ts; the API also runs that code at start-up (PROVISION_RESOURCES=true),
# which leaves what is here untouched and creates anything missing.
set -euo pipefail
awslocal s3 mb "s3://${S3_BUCKET:-imagepipe-images}" || true
awslocal dynamodb create-table \
  --table-name "${DYNAMODB_TABLE_IMAGES:-imagepipe-images}" \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=user_id,AttributeType=S AttributeName=image_id,AttributeType=S AttributeName=created_at,AttributeType=S \
  --key-schema AttributeName=user_id,KeyType=HASH AttributeName=image_id,KeyType=RANGE \
  --global-secondary-indexes '[{"IndexName":"by_user_created","KeySchema":[{"AttributeName":"user_id","KeyType":"HASH"},{"AttributeName":"created_at","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]' \
  || true
# A table keyed by two strings, as src/storage/tables/tableKey.ts has them: name, partition key, sort key.
create_table() {
  awslocal dynamodb create-table \
    --table-name "$1" \
    --billing-mode PAY_PER_REQUEST \
    --attribute-definitions "AttributeName=$2,AttributeType=S" "AttributeName=$3,AttributeType=S" \
    --key-schema "AttributeName=$2,KeyType=HASH" "AttributeName=$3,KeyType=RANGE" \
    || true
}
create_table "${DYNAMODB_TABLE_EMBEDDINGS:-imagepipe-embeddings}" user_id image_id
create_table "${DYNAMODB_TABLE_CLUSTERS:-imagepipe-clusters}" user_id cluster_id
create_table "${DYNAMODB_TABLE_SEARCH_TERMS:-imagepipe-search-terms}" term_key image_id
create_table "${DYNAMODB_TABLE_CHECKSUMS:-imagepipe-checksums}" user_id sha256
# Webhook endpoints and their delivery logs, which expire (src/storage/tables/webhooksTable.ts).
create_table "${DYNAMODB_TABLE_WEBHOOKS:-imagepipe-webhooks}" user_id item_key
awslocal dynamodb update-time-to-live \
  --table-name "${DYNAMODB_TABLE_WEBHOOKS:-imagepipe-webhooks}" \
  --time-to-live-specification Enabled=true,AttributeName=expires_at \
  || true
# The rate limits' buckets: one key, and items that expire (src/storage/tables/rateLimitsTable.ts).
awslocal dynamodb create-table \
  --table-name "${DYNAMODB_TABLE_RATE_LIMITS:-imagepipe-rate-limits}" \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=bucket_key,AttributeType=S \
  --key-schema AttributeName=bucket_key,KeyType=HASH \
  || true
awslocal dynamodb update-time-to-live \
  --table-name "${DYNAMODB_TABLE_RATE_LIMITS:-imagepipe-rate-limits}" \
  --time-to-live-specification Enabled=true,AttributeName=expires_at \
  || true
