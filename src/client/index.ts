/**
 * The API's contract for its clients, generated from its OpenAPI document (`npm run api:generate`): the paths and
 * answers as types, for openapi-fetch (the CLI, the tests' helpers) and the gallery's JSDoc.
 */
export type { components, operations, paths } from './schema';
import type { components, paths } from './schema';

/** The answers' named shapes: an `Image`, a `Problem`... */
export type Schemas = components['schemas'];

/** The image types the API takes, as a direct upload announces them. */
export type ImageContentType =
  paths['/api/v1/images/uploads']['post']['requestBody']['content']['application/json']['content_type'];
