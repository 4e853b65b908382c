import { z } from 'zod';
import type { Config } from '../config';
import { bulkDeleteSchema, hardQuerySchema } from './schemas/deleteRequests';
import { directUploadRequestSchema } from './schemas/directUpload';
import { fileChecksSchema } from './schemas/fileChecks';
import { imageFormFieldsSchema } from './schemas/imageFields';
import { similarQuerySchema, thumbnailQuerySchema } from './schemas/imageQueries';
import { listQuerySchema } from './schemas/listQuery';
import { searchQuerySchema } from './schemas/searchQuery';
import { signUpRequestSchema } from './schemas/signUpRequest';
import { tokenRequestSchema } from './schemas/tokenRequest';

type JsonSchema = Record<string, unknown>;

/** The request side of a schema, as JSON Schema 2020-12 (the dialect of OpenAPI 3.1). */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

function queryParameters(schema: z.ZodType) {
  const { properties = {}, required = [] } = jsonSchema(schema) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    schema: property,
  }));
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const json = (description: string, schema: JsonSchema = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const imageIdParameter = { name: 'imageId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const secured = { security: [{ firebaseIdToken: [] }] };
const authErrors = { 401: problem('Missing, malformed, expired, revoked or foreign token') };
// Every image route is rate-limited per user.
const imageErrors = {
  ...authErrors,
  429: problem('Too many requests from this user: Retry-After says when to try again'),
};
const notFound = { 404: problem("No such image for this user (another user's image answers the same)") };

/** The OAuth2 token answer: the access token is a Firebase ID token, the refresh token renews it. */
const session = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in', 'refresh_token'],
  properties: {
    access_token: { type: 'string' },
    token_type: { const: 'bearer' },
    expires_in: { type: 'integer', description: 'Seconds the access token is valid' },
    refresh_token: { type: 'string', description: 'Exchanged for a new access token with grant_type refresh_token' },
  },
};

/** A page of search results: each image's preview, its score and what it was found by. */
const searchResults = {
  type: 'object',
  required: ['items', 'next_cursor', 'next'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['image_id', 'score', 'matched'],
        properties: {
          image_id: { type: 'string', format: 'uuid' },
          thumbnail_url: { type: 'string' },
          ai_description: { type: 'string' },
          score: { type: 'number', description: 'Reciprocal Rank Fusion of the word and the semantic rankings' },
          matched: {
            type: 'object',
            required: ['terms', 'fields', 'semantic'],
            properties: {
              terms: { type: 'array', items: { type: 'string' }, description: 'The query words the image has' },
              fields: {
                type: 'array',
                items: { enum: ['title', 'tags', 'filename', 'description', 'ai_description'] },
              },
              semantic: { type: 'boolean', description: 'Found by the embedding of the query too' },
            },
          },
        },
      },
    },
    next_cursor: { type: ['string', 'null'], description: 'The cursor of the next page; null on the last' },
    next: { type: ['string', 'null'], description: 'The URL of the next page; null on the last' },
  },
};

/**
 * Where an image's id leads: what a client (or a fuzzer's stateful phase) can do next with it; a thumbnail in the
 * smallest configured size.
 */
const imageLinks = (imageId: string, thumbnailSize: number) => ({
  ...Object.fromEntries(
    ['getImage', 'getImageStatus', 'getImageDownload', 'getSimilarImages', 'getImageOriginal', 'deleteImage'].map(
      (operationId) => [operationId, { operationId, parameters: { imageId } }],
    ),
  ),
  getImageThumbnail: { operationId: 'getImageThumbnail', parameters: { imageId, size: thumbnailSize } },
});

/**
 * What every operation may answer because of its request's shape, added where it is not listed already: a query
 * parameter out of bounds or unknown (400), a body that does not parse (400) or is too large (413).
 */
function withShapeProblems<T extends Record<string, Record<string, Record<string, unknown>>>>(paths: T): T {
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const responses = operation.responses as Record<string, unknown>;
      const parameters = (operation.parameters as Array<{ in: string }> | undefined) ?? [];
      if (parameters.some((parameter) => parameter.in === 'query')) {
        responses[400] ??= problem('A query parameter out of bounds, or one this operation does not take');
      }
      if (operation.requestBody) {
        responses[400] ??= problem('A body that does not parse');
        responses[413] ??= problem('A body larger than allowed');
      }
    }
  }
  return paths;
}

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the two cannot drift.
 */
