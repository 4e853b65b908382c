/**
 * Object keys are derived from the owner and image id only (never from a client's filename), and are the same on
 * every attempt, so a retried write overwrites its earlier self instead of leaving a second object.
 */
export const imagePrefix = (userId: string, imageId: string) => `users/${userId}/images/${imageId}/`;
export const originalKey = (userId: string, imageId: string) => `${imagePrefix(userId, imageId)}original`;
export const thumbnailKey = (userId: string, imageId: string, size: number, format: string) =>
  `${imagePrefix(userId, imageId)}thumbnails/${size}.${format}`;
/** A re-clustering's plan, kept between the steps that compute, name and apply it. */
export const clusteringPlanKey = (userId: string, runKey: string) => `users/${userId}/clusterings/${runKey}.json`;
