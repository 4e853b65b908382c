#!/bin/sh
# Registers imagepipe's search attributes (src/workflows/searchAttributes.ts) once Temporal answers.
set -eu
until temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; do sleep 2; done
for name in ImagepipeUserId ImagepipeImageId ImagepipeStatus; do
  temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type Keyword || true
done
