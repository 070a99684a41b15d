/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}", "**/*.server-only.ts"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // The domain, imports and exports live outside app/ and are bundled with the server build.
  watchPaths: ["./domain", "./schema", "./imports", "./exports"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
};
