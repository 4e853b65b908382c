import type { Config } from '../../config';
import type { ImageEventStream } from '../../services/imageEventStream';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';
import { ProblemError } from '../problem';

/** A comment line every so often keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

/** `GET /images/events`: the caller's image events as Server-Sent Events, for `seconds`. */
export function imageEventRoutes(deps: {
  config: Config;
  events: ImageEventStream;
}): Pick<OperationHandlers, 'streamImageEvents'> {
  const { config, events } = deps;
  return {
    streamImageEvents: async ({ query }, { req, res }) => {
      const userId = currentUser(req).uid;
      const maxSeconds = config.api.imageEventsMaxSeconds;
      if (maxSeconds === 0)
        throw new ProblemError({
          status: 501,
          detail:
            'This deployment does not offer the image event stream: follow an image with GET …/status?wait=, or register a webhook.',
        });
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        // Proxies that buffer (nginx) pass each event on at once.
        'X-Accel-Buffering': 'no',
      });
      // How long a client waits before it opens the stream again, once this one ends.
      res.write('retry: 3000\n\n');
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      try {
        await events.follow(
          userId,
          { apiBase: apiBase(req, config), seconds: Math.min(query.seconds, maxSeconds), signal: gone.signal },
          (event) => res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.image)}\n\n`),
        );
      } finally {
        clearInterval(keepAlive);
        res.end();
      }
    },
  };
}
