import { z } from 'zod';
import type { oas31 } from 'zod-openapi';
import type { Config } from '../../config';
import { bulkDeleteSchema, hardQuerySchema } from '../schemas/deleteRequests';
import { directUploadRequestSchema } from '../schemas/directUpload';
import { fileChecksSchema } from '../schemas/fileChecks';
import { imageFormFieldsSchema } from '../schemas/imageFields';
import {
  eventStreamQuerySchema,
  noQuerySchema,
  similarQuerySchema,
  statusQuerySchema,
  thumbnailQuerySchema,
} from '../schemas/smallQueries';
import { listQuerySchema } from '../schemas/listQuery';
import { searchQuerySchema } from '../schemas/searchQuery';
import { signUpRequestSchema } from '../schemas/signUpRequest';
import { tokenRequestSchema } from '../schemas/tokenRequest';
import { webhookIdParams, webhookRequestSchema } from '../schemas/webhookRequest';
import { defineOperation, type ProblemResponse } from './operation';
import {
  clustersSchema,
  completedUploadSchema,
  deliveriesSchema,
  deletedSchema,
  deleteResultsSchema,
  directUploadSchema,
  downloadSchema,
  fileChecksAnswerSchema,
  healthSchema,
  imagePageSchema,
  imageProgressSchema,
  imageSchema,
  meSchema,
  newAccountSchema,
  newWebhookSchema,
  readinessSchema,
  reclusterStartedSchema,
  reclusterStatusSchema,
  restoredSchema,
  rotatedSecretSchema,
  searchResultsSchema,
  sessionSchema,
  similarImagesSchema,
  uploadAnswerSchema,
  webhookSchema,
  webhooksSchema,
} from './responseSchemas';

const problem = (description: string): ProblemResponse => ({ description, problem: true });
const authErrors = { 401: problem('Missing, malformed, expired, revoked or foreign token') };
// Every image route is rate-limited per user.
const imageErrors = {
  ...authErrors,
  429: problem('Too many requests from this user: Retry-After says when to try again'),
};
const notFound = { 404: problem("No such image for this user (another user's image answers the same)") };

const webhookNotFound = { 404: problem("No such webhook for this user (another user's answers the same)") };

const imageIdParams = z.object({ imageId: z.uuid().meta({ description: 'The image, as its upload answered' }) });

/**
 * Where an image's id leads: what a client (or a fuzzer's stateful phase) can do next with it; a thumbnail in the
 * smallest configured size.
 */
function imageLinks(imageId: string, thumbnailSize: number): Record<string, oas31.LinkObject> {
  return {
    ...Object.fromEntries(
      ['getImage', 'getImageStatus', 'getImageDownload', 'getSimilarImages', 'getImageOriginal', 'deleteImage'].map(
        (operationId) => [operationId, { operationId, parameters: { imageId } }],
      ),
    ),
    getImageThumbnail: { operationId: 'getImageThumbnail', parameters: { imageId, size: thumbnailSize } },
  };
}

/** The multipart form of an upload: its fields, and its files in `files` (or one in `file`). */
function uploadForm(config: Config): oas31.SchemaObject {
  // Its bytes must be a whole JPEG, PNG, GIF or WebP image within the limits: more than a schema can say (415 or
  // 422 otherwise, with the rule it broke). The smallest size is in the description only: as a minLength, fuzzers
  // (Schemathesis) spend their budget building long strings and give up on the operation.
  const imageFile: oas31.SchemaObject = {
    type: 'string',
    format: 'binary',
    contentMediaType: 'image/*',
    maxLength: config.uploads.maxBytes,
    description: `A JPEG, PNG, GIF or WebP image of ${config.uploads.minBytes}-${config.uploads.maxBytes} bytes, ${config.images.minDimension}-${config.images.maxDimension} px a side, at most ${config.images.maxPixels} pixels`,
  };
  const { $schema: _dialect, ...fields } = z.toJSONSchema(imageFormFieldsSchema, {
    io: 'input',
    target: 'draft-2020-12',
  }) as oas31.SchemaObject & { $schema?: string };
  return {
    ...fields,
    additionalProperties: false,
    // At least one image, in either field.
    anyOf: [{ required: ['files'] }, { required: ['file'] }],
    properties: {
      ...fields.properties,
      files: { type: 'array', items: imageFile, minItems: 1, maxItems: config.uploads.maxFiles },
      file: imageFile,
    },
  };
}

