// The gallery imports openapi-fetch as the one ES module the API serves at /openapi-fetch.mjs (src/api/app.ts); its
// types are the package's own, for the gallery's type check (tsconfig.gallery.json).
export { default } from 'openapi-fetch';
export * from 'openapi-fetch';
