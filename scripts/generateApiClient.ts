/**
 * Writes the API's contract for its clients: the OpenAPI document (src/client/openapi.json), as the code derives it
 * with the default configuration, and the TypeScript types generated from it (src/client/schema.d.ts) that the CLI,
 * the tests' helpers and the gallery use with openapi-fetch. Run it after changing an operation or an answer:
 *   npm run api:generate
 * test/contract/apiClient.test.ts fails while the committed files and the code disagree.
 */
import fs from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from '../src/api/contract/openApiDocument';
import { loadConfig } from '../src/config';

const CLIENT_DIR = path.join(__dirname, '..', 'src', 'client');
const DOCUMENT_FILE = path.join(CLIENT_DIR, 'openapi.json');
const TYPES_FILE = path.join(CLIENT_DIR, 'schema.d.ts');

const HEADER = '// Generated from openapi.json by `npm run api:generate` (openapi-typescript): do not edit.\n\n';

/** The document and the types as they are generated from the code now, formatted as the project formats files. */
async function generatedApiClient(): Promise<{ document: string; types: string }> {
  // The defaults: what a deployment documents unless it changes a limit (the served /openapi.json says its own).
  const document = openApiDocument(loadConfig({ FIREBASE_PROJECT_ID: 'imagepipe' }));
  const types = HEADER + astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
  const options = (await resolveConfig(TYPES_FILE)) ?? {};
  return {
    document: await format(JSON.stringify(document), { ...options, filepath: DOCUMENT_FILE }),
    types: await format(types, { ...options, filepath: TYPES_FILE }),
  };
}

/** The committed files that differ from what the code generates now. */
function stale(generated: { document: string; types: string }): string[] {
  return [
    [DOCUMENT_FILE, generated.document],
    [TYPES_FILE, generated.types],
  ].flatMap(([file, text]) => (fs.existsSync(file!) && fs.readFileSync(file!, 'utf8') === text ? [] : [file!]));
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  generatedApiClient().then(
    (generated) => {
      const files = stale(generated).map((file) => path.relative(process.cwd(), file));
      if (check) {
        if (files.length === 0) return console.log('the committed API contract is what the code generates');
        console.error(`not what the code generates: ${files.join(', ')} (run npm run api:generate)`);
        process.exit(1);
      }
      fs.writeFileSync(DOCUMENT_FILE, generated.document);
      fs.writeFileSync(TYPES_FILE, generated.types);
      console.log(files.length ? `wrote ${files.join(', ')}` : 'the API contract was already up to date');
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
