import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes, so an operator can find a user's or an image's runs in the Temporal UI
 * (`ImagepipeUserId = "..."`). The stack scripts and the compose file register exactly these.
 */
export const USER_ID = defineSearchAttributeKey('ImagepipeUserId', 'KEYWORD');
export const IMAGE_ID = defineSearchAttributeKey('ImagepipeImageId', 'KEYWORD');
/**
 * The image's status, as runs from before the item alone held it upserted it (a Temporal action each time); a run's
 * own ExecutionStatus says how it ended. Still registered, for those runs.
 */
export const IMAGE_STATUS = defineSearchAttributeKey('ImagepipeStatus', 'KEYWORD');

export const SEARCH_ATTRIBUTES = [USER_ID, IMAGE_ID, IMAGE_STATUS] as const;
