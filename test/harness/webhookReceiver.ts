import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request that reached the receiver, with its Standard Webhooks headers and the status it was answered. */
export interface ArrivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  answered: number;
  /** When it was answered (epoch ms). */
  at: number;
}

/** What the receiver does with the next request: answer with a status, or hold it that long first. */
export type ReceiverMode = { status: number; holdMs?: number };

export interface WebhookReceiver {
  /** http://127.0.0.1:<port>/hooks */
  url: string;
  arrived: ArrivedWebhook[];
  /** Requests received and not answered yet (held). */
  inFlight: () => number;
  /** Changes how it answers from now on. */
  answer: (mode: ReceiverMode) => void;
  /** Stops listening (connections are refused) until `listen` again, on the same port. */
  stopListening: () => Promise<void>;
  listen: () => Promise<void>;
  /** The events that arrived and were answered 2xx, each id once, in the order they first were. */
  delivered: () => Array<{ id: string; type: string; data: Record<string, unknown>; at: number }>;
  /**
   * Checks each signature with `secret` as a receiver would (standardwebhooks), from the `since`-th request on,
   * throwing if one does not verify.
   */
  verifyAll: (secret: string, since?: number) => void;
  close: () => Promise<void>;
}

/** A webhook receiver on loopback, as an app backend would run one. */
export async function startWebhookReceiver(mode: ReceiverMode = { status: 200 }): Promise<WebhookReceiver> {
  const arrived: ArrivedWebhook[] = [];
  let current = mode;
  let held = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { status, holdMs } = current;
      held++;
      const reply = () => {
        held--;
        arrived.push({
          id: String(req.headers['webhook-id']),
          timestamp: String(req.headers['webhook-timestamp']),
          signature: String(req.headers['webhook-signature']),
          body,
          answered: status,
          at: Date.now(),
        });
        res.writeHead(status).end();
      };
      if (holdMs) setTimeout(reply, holdMs);
      else reply();
    });
  });
  const listen = (port = 0) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    arrived,
    inFlight: () => held,
    answer: (next) => {
      current = next;
    },
    stopListening: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
    listen: () => listen(port),
    delivered: () => {
      const seen = new Set<string>();
      return arrived.flatMap((request) => {
        if (request.answered < 200 || request.answered >= 300 || seen.has(request.id)) return [];
        seen.add(request.id);
        const { type, data } = JSON.parse(request.body) as { type: string; data: Record<string, unknown> };
        return [{ id: request.id, type, data, at: request.at }];
      });
    },
    verifyAll: (secret, since = 0) => {
      const webhook = new Webhook(secret);
      for (const request of arrived.slice(since)) {
        // Verified as received; the timestamp check (5 minutes) holds since each attempt signs its own time.
        webhook.verify(request.body, {
          'webhook-id': request.id,
          'webhook-timestamp': request.timestamp,
          'webhook-signature': request.signature,
        });
      }
    },
    close: async () => {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
