import type { WebhookEventType } from '../contracts';

/** A signing secret (`whsec_…`); one replaced by a rotation keeps signing until `expires_at`. */
export interface WebhookSecret {
  secret: string;
  created_at: string;
  expires_at?: string;
}

/** A user's webhook endpoint as stored. */
export interface WebhookRecord {
  user_id: string;
  webhook_id: string;
  url: string;
  events: WebhookEventType[];
  description?: string;
  /** The API's base URL as the user reached it when registering: the links in the events' image views use it. */
  api_base: string;
  /** Newest first. */
  secrets: WebhookSecret[];
  status: 'enabled' | 'disabled';
  /** Why it was disabled (its receiver answered 410 Gone). */
  disabled_reason?: string;
  created_at: string;
  updated_at: string;
}

/** One attempt to deliver an event, or the end of trying. */
export interface DeliveryLogEntry {
  webhook_id: string;
  event_id: string;
  event_type: WebhookEventType;
  /** 1 for the first attempt. */
  attempt: number;
  at: string;
  /** delivered: 2xx; failed: another answer or none (retried); gone: 410; abandoned: given up after the last retry. */
  outcome: 'delivered' | 'failed' | 'gone' | 'abandoned';
  status_code?: number;
  /** Why there was no answer (refused address, timeout…), or the start of a failed answer's body. */
  error?: string;
  latency_ms?: number;
}
