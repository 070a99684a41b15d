import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ocdsError, ocdsJson, ocdsOrigin, ocdsPreflight } from "~/domain.server";
import { ocdsConfig, OCDS_DEFAULT_LIMIT, OCDS_MAX_LIMIT, OCDS_VERSION } from "~/ocds.server";

/** The description changes only with a new version of the app: dated by this process's start. */
const STARTED = new Date();

/** The OpenAPI 3.0 description of the OCDS API (exports/ocds/api.ts), served on this app's own origin. */
export function openApi(origin: string, license: string): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/components/${name}` });
  const cacheHeaders = {
    ETag: { description: "A strong validator of the body (send it back in If-None-Match).", schema: { type: "string" } },
    "Last-Modified": { description: "When the newest release in the answer was published.", schema: { type: "string" } },
    "Access-Control-Allow-Origin": { schema: { type: "string", enum: ["*"] } },
  };
  const ok = (description: string, schema: string) => ({ description, headers: cacheHeaders, content: { "application/json": { schema: ref(`schemas/${schema}`) } } });
  const errors = {
    "304": { description: "Not modified: the client's copy (If-None-Match / If-Modified-Since) is current." },
    "400": ref("responses/BadRequest"),
  };
  return {
    openapi: "3.0.3",
    info: {
      title: "Jejak — OCDS API",
      version: OCDS_VERSION,
      description:
        "Open contracting data of the pemda's procurement, in the Open Contracting Data Standard 1.1: release packages and record packages. No login, CORS open, ETag and Last-Modified, errors as JSON with a real HTTP status, an empty page is a 200. Paging is by a keyset cursor in `links.next` (never an offset): nothing is skipped or repeated while new releases arrive.",
      license: { name: "Data licence", url: license },
    },
    externalDocs: { description: "Publication policy", url: `${origin}/ocds` },
    servers: [{ url: origin }],
    paths: {
      "/api/ocds/releases": {
        get: {
          operationId: "listReleases",
          summary: "A release package of releases, newest first (release date, then publication order).",
          parameters: [ref("parameters/since"), ref("parameters/until"), ref("parameters/ocid"), ref("parameters/limit"), ref("parameters/cursor")],
          responses: { "200": ok("A release package; `links.next` when there is a next page.", "ReleasePackage"), ...errors },
        },
      },
      "/api/ocds/releases/{ocid}/{id}": {
        get: {
          operationId: "getRelease",
          summary: "A release package holding one release.",
          parameters: [ref("parameters/ocidPath"), { name: "id", in: "path", required: true, description: "The release id, unique within its ocid.", schema: { type: "string" } }],
          responses: { "200": ok("A release package with that release.", "ReleasePackage"), "304": errors["304"], "404": ref("responses/NotFound") },
        },
      },
      "/api/ocds/records": {
        get: {
          operationId: "listRecords",
          summary: "A record package: one record per contracting process, newest process first; releases linked, compiled release included.",
          parameters: [ref("parameters/since"), ref("parameters/until"), ref("parameters/limit"), ref("parameters/cursor")],
          responses: { "200": ok("A record package; `links.next` when there is a next page.", "RecordPackage"), ...errors },
        },
      },
      "/api/ocds/records/{ocid}": {
        get: {
          operationId: "getRecord",
          summary: "The record of one contracting process: its releases embedded, its compiled release and its versioned release.",
          parameters: [ref("parameters/ocidPath")],
          responses: { "200": ok("A record package with that record.", "RecordPackage"), "304": errors["304"], "404": ref("responses/NotFound") },
        },
      },
    },
    components: {
      parameters: {
        since: {
          name: "since",
          in: "query",
          description: "Releases dated at or after this moment: a day (yyyy-mm-dd, from 00:00 WIB) or an ISO 8601 date-time with its time zone. For records: processes with a release in the window.",
          schema: { type: "string", example: "2027-01-05" },
        },
        until: { name: "until", in: "query", description: "Releases dated before this moment (exclusive); same forms as `since`, later than it.", schema: { type: "string", example: "2027-02-01T00:00:00+07:00" } },
        ocid: { name: "ocid", in: "query", description: "Only the releases of this contracting process.", schema: { type: "string", pattern: "^[A-Za-z0-9._-]{1,200}$" } },
        limit: { name: "limit", in: "query", description: `Items per page (default ${OCDS_DEFAULT_LIMIT}).`, schema: { type: "integer", minimum: 1, maximum: OCDS_MAX_LIMIT, default: OCDS_DEFAULT_LIMIT } },
        cursor: { name: "cursor", in: "query", description: "The opaque cursor of the next page, as given in `links.next`.", schema: { type: "string" } },
        ocidPath: { name: "ocid", in: "path", required: true, description: "The contracting process's ocid.", schema: { type: "string" } },
      },
      responses: {
        BadRequest: { description: "A malformed or unknown parameter, or a cursor this API did not give out.", content: { "application/json": { schema: ref("schemas/Error") } } },
        NotFound: { description: "No such process or release.", content: { "application/json": { schema: ref("schemas/Error") } } },
      },
      schemas: {
        Error: { type: "object", required: ["error", "message"], properties: { error: { type: "string", example: "bad_request" }, message: { type: "string" } } },
        PackageMetadata: {
          type: "object",
          required: ["uri", "publishedDate", "publisher", "version"],
          properties: {
            uri: { type: "string", format: "uri" },
            version: { type: "string", enum: [OCDS_VERSION] },
            extensions: { type: "array", items: { type: "string", format: "uri" } },
            publishedDate: { type: "string", format: "date-time" },
            publisher: { type: "object", properties: { name: { type: "string" }, scheme: { type: "string" }, uid: { type: "string" }, uri: { type: "string", format: "uri" } } },
            license: { type: "string", format: "uri" },
            publicationPolicy: { type: "string", format: "uri" },
            links: { type: "object", properties: { next: { type: "string", format: "uri" } } },
          },
        },
        ReleasePackage: {
          description: "An OCDS 1.1 release package (https://standard.open-contracting.org/1.1/en/schema/release_package/).",
          allOf: [ref("schemas/PackageMetadata"), { type: "object", required: ["releases"], properties: { releases: { type: "array", items: ref("schemas/Release") } } }],
        },
        RecordPackage: {
          description: "An OCDS 1.1 record package (https://standard.open-contracting.org/1.1/en/schema/record_package/).",
          allOf: [ref("schemas/PackageMetadata"), { type: "object", required: ["records"], properties: { records: { type: "array", items: ref("schemas/Record") } } }],
        },
        Release: {
          type: "object",
          description: "An OCDS 1.1 release, valid against the release schema with the declared extensions (https://standard.open-contracting.org/1.1/en/schema/reference/).",
          required: ["ocid", "id", "date", "tag", "initiationType"],
          properties: { ocid: { type: "string" }, id: { type: "string" }, date: { type: "string", format: "date-time" }, tag: { type: "array", items: { type: "string" } } },
          additionalProperties: true,
        },
        Record: {
          type: "object",
          required: ["ocid", "releases"],
          properties: {
            ocid: { type: "string" },
            releases: { type: "array", items: { oneOf: [ref("schemas/Release"), ref("schemas/LinkedRelease")] } },
            compiledRelease: ref("schemas/Release"),
            versionedRelease: { type: "object", additionalProperties: true },
          },
        },
        LinkedRelease: {
          type: "object",
          required: ["url", "date", "tag"],
          properties: { url: { type: "string", format: "uri" }, date: { type: "string", format: "date-time" }, tag: { type: "array", items: { type: "string" } } },
        },
      },
    },
  };
}

/** GET /api/ocds/openapi.json: the OpenAPI 3.0 description of the OCDS API. No login, CORS open. */
export async function loader({ request }: LoaderFunctionArgs) {
  return ocdsJson(request, JSON.stringify(openApi(ocdsOrigin(request), ocdsConfig().license), null, 2), { lastModified: STARTED, maxAge: 3600 });
}

export async function action({ request }: ActionFunctionArgs) {
  return request.method === "OPTIONS" ? ocdsPreflight() : ocdsError(405, "method_not_allowed", "The OCDS API is read-only: use GET.");
}
