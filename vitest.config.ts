import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve("app") };

/**
 * Three projects: unit (pure domain, no database), integration (a real embedded PostgreSQL, one
 * database per test file from a migrated template) and e2e (the built server in headless Chromium).
 * One embedded PostgreSQL serves the whole run.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    globals: true,
    reporters: process.env.CI ? ["default"] : ["default"],
    globalSetup: ["tests/support/global-setup.ts"],
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", globals: true } },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globals: true,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globals: true,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          fileParallelism: false,
        },
      },
    ],
  },
});