/**
 * The route table: every operation of the API, from which Express's registration (mountOperations) and the OpenAPI
 * document (openApiDocument) are both derived, so a path, a parameter or an answer is stated once.
 */
export function apiOperations(config: Config) {
  const smallestThumbnail = Math.min(...config.images.thumbnailSizes);
  return {
    health: defineOperation({
      method: 'get',
      path: '/healthz',
      summary: 'The process is up',
      secured: false,
      responses: { 200: { description: 'Up', json: healthSchema } },
    }),
    readiness: defineOperation({
      method: 'get',
      path: '/readyz',
      summary: 'Every dependency answers',
      secured: false,
      responses: {
        200: { description: 'Ready, per component', json: readinessSchema },
        503: problem('Not ready; components say which'),
      },
    }),
    signIn: defineOperation({
      method: 'post',
      path: '/api/v1/auth/token',
      summary:
        'Exchange email and password (grant_type password, the default) or a refresh token (grant_type refresh_token) for a Firebase ID token',
      secured: false,
      body: { form: tokenRequestSchema },
      responses: {
        200: { description: 'access_token, token_type "bearer", expires_in, refresh_token', json: sessionSchema },
        400: problem('Missing fields, or a grant_type other than password and refresh_token'),
        401: problem('Invalid email or password; a refresh token invalid, expired or revoked'),
        429: problem('Too many attempts'),
        503: problem('The attempts cannot be counted right now (their table is away)'),
      },
    }),
    signUp: defineOperation({
      method: 'post',
      path: '/api/v1/auth/signup',
      summary: 'Create an email and password account and sign it in',
      secured: false,
      body: { json: signUpRequestSchema, form: signUpRequestSchema },
      responses: {
        201: { description: 'The new account signed in: its session and user_id', json: newAccountSchema },
        400: problem('Not an email address, no password, or a password too weak'),
        409: problem('An account with this email address exists already'),
        429: problem('Too many attempts'),
        503: problem('The attempts cannot be counted right now (their table is away)'),
      },
    }),
    getMe: defineOperation({
      method: 'get',
      path: '/api/v1/auth/me',
      summary: 'The signed-in user',
      secured: true,
      responses: { 200: { description: 'user_id, email', json: meSchema }, ...authErrors },
    }),
    uploadImages: defineOperation({
      method: 'post',
      path: '/api/v1/images',
      summary: 'Upload one or more images (multipart, streamed to storage)',
      secured: true,
      body: { multipart: uploadForm(config) },
      responses: {
        200: {
          description:
            'Every file was one the user already has: per file that image, its status and duplicate_of (DUPLICATES=link)',
          json: uploadAnswerSchema,
        },
        202: {
          description:
            'Accepted: per image its id and status URL (with duplicate_of for files already held); refused files listed one by one',
          json: uploadAnswerSchema,
          links: imageLinks('$response.body#/images/0/image_id', smallestThumbnail),
        },
        400: problem('No file, malformed multipart, unexpected file field'),
        411: problem('A chunked request where UPLOAD_MAX_REQUEST_BYTES is set'),
        413: problem(
          'A file over the size limit, too many files, or a request over UPLOAD_MAX_REQUEST_BYTES (rule max_request_bytes, with direct_upload_url)',
        ),
        415: problem('Not multipart, or not a JPEG, PNG, GIF or WebP image'),
        422: problem('Dimensions, pixel count, size or fields out of bounds'),
        ...imageErrors,
      },
    }),
    listImages: defineOperation({
      method: 'get',
      path: '/api/v1/images',
      summary: 'List your images, newest first, with cursor pagination and filters',
      secured: true,
      query: listQuerySchema,
      responses: {
        200: { description: 'items and next_cursor', json: imagePageSchema },
        400: problem('Bad cursor, limit or filter; unknown parameters are refused'),
        ...imageErrors,
      },
    }),
    deleteImages: defineOperation({
      method: 'delete',
      path: '/api/v1/images',
      summary: 'Delete up to 100 images (soft unless hard is true), with a result per id',
      secured: true,
      body: { json: bulkDeleteSchema },
      responses: {
        200: {
          description: 'A result per id: 404 for ids that are not yours, which are not touched',
          json: deleteResultsSchema,
        },
        422: problem('Bad id list'),
        ...imageErrors,
      },
    }),
    startReclustering: defineOperation({
      method: 'post',
      path: '/api/v1/images/cluster',
      summary: 'Re-cluster your library now (or find the re-clustering already running)',
      secured: true,
      query: noQuerySchema,
      responses: {
        202: { description: 'workflow_id, status_url', json: reclusterStartedSchema },
        ...imageErrors,
      },
    }),
    getReclustering: defineOperation({
      method: 'get',
      path: '/api/v1/images/cluster/status',
      summary: 'Your latest re-clustering: running (with its step), completed (k, silhouette, clusters) or failed',
      secured: true,
      responses: {
        200: { description: 'Status', json: reclusterStatusSchema },
        404: problem('None has run yet'),
        ...imageErrors,
      },
    }),
    listClusters: defineOperation({
      method: 'get',
      path: '/api/v1/images/clusters',
      summary: 'Your clusters, largest first: name, size, cohesion, a few thumbnails',
      secured: true,
      query: noQuerySchema,
      responses: { 200: { description: 'clusters', json: clustersSchema }, ...imageErrors },
    }),
    streamImageEvents: defineOperation({
      method: 'get',
      path: '/api/v1/images/events',
      summary:
        'Server-Sent Events: image.completed and image.failed (data: the image) for your images, as their processing ends; open for `seconds`, then reconnect',
      secured: true,
      query: eventStreamQuerySchema,
      responses: {
        200: {
          description: 'text/event-stream: `id` the event id, `event` its type, `data` the image',
          eventStream: true,
        },
        ...imageErrors,
        501: problem(
          'This deployment does not offer the stream (IMAGE_EVENTS_MAX_SECONDS=0; by default in AWS Lambda)',
        ),
      },
    }),
    searchImages: defineOperation({
      method: 'get',
      path: '/api/v1/images/search',
      summary:
        'Search your images by words (title, tags, file name, description, AI description, labels; or of one of these fields) and, with a provider that embeds text, by meaning; best first, with cursor pagination (500 results at most)',
      secured: true,
      query: searchQuerySchema,
      responses: {
        200: {
          description: 'items (the image, its smallest thumbnail_url, score, matched), next_cursor and next',
          json: searchResultsSchema,
        },
        400: problem(
          'No q, q blank, over 200 characters or without a word to search for; a field that is not searched; bad limit; a cursor that is not one of this search',
        ),
        ...imageErrors,
      },
    }),
    getSimilarImages: defineOperation({
      method: 'get',
      path: '/api/v1/images/{imageId}/similar',
      summary: 'The images nearest to this one by embedding (cosine similarity)',
      secured: true,
      params: imageIdParams,
      query: similarQuerySchema,
      responses: {
        200: { description: 'similar: image_id, similarity, thumbnail_url, ai_description', json: similarImagesSchema },
        400: problem('Bad limit'),
        409: problem('Not processed yet'),
        ...notFound,
        ...imageErrors,
      },
    }),
    startDirectUpload: defineOperation({
      method: 'post',
      path: '/api/v1/images/uploads',
      summary: 'Start a direct upload: a presigned PUT scoped to one key, type and length',
      secured: true,
      body: { json: directUploadRequestSchema(config) },
      responses: {
        201: {
          description: 'image_id, upload {method, url, headers}, expires_at, complete_url',
          json: directUploadSchema,
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
    }),
    checkFiles: defineOperation({
      method: 'post',
      path: '/api/v1/images/checks',
      summary: 'Which of these files (SHA-256 and size) you already have, so you upload only the others',
      secured: true,
      body: { json: fileChecksSchema },
      responses: {
        200: {
          description: 'results, in the order asked: exists, and the image_id, status and image_url of an existing one',
          json: fileChecksAnswerSchema,
        },
        422: problem('Not 1 to 1,000 files, or a checksum that is not 64 lowercase hex digits'),
        ...imageErrors,
      },
    }),
    completeDirectUpload: defineOperation({
      method: 'post',
      path: '/api/v1/images/{imageId}/complete',
      summary: 'Finish a direct upload: check what arrived and start processing',
      secured: true,
      params: imageIdParams,
      responses: {
        200: {
          description:
            'Nothing started: the bytes were ones the user already has (that image, with duplicate_of), or the image is completed or failed already (its status)',
          json: completedUploadSchema,
        },
        202: { description: 'Being processed: its status URL', json: completedUploadSchema },
        409: problem('Nothing uploaded yet'),
        413: problem('Too large'),
        415: problem('Not an image, or not the type announced'),
        422: problem('Out of bounds'),
        ...notFound,
        ...imageErrors,
      },
    }),
    getImage: defineOperation({
      method: 'get',
      path: '/api/v1/images/{imageId}',
      summary: 'An image: metadata, status, thumbnails, description, URLs',
      secured: true,
      params: imageIdParams,
      responses: {
        200: {
          description: 'The image',
          json: imageSchema,
          links: imageLinks('$request.path.imageId', smallestThumbnail),
        },
        ...notFound,
        ...imageErrors,
      },
    }),
    deleteImage: defineOperation({
      method: 'delete',
      path: '/api/v1/images/{imageId}',
      summary: 'Delete an image: soft (restorable) by default, hard=true removes everything now',
      secured: true,
      params: imageIdParams,
      query: hardQuerySchema,
      responses: {
        200: {
          description: 'deleted: soft (with restorable_until) or hard',
          json: deletedSchema,
          links: { restoreImage: { operationId: 'restoreImage', parameters: { imageId: '$request.path.imageId' } } },
        },
        ...notFound,
        ...imageErrors,
      },
    }),
    getImageStatus: defineOperation({
      method: 'get',
      path: '/api/v1/images/{imageId}/status',
      summary:
        'Processing status, current step and per-step timings; with wait=N (seconds), answered once processing ends or the wait does',
      secured: true,
      params: imageIdParams,
      query: statusQuerySchema,
      responses: { 200: { description: 'Status', json: imageProgressSchema }, ...notFound, ...imageErrors },
    }),
    getImageDownload: defineOperation({
      method: 'get',
      path: '/api/v1/images/{imageId}/download',
      summary: 'A time-limited download URL of the original',
      secured: true,
      params: imageIdParams,
      responses: {
        200: { description: 'download_url, expires_at', json: downloadSchema },
        ...notFound,
        ...imageErrors,
      },
    }),
    restoreImage: defineOperation({
      method: 'post',
      path: '/api/v1/images/{imageId}/restore',
      summary: 'Undo a soft delete',
      secured: true,
      params: imageIdParams,
      responses: {
        200: { description: 'Restored', json: restoredSchema },
        409: problem('Not deleted'),
        ...notFound,
        ...imageErrors,
      },
    }),
    getImageOriginal: defineOperation({
      method: 'get',
      path: '/api/v1/images/{imageId}/original',
      summary: 'The original, streamed (ETag; 304 on If-None-Match)',
      secured: true,
      params: imageIdParams,
      responses: {
        200: { description: 'The image bytes', bytes: true },
        304: { description: 'Not modified' },
        ...notFound,
        ...imageErrors,
      },
    }),
    getImageThumbnail: defineOperation({
      method: 'get',
      path: '/api/v1/images/{imageId}/thumbnail',
      summary: 'A thumbnail, streamed (ETag; 304 on If-None-Match)',
      secured: true,
      params: imageIdParams,
      query: thumbnailQuerySchema,
      responses: {
        200: { description: 'The thumbnail bytes', bytes: true },
        304: { description: 'Not modified' },
        400: problem('No size'),
        ...notFound,
        ...imageErrors,
      },
    }),
    createWebhook: defineOperation({
      method: 'post',
      path: '/api/v1/webhooks',
      summary: `Register a webhook endpoint (at most ${config.webhooks.maxEndpoints}): its signing secret is shown this once`,
      secured: true,
      body: { json: webhookRequestSchema },
      responses: {
        201: {
          description: 'The endpoint, with its secret',
          json: newWebhookSchema,
          links: Object.fromEntries(
            ['getWebhook', 'deleteWebhook', 'rotateWebhookSecret', 'listWebhookDeliveries'].map((operationId) => [
              operationId,
              { operationId, parameters: { webhookId: '$response.body#/webhook_id' } },
            ]),
          ),
        },
        400: problem('Not an https URL, or one that leads to a private, loopback, link-local or metadata address'),
        409: problem('The user has as many endpoints as allowed'),
        422: problem('Fields out of bounds: no event, an unknown event, a URL or description too long'),
        ...imageErrors,
      },
    }),
    listWebhooks: defineOperation({
      method: 'get',
      path: '/api/v1/webhooks',
      summary: 'Your webhook endpoints, oldest first',
      secured: true,
      query: noQuerySchema,
      responses: { 200: { description: 'webhooks', json: webhooksSchema }, ...imageErrors },
    }),
    getWebhook: defineOperation({
      method: 'get',
      path: '/api/v1/webhooks/{webhookId}',
      summary: 'One webhook endpoint (enabled, or disabled and why)',
      secured: true,
      params: webhookIdParams,
      responses: { 200: { description: 'The endpoint', json: webhookSchema }, ...webhookNotFound, ...imageErrors },
    }),
    deleteWebhook: defineOperation({
      method: 'delete',
      path: '/api/v1/webhooks/{webhookId}',
      summary: 'Remove a webhook endpoint: nothing more is sent to it',
      secured: true,
      params: webhookIdParams,
      responses: { 204: { description: 'Removed' }, ...webhookNotFound, ...imageErrors },
    }),
    rotateWebhookSecret: defineOperation({
      method: 'post',
      path: '/api/v1/webhooks/{webhookId}/rotate',
      summary: 'A new signing secret (shown once); the previous one keeps signing beside it for 24 hours',
      secured: true,
      params: webhookIdParams,
      responses: {
        200: { description: 'The new secret', json: rotatedSecretSchema },
        409: problem('Changed meanwhile (another rotation): read it again'),
        ...webhookNotFound,
        ...imageErrors,
      },
    }),
    listWebhookDeliveries: defineOperation({
      method: 'get',
      path: '/api/v1/webhooks/{webhookId}/deliveries',
      summary: "The endpoint's latest 50 delivery attempts, newest first (kept a week)",
      secured: true,
      params: webhookIdParams,
      responses: { 200: { description: 'deliveries', json: deliveriesSchema }, ...webhookNotFound, ...imageErrors },
    }),
  };
}

export type ApiOperations = ReturnType<typeof apiOperations>;
export type OperationId = keyof ApiOperations;
