// Generated from openapi.json by `npm run api:generate` (openapi-typescript): do not edit.

export interface paths {
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The process is up */
    get: operations['health'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every dependency answers */
    get: operations['readiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Exchange email and password (grant_type password, the default) or a refresh token (grant_type refresh_token) for a Firebase ID token */
    post: operations['signIn'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/signup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create an email and password account and sign it in */
    post: operations['signUp'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user */
    get: operations['getMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List your images, newest first, with cursor pagination and filters */
    get: operations['listImages'];
    put?: never;
    /** Upload one or more images (multipart, streamed to storage) */
    post: operations['uploadImages'];
    /** Delete up to 100 images (soft unless hard is true), with a result per id */
    delete: operations['deleteImages'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/cluster': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Re-cluster your library now (or find the re-clustering already running) */
    post: operations['startReclustering'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/cluster/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your latest re-clustering: running (with its step), completed (k, silhouette, clusters) or failed */
    get: operations['getReclustering'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/clusters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your clusters, largest first: name, size, cohesion, a few thumbnails */
    get: operations['listClusters'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Server-Sent Events: image.completed and image.failed (data: the image) for your images, as their processing ends; open for `seconds`, then reconnect */
    get: operations['streamImageEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/search': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Search your images by words (title, tags, file name, description, AI description, labels; or of one of these fields) and, with a provider that embeds text, by meaning; best first, with cursor pagination (500 results at most) */
    get: operations['searchImages'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{imageId}/similar': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The images nearest to this one by embedding (cosine similarity) */
    get: operations['getSimilarImages'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start a direct upload: a presigned PUT scoped to one key, type and length */
    post: operations['startDirectUpload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/checks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Which of these files (SHA-256 and size) you already have, so you upload only the others */
    post: operations['checkFiles'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{imageId}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Finish a direct upload: check what arrived and start processing */
    post: operations['completeDirectUpload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{imageId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An image: metadata, status, thumbnails, description, URLs */
    get: operations['getImage'];
    put?: never;
    post?: never;
    /** Delete an image: soft (restorable) by default, hard=true removes everything now */
    delete: operations['deleteImage'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{imageId}/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Processing status, current step and per-step timings; with wait=N (seconds), answered once processing ends or the wait does */
    get: operations['getImageStatus'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{imageId}/download': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A time-limited download URL of the original */
    get: operations['getImageDownload'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{imageId}/restore': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Undo a soft delete */
    post: operations['restoreImage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{imageId}/original': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The original, streamed (ETag; 304 on If-None-Match) */
    get: operations['getImageOriginal'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{imageId}/thumbnail': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A thumbnail, streamed (ETag; 304 on If-None-Match) */
    get: operations['getImageThumbnail'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your webhook endpoints, oldest first */
    get: operations['listWebhooks'];
    put?: never;
    /** Register a webhook endpoint (at most 5): its signing secret is shown this once */
    post: operations['createWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{webhookId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One webhook endpoint (enabled, or disabled and why) */
    get: operations['getWebhook'];
    put?: never;
    post?: never;
    /** Remove a webhook endpoint: nothing more is sent to it */
    delete: operations['deleteWebhook'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{webhookId}/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new signing secret (shown once); the previous one keeps signing beside it for 24 hours */
    post: operations['rotateWebhookSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{webhookId}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The endpoint's latest 50 delivery attempts, newest first (kept a week) */
    get: operations['listWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Problem: {
      /** @description A URI naming the kind of problem; about:blank when the status says it all */
      type: string;
      title: string;
      status: number;
      detail?: string;
      instance?: string;
      /** @description The uploaded file a problem is about */
      file?: string;
      /** @description The limit it broke: format, corrupt, min_bytes, max_bytes, min_dimension, max_dimension, max_pixels, max_files... */
      rule?: string;
      errors?: {
        field: string;
        message: string;
      }[];
    } & {
      [key: string]: unknown;
    };
    Session: {
      access_token: string;
      /** @constant */
      token_type: 'bearer';
      /** @description Seconds the access token is valid */
      expires_in: number;
      /** @description Exchanged for a new access token with grant_type refresh_token */
      refresh_token: string;
    };
    NewAccount: {
      access_token: string;
      /** @constant */
      token_type: 'bearer';
      /** @description Seconds the access token is valid */
      expires_in: number;
      /** @description Exchanged for a new access token with grant_type refresh_token */
      refresh_token: string;
      user_id: string;
    };
    UploadAnswer: {
      images: {
        /** Format: uuid */
        image_id: string;
        filename: string;
        status: components['schemas']['ImageStatus'];
        /** @description An absolute URL */
        status_url: string;
        /** @description An absolute URL */
        image_url: string;
        /**
         * Format: uuid
         * @description Bytes its owner already has: this image holds them
         */
        duplicate_of?: string;
      }[];
      rejected: components['schemas']['Problem'][];
    };
    /** @enum {string} */
    ImageStatus: 'awaiting_upload' | 'processing' | 'completed' | 'failed';
    Image: {
      /** Format: uuid */
      image_id: string;
      status: components['schemas']['ImageStatus'];
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      created_at: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      updated_at: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      completed_at?: string;
      filename: string;
      content_type: string;
      bytes: number;
      /** @description Empty until a direct upload's bytes have been checked */
      sha256: string;
      width: number;
      height: number;
      title?: string;
      description?: string;
      tags: string[];
      category?: string;
      /** @enum {string} */
      visibility: 'private' | 'public';
      thumbnails: {
        size: number;
        width: number;
        height: number;
        bytes: number;
        content_type: string;
        /** @description An absolute URL */
        url: string;
      }[];
      dominant_color?: string;
      /** @description A tiny inline image to show while the thumbnail loads */
      placeholder?: string;
      ai_description?: string;
      /** @description What the AI provider recognised in the image (ImageNet classes), most probable first; only from providers that name classes (vision) */
      labels?: {
        name: string;
        probability: number;
      }[];
      /** @description The kinds of object the AI provider found in the image (COCO classes) and how many of each, surest first; only from providers that detect objects (vision) */
      objects?: {
        name: string;
        count: number;
        /** @description The detector's score for the surest one */
        score: number;
      }[];
      cluster_id?: string;
      /** @description The owner's earlier images this one nearly duplicates, as found when it was processed */
      near_duplicates?: {
        /** Format: uuid */
        image_id: string;
        similarity: number;
        /** @description An absolute URL */
        url: string;
      }[];
      failure_reason?: string;
      /**
       * Format: uuid
       * @description A direct upload still open whose bytes are this image's
       */
      duplicate_of?: string;
      urls: {
        /** @description An absolute URL */
        self: string;
        /** @description An absolute URL */
        status: string;
        /** @description An absolute URL */
        original: string;
        /** @description An absolute URL */
        download: string;
      };
    };
    ImagePreview: {
      /** Format: uuid */
      image_id: string;
      /** @description An absolute URL */
      thumbnail_url?: string;
      ai_description?: string;
    };
    SearchResult: {
      /** Format: uuid */
      image_id: string;
      status: components['schemas']['ImageStatus'];
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      created_at: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      updated_at: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      completed_at?: string;
      filename: string;
      content_type: string;
      bytes: number;
      /** @description Empty until a direct upload's bytes have been checked */
      sha256: string;
      width: number;
      height: number;
      title?: string;
      description?: string;
      tags: string[];
      category?: string;
      /** @enum {string} */
      visibility: 'private' | 'public';
      thumbnails: {
        size: number;
        width: number;
        height: number;
        bytes: number;
        content_type: string;
        /** @description An absolute URL */
        url: string;
      }[];
      dominant_color?: string;
      /** @description A tiny inline image to show while the thumbnail loads */
      placeholder?: string;
      ai_description?: string;
      /** @description What the AI provider recognised in the image (ImageNet classes), most probable first; only from providers that name classes (vision) */
      labels?: {
        name: string;
        probability: number;
      }[];
      /** @description The kinds of object the AI provider found in the image (COCO classes) and how many of each, surest first; only from providers that detect objects (vision) */
      objects?: {
        name: string;
        count: number;
        /** @description The detector's score for the surest one */
        score: number;
      }[];
      cluster_id?: string;
      /** @description The owner's earlier images this one nearly duplicates, as found when it was processed */
      near_duplicates?: {
        /** Format: uuid */
        image_id: string;
        similarity: number;
        /** @description An absolute URL */
        url: string;
      }[];
      failure_reason?: string;
      /**
       * Format: uuid
       * @description A direct upload still open whose bytes are this image's
       */
      duplicate_of?: string;
      urls: {
        /** @description An absolute URL */
        self: string;
        /** @description An absolute URL */
        status: string;
        /** @description An absolute URL */
        original: string;
        /** @description An absolute URL */
        download: string;
      };
      /** @description The smallest thumbnail's URL, as in an image's preview */
      thumbnail_url?: string;
      /** @description Reciprocal Rank Fusion of the word and the semantic rankings */
      score: number;
      matched: {
        /** @description The query words the image has */
        terms: string[];
        /** @description The fields they are in (only `field`, when given) */
        fields: ('title' | 'tags' | 'filename' | 'description' | 'ai_description' | 'labels' | 'objects')[];
        /** @description Found by the embedding of the query too */
        semantic: boolean;
      };
    };
    CompletedUpload: {
      /** Format: uuid */
      image_id: string;
      status: components['schemas']['ImageStatus'];
      /** @description An absolute URL */
      status_url: string;
      /** @description An absolute URL */
      image_url: string;
      /**
       * Format: uuid
       * @description Bytes its owner already has: this image holds them
       */
      duplicate_of?: string;
    };
    Deleted:
      | {
          /** Format: uuid */
          image_id: string;
          /** @constant */
          deleted: 'soft';
          /**
           * Format: date-time
           * @description An ISO 8601 time in UTC
           */
          restorable_until: string;
        }
      | {
          /** Format: uuid */
          image_id: string;
          /** @constant */
          deleted: 'hard';
        };
    ImageProgress: {
      /** Format: uuid */
      image_id: string;
      status: components['schemas']['ImageStatus'];
      failure_reason?: string;
      /**
       * @description While processing: the step the run is in
       * @enum {string}
       */
      current_step?: 'validate' | 'thumbnails' | 'description' | 'embedding' | 'metadata' | 'cluster' | 'duplicates';
      /** @description Each step of the run with its timing: asked of the run while processing, read from the image once it has ended. For a completed image the cluster step, which runs after it is complete, has no timing. Absent when the run cannot be asked in time, or has not begun */
      steps?: {
        /** @enum {string} */
        name: 'validate' | 'thumbnails' | 'description' | 'embedding' | 'metadata' | 'cluster' | 'duplicates';
        /** @enum {string} */
        status: 'pending' | 'running' | 'completed' | 'failed';
        /**
         * Format: date-time
         * @description An ISO 8601 time in UTC
         */
        started_at?: string;
        duration_ms?: number;
      }[];
      /** @description The cluster the image is in (a completed image's as it is now: re-clustering may have moved it), or why it is in none */
      cluster?: {
        cluster_id?: string;
        similarity?: number;
        reason?: string;
      };
      /** @description How many of the owner's earlier images this one nearly duplicates, or why none were looked for */
      near_duplicates?: {
        count: number;
        reason?: string;
      };
      workflow_id: string;
      /** @description The run in the Temporal Web UI, for operators */
      run_url?: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      updated_at: string;
    };
    NewWebhook: {
      /** Format: uuid */
      webhook_id: string;
      /** @description An absolute URL */
      url: string;
      events: ('image.completed' | 'image.failed' | 'image.deleted' | 'image.restored' | 'library.reclustered')[];
      description?: string;
      /** @enum {string} */
      status: 'enabled' | 'disabled';
      disabled_reason?: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      created_at: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      updated_at: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      secret_created_at: string;
      /**
       * Format: date-time
       * @description Until then, each delivery is signed by the previous secret too
       */
      previous_secret_expires_at?: string;
      /** @description The signing secret (whsec_…), shown this once: verify deliveries with it (Standard Webhooks) */
      secret: string;
    };
    Webhook: {
      /** Format: uuid */
      webhook_id: string;
      /** @description An absolute URL */
      url: string;
      events: ('image.completed' | 'image.failed' | 'image.deleted' | 'image.restored' | 'library.reclustered')[];
      description?: string;
      /** @enum {string} */
      status: 'enabled' | 'disabled';
      disabled_reason?: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      created_at: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      updated_at: string;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      secret_created_at: string;
      /**
       * Format: date-time
       * @description Until then, each delivery is signed by the previous secret too
       */
      previous_secret_expires_at?: string;
    };
    Delivery: {
      /** Format: uuid */
      webhook_id: string;
      event_id: string;
      /** @enum {string} */
      event_type: 'image.completed' | 'image.failed' | 'image.deleted' | 'image.restored' | 'library.reclustered';
      /** @description 1 for the first attempt; 0 for the entry that gives an event up */
      attempt: number;
      /**
       * Format: date-time
       * @description An ISO 8601 time in UTC
       */
      at: string;
      /** @enum {string} */
      outcome: 'delivered' | 'failed' | 'gone' | 'abandoned';
      status_code?: number;
      error?: string;
      latency_ms?: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Up */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            status: 'ok';
          };
        };
      };
    };
  };
  readiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready, per component */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            status: 'ready';
            components: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'down';
                latency_ms: number;
              };
            };
          };
        };
      };
      /** @description Not ready; components say which */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  signIn: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/x-www-form-urlencoded':
          | {
              /** @constant */
              grant_type?: 'password';
              username: string;
              password: string;
              scope?: string;
              client_id?: string;
              client_secret?: string;
            }
          | {
              /** @constant */
              grant_type: 'refresh_token';
              refresh_token: string;
              scope?: string;
              client_id?: string;
              client_secret?: string;
            };
      };
    };
    responses: {
      /** @description access_token, token_type "bearer", expires_in, refresh_token */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      /** @description Missing fields, or a grant_type other than password and refresh_token */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Invalid email or password; a refresh token invalid, expired or revoked */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body larger than allowed */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many attempts */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The attempts cannot be counted right now (their table is away) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  signUp: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          password: string;
        };
        'application/x-www-form-urlencoded': {
          email: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description The new account signed in: its session and user_id */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NewAccount'];
        };
      };
      /** @description Not an email address, no password, or a password too weak */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description An account with this email address exists already */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body larger than allowed */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many attempts */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The attempts cannot be counted right now (their table is away) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description user_id, email */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            user_id: string;
            email?: string;
            email_verified: boolean;
          };
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listImages: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        tag?: string;
        category?: string;
        visibility?: 'private' | 'public';
        status?: 'processing' | 'completed' | 'failed';
        cluster?: string;
        near_duplicates?: 'true';
        from?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description items and next_cursor */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Image'][];
            /** @description The cursor of the next page; null on the last */
            next_cursor: string | null;
          };
        };
      };
      /** @description Bad cursor, limit or filter; unknown parameters are refused */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  uploadImages: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data':
          | {
              title?: string;
              description?: string;
              category?: string;
              /**
               * @default private
               * @enum {string}
               */
              visibility?: 'private' | 'public';
              tags?: string | string[];
              files?: string[];
              /**
               * Format: binary
               * @description A JPEG, PNG, GIF or WebP image of 1024-10485760 bytes, 50-4000 px a side, at most 16000000 pixels
               */
              file?: string;
            }
          | unknown
          | unknown;
      };
    };
    responses: {
      /** @description Every file was one the user already has: per file that image, its status and duplicate_of (DUPLICATES=link) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UploadAnswer'];
        };
      };
      /** @description Accepted: per image its id and status URL (with duplicate_of for files already held); refused files listed one by one */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UploadAnswer'];
        };
      };
      /** @description No file, malformed multipart, unexpected file field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A chunked request where UPLOAD_MAX_REQUEST_BYTES is set */
      411: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A file over the size limit, too many files, or a request over UPLOAD_MAX_REQUEST_BYTES (rule max_request_bytes, with direct_upload_url) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not multipart, or not a JPEG, PNG, GIF or WebP image */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Dimensions, pixel count, size or fields out of bounds */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteImages: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          image_ids: string[];
          /** @default false */
          hard?: boolean;
        };
      };
    };
    responses: {
      /** @description A result per id: 404 for ids that are not yours, which are not touched */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            results: (
              | {
                  /** Format: uuid */
                  image_id: string;
                  /** @constant */
                  deleted: 'soft';
                  /**
                   * Format: date-time
                   * @description An ISO 8601 time in UTC
                   */
                  restorable_until: string;
                  /** @constant */
                  status: 200;
                }
              | {
                  /** Format: uuid */
                  image_id: string;
                  /** @constant */
                  deleted: 'hard';
                  /** @constant */
                  status: 200;
                }
              | {
                  /** Format: uuid */
                  image_id: string;
                  /** @constant */
                  status: 404;
                }
            )[];
          };
        };
      };
      /** @description A body that does not parse */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body larger than allowed */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Bad id list */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  startReclustering: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description workflow_id, status_url */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            workflow_id: string;
            /** @constant */
            status: 'running';
            /** @description An absolute URL */
            status_url: string;
          };
        };
      };
      /** @description A query parameter out of bounds, or one this operation does not take */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getReclustering: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Status */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            workflow_id: string;
            /** @enum {string} */
            status: 'running' | 'completed' | 'failed';
            /** @enum {string} */
            step?: 'reembed' | 'compute' | 'name' | 'apply' | 'done';
            result?: {
              images: number;
              skipped: number;
              k: number;
              silhouette?: number;
              clusters: {
                cluster_id: string;
                size: number;
                name?: string;
              }[];
              reason?: string;
              reembedded?: number;
            };
          };
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description None has run yet */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listClusters: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description clusters */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            clusters: {
              cluster_id: string;
              name: string;
              size: number;
              cohesion: {
                mean_similarity: number;
                min_similarity: number;
              };
              /**
               * Format: date-time
               * @description An ISO 8601 time in UTC
               */
              created_at: string;
              samples: components['schemas']['ImagePreview'][];
              /** @description An absolute URL */
              images_url: string;
            }[];
          };
        };
      };
      /** @description A query parameter out of bounds, or one this operation does not take */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  streamImageEvents: {
    parameters: {
      query?: {
        seconds?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description text/event-stream: `id` the event id, `event` its type, `data` the image */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description A query parameter out of bounds, or one this operation does not take */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description This deployment does not offer the stream (IMAGE_EVENTS_MAX_SECONDS=0; by default in AWS Lambda) */
      501: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  searchImages: {
    parameters: {
      query: {
        q: string;
        /** @description Only this field's words count (labels: the images with a label of these words); the search by meaning is then not made */
        field?: 'title' | 'tags' | 'filename' | 'description' | 'ai_description' | 'labels' | 'objects';
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description items (the image, its smallest thumbnail_url, score, matched), next_cursor and next */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['SearchResult'][];
            /** @description The cursor of the next page; null on the last */
            next_cursor: string | null;
            /** @description The URL of the next page; null on the last */
            next: string | null;
          };
        };
      };
      /** @description No q, q blank, over 200 characters or without a word to search for; a field that is not searched; bad limit; a cursor that is not one of this search */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getSimilarImages: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description similar: image_id, similarity, thumbnail_url, ai_description */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            image_id: string;
            similar: {
              /** Format: uuid */
              image_id: string;
              /** @description An absolute URL */
              thumbnail_url?: string;
              ai_description?: string;
              similarity: number;
            }[];
          };
        };
      };
      /** @description Bad limit */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not processed yet */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  startDirectUpload: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          title?: string;
          description?: string;
          category?: string;
          /**
           * @default private
           * @enum {string}
           */
          visibility?: 'private' | 'public';
          tags?: string[];
          filename: string;
          /** @enum {string} */
          content_type: 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
          size: number;
        };
      };
    };
    responses: {
      /** @description image_id, upload {method, url, headers}, expires_at, complete_url */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            image_id: string;
            upload: {
              /** @constant */
              method: 'PUT';
              /** @description An absolute URL */
              url: string;
              /** @description Signed into the URL: send each of them */
              headers: {
                [key: string]: string;
              };
            };
            /**
             * Format: date-time
             * @description An ISO 8601 time in UTC
             */
            expires_at: string;
            /** @description An absolute URL */
            complete_url: string;
          };
        };
      };
      /** @description A body that does not parse */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body larger than allowed */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Fields out of bounds */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  checkFiles: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          files: {
            sha256: string;
            size: number;
          }[];
        };
      };
    };
    responses: {
      /** @description results, in the order asked: exists, and the image_id, status and image_url of an existing one */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            results: {
              sha256: string;
              size: number;
              exists: boolean;
              /** Format: uuid */
              image_id?: string;
              /** @enum {string} */
              status?: 'processing' | 'completed';
              /** @description An absolute URL */
              image_url?: string;
            }[];
          };
        };
      };
      /** @description A body that does not parse */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body larger than allowed */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not 1 to 1,000 files, or a checksum that is not 64 lowercase hex digits */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  completeDirectUpload: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Nothing started: the bytes were ones the user already has (that image, with duplicate_of), or the image is completed or failed already (its status) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CompletedUpload'];
        };
      };
      /** @description Being processed: its status URL */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CompletedUpload'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Nothing uploaded yet */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not an image, or not the type announced */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Out of bounds */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getImage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The image */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Image'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteImage: {
    parameters: {
      query?: {
        hard?: 'true' | 'false';
      };
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description deleted: soft (with restorable_until) or hard */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Deleted'];
        };
      };
      /** @description A query parameter out of bounds, or one this operation does not take */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getImageStatus: {
    parameters: {
      query?: {
        wait?: number;
      };
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Status */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageProgress'];
        };
      };
      /** @description A query parameter out of bounds, or one this operation does not take */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getImageDownload: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description download_url, expires_at */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description An absolute URL */
            download_url: string;
            /**
             * Format: date-time
             * @description An ISO 8601 time in UTC
             */
            expires_at: string;
          };
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  restoreImage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Restored */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            image_id: string;
            /** @constant */
            restored: true;
          };
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not deleted */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getImageOriginal: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The image bytes */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'image/*': string;
        };
      };
      /** @description Not modified */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getImageThumbnail: {
    parameters: {
      query: {
        size: number;
      };
      header?: never;
      path: {
        /** @description The image, as its upload answered */
        imageId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The thumbnail bytes */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'image/*': string;
        };
      };
      /** @description Not modified */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No size */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such image for this user (another user's image answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description webhooks */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            webhooks: components['schemas']['Webhook'][];
          };
        };
      };
      /** @description A query parameter out of bounds, or one this operation does not take */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description https, to a public host (plain http only to hosts the operator allows) */
          url: string;
          events: ('image.completed' | 'image.failed' | 'image.deleted' | 'image.restored' | 'library.reclustered')[];
          description?: string;
        };
      };
    };
    responses: {
      /** @description The endpoint, with its secret */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NewWebhook'];
        };
      };
      /** @description Not an https URL, or one that leads to a private, loopback, link-local or metadata address */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The user has as many endpoints as allowed */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body larger than allowed */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Fields out of bounds: no event, an unknown event, a URL or description too long */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook endpoint, as its registration answered */
        webhookId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoint */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Webhook'];
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such webhook for this user (another user's answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook endpoint, as its registration answered */
        webhookId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such webhook for this user (another user's answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  rotateWebhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook endpoint, as its registration answered */
        webhookId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The new secret */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            webhook_id: string;
            /** @description The signing secret (whsec_…), shown this once: verify deliveries with it (Standard Webhooks) */
            secret: string;
            /**
             * Format: date-time
             * @description An ISO 8601 time in UTC
             */
            previous_secret_expires_at: string;
          };
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such webhook for this user (another user's answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Changed meanwhile (another rotation): read it again */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook endpoint, as its registration answered */
        webhookId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description deliveries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            deliveries: components['schemas']['Delivery'][];
          };
        };
      };
      /** @description Missing, malformed, expired, revoked or foreign token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such webhook for this user (another user's answers the same) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this user: Retry-After says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
}
