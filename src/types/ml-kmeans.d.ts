// ml-kmeans publishes its types only through package.json "exports", which `"moduleResolution": "node"` ignores;
// this points the compiler at them. At run time Node loads the package itself.
declare module 'ml-kmeans' {
  export * from 'ml-kmeans/lib/index';
}
