import { z } from 'zod';
import 'zod-openapi';
import { PIPELINE_STEPS, WEBHOOK_EVENT_TYPES } from '../../contracts';
import { SEARCH_FIELDS } from '../../storage/imageSearchTerms';

/**
 * Every JSON body the API answers with, as zod schemas: the OpenAPI document states them (a schema with an `id` is a
 * named component there), the routes' answers are typed by them (see `reply` in mountOperations), and the clients'
 * types are generated from the document. Optional fields are left out of the JSON when a value is absent.
 */

const uuid = z.uuid();
const url = z.string().meta({ description: 'An absolute URL' });
const timestamp = z.iso.datetime().meta({ description: 'An ISO 8601 time in UTC' });
const count = z.int().min(0);

/** RFC 9457: every error of the API, with the extensions it uses. */
export const problemSchema = z
  .looseObject({
    type: z.string().meta({ description: 'A URI naming the kind of problem; about:blank when the status says it all' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    file: z.string().optional().meta({ description: 'The uploaded file a problem is about' }),
    rule: z.string().optional().meta({
      description:
        'The limit it broke: format, corrupt, min_bytes, max_bytes, min_dimension, max_dimension, max_pixels, max_files...',
    }),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const imageStatusSchema = z
  .enum(['awaiting_upload', 'processing', 'completed', 'failed'])
  .meta({ id: 'ImageStatus' });
export type ImageStatus = z.infer<typeof imageStatusSchema>;

/** The OAuth2 token answer: the access token is a Firebase ID token, the refresh token renews it. */
export const sessionSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.int().meta({ description: 'Seconds the access token is valid' }),
    refresh_token: z.string().meta({ description: 'Exchanged for a new access token with grant_type refresh_token' }),
  })
  .meta({ id: 'Session' });

export const newAccountSchema = sessionSchema.extend({ user_id: z.string() }).meta({ id: 'NewAccount' });

export const meSchema = z.object({ user_id: z.string(), email: z.string().optional(), email_verified: z.boolean() });

export const healthSchema = z.object({ status: z.literal('ok') });

export const readinessSchema = z.object({
  status: z.literal('ready'),
  components: z.record(z.string(), z.object({ status: z.enum(['up', 'down']), latency_ms: count })),
});

const thumbnailSchema = z.object({
  size: z.int(),
  width: z.int(),
  height: z.int(),
  bytes: count,
  content_type: z.string(),
  url,
});

/** An image as its owner sees it: its metadata, what processing made of it, and where to find the rest. */
export const imageSchema = z
  .object({
    image_id: uuid,
    status: imageStatusSchema,
    created_at: timestamp,
    updated_at: timestamp,
    completed_at: timestamp.optional(),
    filename: z.string(),
    content_type: z.string(),
    bytes: count,
    sha256: z.string().meta({ description: "Empty until a direct upload's bytes have been checked" }),
    width: count,
    height: count,
    title: z.string().optional(),
    description: z.string().optional(),
    tags: z.array(z.string()),
    category: z.string().optional(),
    visibility: z.enum(['private', 'public']),
    thumbnails: z.array(thumbnailSchema),
    dominant_color: z.string().optional(),
    placeholder: z.string().optional().meta({ description: 'A tiny inline image to show while the thumbnail loads' }),
    ai_description: z.string().optional(),
    labels: z
      .array(z.object({ name: z.string(), probability: z.number().min(0).max(1) }))
      .optional()
      .meta({
        description:
          'What the AI provider recognised in the image (ImageNet classes), most probable first; only from providers that name classes (vision)',
      }),
    objects: z
      .array(
        z.object({
          name: z.string(),
          count: z.number().int().min(1),
          score: z.number().min(0).max(1).meta({ description: "The detector's score for the surest one" }),
        }),
      )
      .optional()
      .meta({
        description:
          'The kinds of object the AI provider found in the image (COCO classes) and how many of each, surest first; only from providers that detect objects (vision)',
      }),
    cluster_id: z.string().optional(),
    near_duplicates: z
      .array(z.object({ image_id: uuid, similarity: z.number(), url }))
      .optional()
      .meta({ description: "The owner's earlier images this one nearly duplicates, as found when it was processed" }),
    failure_reason: z.string().optional(),
    duplicate_of: uuid.optional().meta({ description: "A direct upload still open whose bytes are this image's" }),
    urls: z.object({ self: url, status: url, original: url, download: url }),
  })
  .meta({ id: 'Image' });

/** What a preview of an image needs: its smallest thumbnail and its description. */
export const imagePreviewSchema = z
  .object({ image_id: uuid, thumbnail_url: url.optional(), ai_description: z.string().optional() })
  .meta({ id: 'ImagePreview' });

export const imagePageSchema = z.object({
  items: z.array(imageSchema),
  next_cursor: z.string().nullable().meta({ description: 'The cursor of the next page; null on the last' }),
});

const stepSchema = z.enum(PIPELINE_STEPS);

export const imageProgressSchema = z
  .object({
    image_id: uuid,
    status: imageStatusSchema,
    failure_reason: z.string().optional(),
    current_step: stepSchema.optional().meta({ description: 'While processing: the step the run is in' }),
    steps: z
      .array(
        z.object({
          name: stepSchema,
          status: z.enum(['pending', 'running', 'completed', 'failed']),
          started_at: timestamp.optional(),
          duration_ms: count.optional(),
        }),
      )
      .optional()
      .meta({
        description:
          'Each step of the run with its timing: asked of the run while processing, read from the image once it has ended. ' +
          'For a completed image the cluster step, which runs after it is complete, has no timing. ' +
          'Absent when the run cannot be asked in time, or has not begun',
      }),
    cluster: z
      .object({ cluster_id: z.string().optional(), similarity: z.number().optional(), reason: z.string().optional() })
      .optional()
      .meta({
        description:
          "The cluster the image is in (a completed image's as it is now: re-clustering may have moved it), or why it is in none",
      }),
    near_duplicates: z.object({ count, reason: z.string().optional() }).optional().meta({
      description: "How many of the owner's earlier images this one nearly duplicates, or why none were looked for",
    }),
    workflow_id: z.string(),
    run_url: url.optional().meta({ description: 'The run in the Temporal Web UI, for operators' }),
    updated_at: timestamp,
  })
  .meta({ id: 'ImageProgress' });

export const downloadSchema = z.object({ download_url: url, expires_at: timestamp });

/** One image of an upload: a new one being processed, or the one that already holds its bytes. */
const uploadedImageSchema = z.object({
  image_id: uuid,
  filename: z.string(),
  status: imageStatusSchema,
  status_url: url,
  image_url: url,
  duplicate_of: uuid.optional().meta({ description: 'Bytes its owner already has: this image holds them' }),
});

export const uploadAnswerSchema = z
  .object({ images: z.array(uploadedImageSchema), rejected: z.array(problemSchema) })
  .meta({ id: 'UploadAnswer' });

export const directUploadSchema = z.object({
  image_id: uuid,
  upload: z.object({
    method: z.literal('PUT'),
    url,
    headers: z.record(z.string(), z.string()).meta({ description: 'Signed into the URL: send each of them' }),
  }),
  expires_at: timestamp,
  complete_url: url,
});

export const completedUploadSchema = uploadedImageSchema.omit({ filename: true }).meta({ id: 'CompletedUpload' });

export const fileChecksAnswerSchema = z.object({
  results: z.array(
    z.object({
      sha256: z.string(),
      size: count,
      exists: z.boolean(),
      image_id: uuid.optional(),
      status: z.enum(['processing', 'completed']).optional(),
      image_url: url.optional(),
    }),
  ),
});

const softDeletedSchema = z.object({
  image_id: uuid,
  deleted: z.literal('soft'),
  restorable_until: timestamp,
});
const hardDeletedSchema = z.object({ image_id: uuid, deleted: z.literal('hard') });

export const deletedSchema = z.union([softDeletedSchema, hardDeletedSchema]).meta({ id: 'Deleted' });

export const deleteResultsSchema = z.object({
  results: z.array(
    z.union([
      softDeletedSchema.extend({ status: z.literal(200) }),
      hardDeletedSchema.extend({ status: z.literal(200) }),
      z.object({ image_id: uuid, status: z.literal(404) }),
    ]),
  ),
});

export const restoredSchema = z.object({ image_id: uuid, restored: z.literal(true) });

export const similarImagesSchema = z.object({
  image_id: uuid,
  similar: z.array(imagePreviewSchema.extend({ similarity: z.number() })),
});

export const clustersSchema = z.object({
  clusters: z.array(
    z.object({
      cluster_id: z.string(),
      name: z.string(),
      size: count,
      cohesion: z.object({ mean_similarity: z.number(), min_similarity: z.number() }),
      created_at: timestamp,
      samples: z.array(imagePreviewSchema),
      images_url: url,
    }),
  ),
});

export const reclusterStartedSchema = z.object({
  workflow_id: z.string(),
  status: z.literal('running'),
  status_url: url,
});

const clusteringSummarySchema = z.object({
  images: count,
  skipped: count,
  k: count,
  silhouette: z.number().optional(),
  clusters: z.array(z.object({ cluster_id: z.string(), size: count, name: z.string().optional() })),
  reason: z.string().optional(),
  reembedded: count.optional(),
});

export const reclusterStatusSchema = z.object({
  workflow_id: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  step: z.enum(['reembed', 'compute', 'name', 'apply', 'done']).optional(),
  result: clusteringSummarySchema.optional(),
});

/** One image a search found: the image as its view shows it, and how it was found. */
export const searchResultSchema = imageSchema
  .extend({
    thumbnail_url: url.optional().meta({ description: "The smallest thumbnail's URL, as in an image's preview" }),
    score: z.number().meta({ description: 'Reciprocal Rank Fusion of the word and the semantic rankings' }),
    matched: z.object({
      terms: z.array(z.string()).meta({ description: 'The query words the image has' }),
      fields: z.array(z.enum(SEARCH_FIELDS)).meta({ description: 'The fields they are in (only `field`, when given)' }),
      semantic: z.boolean().meta({ description: 'Found by the embedding of the query too' }),
    }),
  })
  .meta({ id: 'SearchResult' });

export const searchResultsSchema = z.object({
  items: z.array(searchResultSchema),
  next_cursor: z.string().nullable().meta({ description: 'The cursor of the next page; null on the last' }),
  next: url.nullable().meta({ description: 'The URL of the next page; null on the last' }),
});

/** A webhook endpoint as its owner sees it (never its secrets). */
export const webhookSchema = z
  .object({
    webhook_id: uuid,
    url,
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    description: z.string().optional(),
    status: z.enum(['enabled', 'disabled']),
    disabled_reason: z.string().optional(),
    created_at: timestamp,
    updated_at: timestamp,
    secret_created_at: timestamp,
    previous_secret_expires_at: timestamp
      .optional()
      .meta({ description: 'Until then, each delivery is signed by the previous secret too' }),
  })
  .meta({ id: 'Webhook' });

const webhookSecret = z.string().meta({
  description: 'The signing secret (whsec_…), shown this once: verify deliveries with it (Standard Webhooks)',
});

export const newWebhookSchema = webhookSchema.extend({ secret: webhookSecret }).meta({ id: 'NewWebhook' });

export const webhooksSchema = z.object({ webhooks: z.array(webhookSchema) });

export const rotatedSecretSchema = z.object({
  webhook_id: uuid,
  secret: webhookSecret,
  previous_secret_expires_at: timestamp,
});

export const deliveriesSchema = z.object({
  deliveries: z.array(
    z
      .object({
        webhook_id: uuid,
        event_id: z.string(),
        event_type: z.enum(WEBHOOK_EVENT_TYPES),
        attempt: count.meta({ description: '1 for the first attempt; 0 for the entry that gives an event up' }),
        at: timestamp,
        outcome: z.enum(['delivered', 'failed', 'gone', 'abandoned']),
        status_code: z.int().optional(),
        error: z.string().optional(),
        latency_ms: count.optional(),
      })
      .meta({ id: 'Delivery' }),
  ),
});
