import type { RequestHandler } from 'express';
import { sendProblem } from './problem';

interface DocumentedPath {
  pattern: RegExp;
  /** Segments that are words, not parameters: the more, the more specific the path. */
  literals: number;
  methods: string[];
}

/**
 * 405 with `Allow` for a method a documented path does not have, instead of a 404 that would say the path does not
 * exist. The paths and their methods come from the OpenAPI document, so the two cannot disagree; of the templates
 * a path matches, the most specific one decides (`/images/cluster` before `/images/{imageId}`). HEAD goes with GET;
 * OPTIONS is the browsers' CORS preflight, answered earlier.
 */
export function methodNotAllowed(document: { paths?: Record<string, object> }): RequestHandler {
  const paths: DocumentedPath[] = Object.entries(document.paths ?? {})
    .map(([template, operations]) => ({
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      literals: template.split('/').filter((segment) => segment && !segment.startsWith('{')).length,
      methods: Object.keys(operations).map((method) => method.toUpperCase()),
    }))
    .sort((a, b) => b.literals - a.literals);
  return (req, res, next) => {
    const path = paths.find((candidate) => candidate.pattern.test(req.path));
    if (!path) return next();
    const answered = path.methods.includes('GET') ? [...path.methods, 'HEAD', 'OPTIONS'] : [...path.methods, 'OPTIONS'];
    if (answered.includes(req.method)) return next();
    res.setHeader('Allow', path.methods.join(', '));
    sendProblem(res, {
      status: 405,
      detail: `${req.method} is not a method of ${req.path}: use ${path.methods.join(' or ')}.`,
    });
  };
}
