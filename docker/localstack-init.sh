#!/bin/bash
# LocalStack ready hook: the bucket, the images table with its GSI, the embeddings, clusters and search terms tables.
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
awslocal dynamodb create-table \
  --table-name "${DYNAMODB_TABLE_EMBEDDINGS:-imagepipe-embeddings}" \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=user_id,AttributeType=S AttributeName=image_id,AttributeType=S \
  --key-schema AttributeName=user_id,KeyType=HASH AttributeName=image_id,KeyType=RANGE \
  || true
awslocal dynamodb create-table \
  --table-name "${DYNAMODB_TABLE_CLUSTERS:-imagepipe-clusters}" \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=user_id,AttributeType=S AttributeName=cluster_id,AttributeType=S \
  --key-schema AttributeName=user_id,KeyType=HASH AttributeName=cluster_id,KeyType=RANGE \
  || true
awslocal dynamodb create-table \
  --table-name "${DYNAMODB_TABLE_SEARCH_TERMS:-imagepipe-search-terms}" \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=term_key,AttributeType=S AttributeName=image_id,AttributeType=S \
  --key-schema AttributeName=term_key,KeyType=HASH AttributeName=image_id,KeyType=RANGE \
  || true
awslocal dynamodb create-table \
  --table-name "${DYNAMODB_TABLE_CHECKSUMS:-imagepipe-checksums}" \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=user_id,AttributeType=S AttributeName=sha256,AttributeType=S \
  --key-schema AttributeName=user_id,KeyType=HASH AttributeName=sha256,KeyType=RANGE \
  || true