export function openApiDocument(config: Config) {
  const directUpload = directUploadRequestSchema(config);
  // Its bytes must be a whole JPEG, PNG, GIF or WebP image within the limits: more than a schema can say (415 or
  // 422 otherwise, with the rule it broke).
  // The smallest size is in the description only: as a minLength, fuzzers (Schemathesis) spend their budget building
  // long strings and give up on the operation.
  const imageFile = {
    type: 'string',
    format: 'binary',
    contentMediaType: 'image/*',
    maxLength: config.uploads.maxBytes,
    description: `A JPEG, PNG, GIF or WebP image of ${config.uploads.minBytes}-${config.uploads.maxBytes} bytes, ${config.images.minDimension}-${config.images.maxDimension} px a side, at most ${config.images.maxPixels} pixels`,
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'imagepipe',
      version: '1',
      description:
        'Durable image ingestion: uploads are stored in S3 and each is processed by its own Temporal workflow into thumbnails, a description, an embedding and metadata. Errors are RFC 9457 problem documents.',
    },
    servers: config.api.publicUrl ? [{ url: config.api.publicUrl }] : undefined,
    components: {
      securitySchemes: { firebaseIdToken: { type: 'http', scheme: 'bearer', bearerFormat: 'Firebase ID token' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            file: { type: 'string', description: 'The uploaded file a problem is about' },
            rule: {
              type: 'string',
              description:
                'The limit it broke: format, corrupt, min_bytes, max_bytes, min_dimension, max_dimension, max_pixels, max_files...',
            },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
    paths: withShapeProblems({
      '/healthz': { get: { operationId: 'health', summary: 'The process is up', responses: { 200: json('Up') } } },
      '/readyz': {
        get: {
          operationId: 'readiness',
          summary: 'Every dependency answers',
          responses: { 200: json('Ready, per component'), 503: problem('Not ready; components say which') },
        },
      },
      '/api/v1/auth/token': {
        post: {
          operationId: 'signIn',
          summary:
            'Exchange email and password (grant_type password, the default) or a refresh token (grant_type refresh_token) for a Firebase ID token',
          requestBody: {
            required: true,
            content: { 'application/x-www-form-urlencoded': { schema: jsonSchema(tokenRequestSchema) } },
          },
          responses: {
            200: json('access_token, token_type "bearer", expires_in, refresh_token', session),
            400: problem('Missing fields, or a grant_type other than password and refresh_token'),
            401: problem('Invalid email or password; a refresh token invalid, expired or revoked'),
            429: problem('Too many attempts'),
          },
        },
      },
      '/api/v1/auth/signup': {
        post: {
          operationId: 'signUp',
          summary: 'Create an email and password account and sign it in',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: jsonSchema(signUpRequestSchema) },
              'application/x-www-form-urlencoded': { schema: jsonSchema(signUpRequestSchema) },
            },
          },
          responses: {
            201: json('The new account signed in: its session and user_id', {
              ...session,
              required: [...session.required, 'user_id'],
              properties: { ...session.properties, user_id: { type: 'string' } },
            }),
            400: problem('Not an email address, no password, or a password too weak'),
            409: problem('An account with this email address exists already'),
            429: problem('Too many attempts'),
          },
        },
      },
      '/api/v1/auth/me': {
        get: {
          operationId: 'getMe',
          summary: 'The signed-in user',
          ...secured,
          responses: { 200: json('user_id, email'), ...authErrors },
        },
      },
      '/api/v1/images': {
        post: {
          operationId: 'uploadImages',
          summary: 'Upload one or more images (multipart, streamed to storage)',
          ...secured,
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  ...jsonSchema(imageFormFieldsSchema),
                  additionalProperties: false,
                  // At least one image, in either field.
                  anyOf: [{ required: ['files'] }, { required: ['file'] }],
                  properties: {
                    ...(jsonSchema(imageFormFieldsSchema).properties as JsonSchema),
                    files: { type: 'array', items: imageFile, minItems: 1, maxItems: config.uploads.maxFiles },
                    file: imageFile,
                  },
                },
              },
            },
          },
          responses: {
            200: json(
              'Every file was one the user already has: per file that image, its status and duplicate_of (DUPLICATES=link)',
            ),
            202: {
              ...json(
                'Accepted: per image its id and status URL (with duplicate_of for files already held); refused files listed one by one',
              ),
              links: imageLinks('$response.body#/images/0/image_id', Math.min(...config.images.thumbnailSizes)),
            },
            400: problem('No file, malformed multipart, unexpected file field'),
            413: problem(
              'A file over the size limit, too many files, or a request over UPLOAD_MAX_REQUEST_BYTES (rule max_request_bytes, with direct_upload_url)',
            ),
            411: problem('A chunked request where UPLOAD_MAX_REQUEST_BYTES is set'),
            415: problem('Not multipart, or not a JPEG, PNG, GIF or WebP image'),
            422: problem('Dimensions, pixel count, size or fields out of bounds'),
            ...imageErrors,
          },
        },
        get: {
          operationId: 'listImages',
          summary: 'List your images, newest first, with cursor pagination and filters',
          ...secured,
          parameters: queryParameters(listQuerySchema),
          responses: {
            200: json('items and next_cursor'),
            400: problem('Bad cursor, limit or filter; unknown parameters are refused'),
            ...imageErrors,
          },
        },
        delete: {
          operationId: 'deleteImages',
          summary: 'Delete up to 100 images (soft unless hard is true), with a result per id',
          ...secured,
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(bulkDeleteSchema) } } },
          responses: { 200: json('results'), 422: problem('Bad id list'), ...imageErrors },
        },
      },
      '/api/v1/images/cluster': {
        post: {
          operationId: 'startReclustering',
          summary: 'Re-cluster your library now (or find the re-clustering already running)',
          ...secured,
          responses: { 202: json('workflow_id, status_url'), ...imageErrors },
        },
      },
      '/api/v1/images/cluster/status': {
        get: {
          operationId: 'getReclustering',
          summary: 'Your latest re-clustering: running (with its step), completed (k, silhouette, clusters) or failed',
          ...secured,
          responses: { 200: json('Status'), 404: problem('None has run yet'), ...imageErrors },
        },
      },
      '/api/v1/images/clusters': {
        get: {
          operationId: 'listClusters',
          summary: 'Your clusters, largest first: name, size, cohesion, a few thumbnails',
          ...secured,
          responses: { 200: json('clusters'), ...imageErrors },
        },
      },
      '/api/v1/images/search': {
        get: {
          operationId: 'searchImages',
          summary:
            'Search your images by words (title, tags, file name, description, AI description) and, with a provider that embeds text, by meaning; best first, with cursor pagination (500 results at most)',
          ...secured,
          parameters: queryParameters(searchQuerySchema),
          responses: {
            200: json('items (preview, score, matched), next_cursor and next', searchResults),
            400: problem(
              'No q, q blank, over 200 characters or without a word to search for; bad limit; a cursor that is not one of this search',
            ),
            ...imageErrors,
          },
        },
      },
      '/api/v1/images/{imageId}/similar': {
        get: {
          operationId: 'getSimilarImages',
          summary: 'The images nearest to this one by embedding (cosine similarity)',
          ...secured,
          parameters: [imageIdParameter, ...queryParameters(similarQuerySchema)],
          responses: {
            200: json('similar: image_id, similarity, thumbnail_url, ai_description'),
            400: problem('Bad limit'),
            409: problem('Not processed yet'),
            ...notFound,
            ...imageErrors,
          },
        },
      },
      '/api/v1/images/uploads': {
        post: {
          operationId: 'startDirectUpload',
          summary: 'Start a direct upload: a presigned PUT scoped to one key, type and length',
          ...secured,
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(directUpload) } } },
          responses: {
            201: {
              ...json('image_id, upload {method, url, headers}, expires_at, complete_url'),
              links: {
                completeDirectUpload: {
                  operationId: 'completeDirectUpload',
                  parameters: { imageId: '$response.body#/image_id' },
                },
              },
            },
            422: problem('Fields out of bounds'),
            ...imageErrors,
          },
        },
      },
      '/api/v1/images/checks': {
        post: {
          operationId: 'checkFiles',
          summary: 'Which of these files (SHA-256 and size) you already have, so you upload only the others',
          ...secured,
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(fileChecksSchema) } } },
          responses: {
            200: json(
              'results, in the order asked: exists, and the image_id, status and image_url of an existing one',
              {
                type: 'object',
                required: ['results'],
                properties: {
                  results: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['sha256', 'size', 'exists'],
                      properties: {
                        sha256: { type: 'string' },
                        size: { type: 'integer' },
                        exists: { type: 'boolean' },
                        image_id: { type: 'string', format: 'uuid' },
                        status: { enum: ['processing', 'completed'] },
                        image_url: { type: 'string' },
                      },
                    },
                  },
                },
              },
            ),
            422: problem('Not 1 to 1,000 files, or a checksum that is not 64 lowercase hex digits'),
            ...imageErrors,
          },
        },
      },
      '/api/v1/images/{imageId}/complete': {
        post: {
          operationId: 'completeDirectUpload',
          summary: 'Finish a direct upload: check what arrived and start processing',
          ...secured,
          parameters: [imageIdParameter],
          responses: {
            200: json(
              'The bytes were ones the user already has: that image, its status and duplicate_of; nothing started',
            ),
            202: json('status URL'),
            409: problem('Nothing uploaded yet'),
            413: problem('Too large'),
            415: problem('Not an image, or not the type announced'),
            422: problem('Out of bounds'),
            ...notFound,
            ...imageErrors,
          },
        },
      },
      '/api/v1/images/{imageId}': {
        get: {
          operationId: 'getImage',
          summary: 'An image: metadata, status, thumbnails, description, URLs',
          ...secured,
          parameters: [imageIdParameter],
          responses: {
            200: {
              ...json('The image'),
              links: imageLinks('$request.path.imageId', Math.min(...config.images.thumbnailSizes)),
            },
            ...notFound,
            ...imageErrors,
          },
        },
        delete: {
          operationId: 'deleteImage',
          summary: 'Delete an image: soft (restorable) by default, hard=true removes everything now',
          ...secured,
          parameters: [imageIdParameter, ...queryParameters(hardQuerySchema)],
          responses: {
            200: {
              ...json('deleted: soft (with restorable_until) or hard'),
              links: {
                restoreImage: { operationId: 'restoreImage', parameters: { imageId: '$request.path.imageId' } },
              },
            },
            ...notFound,
            ...imageErrors,
          },
        },
      },
      '/api/v1/images/{imageId}/status': {
        get: {
          operationId: 'getImageStatus',
          summary: 'Processing status, current step and per-step timings',
          ...secured,
          parameters: [imageIdParameter],
          responses: { 200: json('Status'), ...notFound, ...imageErrors },
        },
      },
      '/api/v1/images/{imageId}/download': {
        get: {
          operationId: 'getImageDownload',
          summary: 'A time-limited download URL of the original',
          ...secured,
          parameters: [imageIdParameter],
          responses: { 200: json('download_url, expires_at'), ...notFound, ...imageErrors },
        },
      },
      '/api/v1/images/{imageId}/restore': {
        post: {
          operationId: 'restoreImage',
          summary: 'Undo a soft delete',
          ...secured,
          parameters: [imageIdParameter],
          responses: { 200: json('Restored'), 409: problem('Not deleted'), ...notFound, ...imageErrors },
        },
      },
      '/api/v1/images/{imageId}/original': {
        get: {
          operationId: 'getImageOriginal',
          summary: 'The original, streamed (ETag; 304 on If-None-Match)',
          ...secured,
          parameters: [imageIdParameter],
          responses: {
            200: { description: 'The image bytes' },
            304: { description: 'Not modified' },
            ...notFound,
            ...imageErrors,
          },
        },
      },
      '/api/v1/images/{imageId}/thumbnail': {
        get: {
          operationId: 'getImageThumbnail',
          summary: 'A thumbnail, streamed (ETag; 304 on If-None-Match)',
          ...secured,
          parameters: [imageIdParameter, ...queryParameters(thumbnailQuerySchema)],
          responses: {
            200: { description: 'The thumbnail bytes' },
            304: { description: 'Not modified' },
            400: problem('No size'),
            ...notFound,
            ...imageErrors,
          },
        },
      },
    }),
  };
}
