import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Fields that tie a log line to one request, image or workflow run, named the same everywhere. */
export interface LogContext {
  requestId?: string;
  imageId?: string;
  userId?: string;
  workflowId?: string;
  runId?: string;
}

/** Structured JSON logs on stdout; `service` says which process wrote the line. */
export function createLogger(service: string, level: LoggerOptions['level'] = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password'], censor: '[redacted]' },
  });
}

export function withContext(logger: Logger, context: LogContext): Logger {
  return logger.child(context);
}
