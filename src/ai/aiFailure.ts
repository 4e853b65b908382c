import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionError, APIError } from 'openai';
import { AI_RATE_LIMITED, AI_REQUEST_REJECTED, AI_UNAVAILABLE } from '../contracts';

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), when the provider sent one. */
function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * Maps a provider error to what Temporal should do with it: a rate limit or an outage is retried (after the
 * provider's Retry-After when it gave one), a refused request (bad input, bad key, unknown model) fails at once
 * with the provider's own reason. Other errors pass as they are (and are retried).
 */
export function toAiFailure(error: unknown, call: string): unknown {
  if (error instanceof APIConnectionError) {
    return ApplicationFailure.create({
      message: `${call}: the AI provider could not be reached: ${error.message}`,
      type: AI_UNAVAILABLE,
      cause: error,
    });
  }
  if (!(error instanceof APIError) || error.status === undefined) return error;
  const message = `${call}: the AI provider answered ${error.status}: ${error.message}`;
  if (error.status === 429) {
    const wait = retryAfterSeconds(error.headers as Headers | undefined);
    return ApplicationFailure.create({
      message,
      type: AI_RATE_LIMITED,
      nextRetryDelay: wait === undefined ? undefined : `${wait} seconds`,
    });
  }
  if (error.status >= 500 || error.status === 408 || error.status === 409)
    return ApplicationFailure.create({ message, type: AI_UNAVAILABLE });
  return ApplicationFailure.nonRetryable(message, AI_REQUEST_REJECTED);
}
