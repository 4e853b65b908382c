import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface ScriptedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * The sanctioned stand-in for the OpenAI API (unreachable from here): an HTTP server that answers chat
 * completions and embeddings in the API's response shapes, records every request for the contract tests, and
 * plays scripted answers (errors, rate limits) when given some.
 */
export async function startOpenAiCompatibleServer() {
  const requests: RecordedRequest[] = [];
  const script: ScriptedResponse[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const scripted = script.shift();
      const path = new URL(req.url!, 'http://localhost').pathname;
      const answer: ScriptedResponse =
        scripted ??
        (path.endsWith('/chat/completions')
          ? {
              status: 200,
              body: {
                id: 'chatcmpl-test',
                object: 'chat.completion',
                created: 0,
                model: body.model,
                choices: [
                  {
                    index: 0,
                    message: { role: 'assistant', content: ' A red and white striped awning over a shop window. ' },
                    finish_reason: 'stop',
                  },
                ],
                usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
              },
            }
          : path.endsWith('/embeddings')
            ? {
                status: 200,
                body: {
                  object: 'list',
                  model: body.model,
                  data: [
                    {
                      object: 'embedding',
                      index: 0,
                      embedding: Array.from({ length: Number(body.dimensions ?? 8) }, (_, i) => i / 10),
                    },
                  ],
                  usage: { prompt_tokens: 5, total_tokens: 5 },
                },
              }
            : { status: 404, body: { error: { message: `no route ${path}`, type: 'invalid_request_error' } } });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** The next requests get these answers, in order; then the defaults again. */
    answerNext: (...responses: ScriptedResponse[]) => script.push(...responses),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
