import { Migration0001Foundation } from "./0001-foundation";

/**
 * Every migration, in order. Listed statically so that the server build, the CLI and the tests all
 * run the same set without scanning folders.
 */
export const migrationsList = [{ name: "0001-foundation", class: Migration0001Foundation }];
