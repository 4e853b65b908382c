/** What activities ask Temporal about an image's runs: when each closed, if it has; none if it never began. */
export interface ImageRuns {
  /** Its pipeline run. */
  closedAt(imageId: string): Promise<Date | 'running' | undefined>;
  /** The purge of its direct upload, scheduled for when the upload URL expires unused. */
  uploadPurgeClosedAt(imageId: string): Promise<Date | 'running' | undefined>;
}
