import type { temporal } from '@temporalio/proto';

/**
 * The attempt of each step a run made, in history order: an activity's from its start event, a local activity's
 * from the marker recording its result. A step that was retried shows an attempt above 1.
 */
export function stepAttempts(history: temporal.api.history.v1.IHistory): number[] {
  return history.events!.flatMap((event) => {
    if (event.activityTaskStartedEventAttributes) return [event.activityTaskStartedEventAttributes.attempt ?? 0];
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    const data = marker.details!.data!.payloads![0]!.data!;
    return [(JSON.parse(Buffer.from(data).toString()) as { attempt: number }).attempt];
  });
}
