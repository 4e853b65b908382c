import path from 'node:path';
import { startApiHandler } from './startApiHandler';

/** The entry AWS Lambda calls: `index.handler` in the bundle `npm run build:lambda` makes, beside its public/. */
export const handler = startApiHandler(process.env, { galleryDir: path.join(__dirname, 'public') });
