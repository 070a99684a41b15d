import { readFileSync } from "node:fs";
import path from "node:path";
import { findOcdsSchemaDir, type Json, type JsonObject } from "../../../exports/ocds/schema";

/** The standard's files (../shared/ocds or OCDS_SCHEMA_DIR), as the library finds them. */
export const OCDS_DIR = findOcdsSchemaDir();

export function readExample(...parts: string[]): JsonObject {
  return JSON.parse(readFileSync(path.join(OCDS_DIR, "examples", ...parts), "utf8")) as JsonObject;
}

/** A JSON round trip: what a consumer of the serialised output sees. */
export const roundTrip = <T>(v: T): Json => JSON.parse(JSON.stringify(v)) as Json;

/** Freezes a value deeply, so that a test fails if the code under test changes its input. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object") {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}
