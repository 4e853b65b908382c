import type { Request, Response } from 'express';
import { sendProblem, type Problem } from '../problem';

// How long the rest of the body is read and dropped after an early answer, before the connection is closed.
const LINGER_MS = 2_000;

/**
 * Answers a request before its body has been read (a file past the size limit), instead of reading on to its end:
 * the problem now, with `Connection: close`, so the client stops sending. The body is still read and dropped for a
 * moment, because closing a connection with unread data resets it and the client could lose the answer; then the
 * connection is closed, whatever the client still meant to send.
 */
export function answerEarly(req: Request, res: Response, problem: Problem): void {
  if (res.headersSent) return;
  sendProblem(res, { ...problem, headers: { ...problem.headers, Connection: 'close' } });
  res.once('finish', () => {
    req.resume();
    setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
  });
}
