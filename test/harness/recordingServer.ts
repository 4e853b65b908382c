import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ArrivedRequest {
  method: string;
  url: string;
  authorization?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  url: string;
  requests: ArrivedRequest[];
  /** Connections accepted, requests or not. */
  connections: () => number;
  close: () => Promise<void>;
}

/**
 * An HTTP listener on loopback standing in for some other host: it records every request that reaches it (its
 * Authorization header and body too) and answers as `answer` says, 404 by default.
 */
export async function startRecordingServer(
  answer: (res: http.ServerResponse) => void = (res) => res.writeHead(404).end(),
): Promise<RecordingServer> {
  const requests: ArrivedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization,
        headers: req.headers,
        body,
      });
      answer(res);
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
