import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { tenantInfo } from "~/tenant.server";
import {
  DECLARED_EXTENSIONS,
  DEFAULT_OCDS_LICENSE,
  DEFAULT_OCDS_PREFIX,
  extensionUrl,
  FLAT_TABLE_NAMES,
  loadOcdsSchemas,
  OCDS_DEFAULT_LIMIT,
  OCDS_MAX_LIMIT,
  OCDS_VERSION,
  ocdsConfig,
  PROJECT_EXTENSION_PATH,
} from "~/ocds.server";
import { formatDateTime } from "~/format";
import { useLang, useT } from "~/hooks";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction = () => [
  { title: "Data terbuka pengadaan (OCDS) — Jejak" },
  { name: "description", content: "Kebijakan publikasi data pengadaan menurut Open Contracting Data Standard" },
];

/** A document to read: links only, no scripts (see root.tsx). */
export const handle = { scripts: false };

/** A registered ocid prefix: "ocds-" and six lowercase letters or digits (exports/ocds/quality.ts). */
const REGISTERED = /^ocds-[a-z0-9]{6}$/;

/**
 * GET /ocds: the publication policy every OCDS package links to (`publicationPolicy`) — what is published
 * and what is not, how often, the licence, the ocid prefix, the declared extensions (and Jejak's own, at
 * #extension: its extension.json's documentationUrl), contact, and links to the API and the bulk files.
 * Public, no login, no form token: the microcache shares it.
 */
export async function loader(_: LoaderFunctionArgs) {
  const tenant = await tenantInfo();
  const cfg = ocdsConfig();
  const schemas = loadOcdsSchemas();
  const [stats] = await (await em()).execute<{ releases: number; processes: number; last: Date | string | null }[]>(
    `select (select count(*) from ocds_release where tenant_code = ?)::int as releases,
            (select count(*) from ocds_process where tenant_code = ?)::int as processes,
            (select max(created_at) from ocds_release where tenant_code = ?) as last`,
    [tenant.code, tenant.code, tenant.code],
  );
  const years = await (await em()).execute<{ year: number }[]>(
    // The bulk files are per fiscal year of the RUP package (exports/ocds/bulk.ts).
    "select distinct k.fiscal_year as year from ocds_process p join proc_package k on k.id = p.package_id where p.tenant_code = ? order by year desc",
    [tenant.code],
  );
  const extensions = DECLARED_EXTENSIONS.filter((e) => schemas.extensions.includes(e.name)).map((e) => ({
    name: e.name,
    url: extensionUrl(e),
    docs: `https://github.com/${e.repository}`,
  }));
  const contact = process.env.OCDS_CONTACT_EMAIL?.trim() || null;
  return json(
    {
      publisher: /^pemerintah\b/i.test(tenant.name) ? tenant.name : `Pemerintah ${tenant.name}`,
      tenant: tenant.code,
      version: OCDS_VERSION,
      prefix: cfg.prefix,
      prefixStatus: REGISTERED.test(cfg.prefix) ? "registered" : cfg.prefix === DEFAULT_OCDS_PREFIX ? "demo" : "unregistered",
      license: cfg.license,
      defaultLicense: cfg.license === DEFAULT_OCDS_LICENSE,
      extensions,
      project: schemas.project ? { url: PROJECT_EXTENSION_PATH, schema: PROJECT_EXTENSION_PATH.replace(/extension\.json$/, "release-schema.json") } : null,
      contact,
      stats: { releases: stats?.releases ?? 0, processes: stats?.processes ?? 0, last: stats?.last ? new Date(stats.last).toISOString() : null },
      years: years.map((y) => Number(y.year)),
      tables: [...FLAT_TABLE_NAMES],
      limits: { max: OCDS_MAX_LIMIT, default: OCDS_DEFAULT_LIMIT },
    },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}

export default function OcdsPolicy() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const count = (n: number) => n.toLocaleString(lang === "id" ? "id-ID" : "en");
  const licenseName = d.defaultLicense ? "Creative Commons Attribution 4.0 (CC BY 4.0)" : t("ocds.license.other");
  return (
    <article data-testid="ocds-policy">
      <h1>{t("ocds.title")}</h1>
      <p>{t("ocds.intro", { publisher: d.publisher, version: d.version })}</p>

      <section className="card" id="published">
        <h2>{t("ocds.published.title")}</h2>
        <ul>
          <li>{t("ocds.published.planning")}</li>
          <li>{t("ocds.published.tender")}</li>
          <li>{t("ocds.published.bids")}</li>
          <li>{t("ocds.published.awards")}</li>
          <li>{t("ocds.published.threshold")}</li>
        </ul>
        <h2>{t("ocds.excluded.title")}</h2>
        <ul>
          <li>{t("ocds.excluded.drafts")}</li>
          <li>{t("ocds.excluded.sealed")}</li>
          <li>{t("ocds.excluded.evaluation")}</li>
          <li>{t("ocds.excluded.personal")}</li>
          <li>{t("ocds.excluded.internal")}</li>
        </ul>
      </section>

      <section className="card" id="frequency">
        <h2>{t("ocds.frequency.title")}</h2>
        <p>{t("ocds.frequency.body")}</p>
        <p className="muted" data-testid="ocds-stats">
          {d.stats.releases && d.stats.last
            ? t("ocds.frequency.stats", { releases: count(d.stats.releases), processes: count(d.stats.processes), last: formatDateTime(d.stats.last, lang) })
            : t("ocds.frequency.none")}
        </p>
      </section>

      <section className="card" id="license">
        <h2>{t("ocds.license.title")}</h2>
        <p>
          {t("ocds.license.body", { license: licenseName, publisher: d.publisher })}{" "}
          <a href={d.license} rel="license" data-testid="ocds-license">
            {d.license}
          </a>
        </p>
      </section>

      <section className="card" id="ocid">
        <h2>{t("ocds.prefix.title")}</h2>
        <p>{t("ocds.prefix.body", { example: `${d.prefix}-${d.tenant}-<id paket>` })}</p>
        <p data-testid="ocds-prefix">
          <code>{d.prefix}</code> — {t(`ocds.prefix.${d.prefixStatus}`, { prefix: d.prefix })}
        </p>
      </section>

      <section className="card" id="extensions">
        <h2>{t("ocds.extensions.title")}</h2>
        <p>{t("ocds.extensions.body")}</p>
        <ul data-testid="ocds-extensions">
          {d.extensions.map((e) => (
            <li key={e.name}>
              <a href={e.docs}>{e.name}</a> (<a href={e.url}>extension.json</a>)
            </li>
          ))}
          {d.project ? (
            <li>
              <a href="#extension">jejak</a> (<a href={d.project.url}>extension.json</a>, <a href={d.project.schema}>release-schema.json</a>)
            </li>
          ) : null}
        </ul>
        {d.project ? (
          <div id="extension">
            <h3>{t("ocds.extension.title")}</h3>
            <p>{t("ocds.extension.body")}</p>
          </div>
        ) : null}
      </section>

      <section className="card" id="api">
        <h2>{t("ocds.api.title")}</h2>
        <p>{t("ocds.api.body", { max: d.limits.max, default: d.limits.default })}</p>
        <ul data-testid="ocds-api">
          <li>
            <a href="/api/ocds/releases">
              <code>GET /api/ocds/releases</code>
            </a>{" "}
            — {t("ocds.api.releases")}
          </li>
          <li>
            <code>GET /api/ocds/releases/&lt;ocid&gt;/&lt;id&gt;</code> — {t("ocds.api.release")}
          </li>
          <li>
            <a href="/api/ocds/records">
              <code>GET /api/ocds/records</code>
            </a>{" "}
            — {t("ocds.api.records")}
          </li>
          <li>
            <code>GET /api/ocds/records/&lt;ocid&gt;</code> — {t("ocds.api.record")}
          </li>
          <li>
            <a href="/api/ocds/openapi.json">
              <code>/api/ocds/openapi.json</code>
            </a>{" "}
            — {t("ocds.api.openapi")}
          </li>
        </ul>
      </section>

      <section className="card" id="bulk">
        <h2>{t("ocds.bulk.title")}</h2>
        <ul data-testid="ocds-bulk">
          <li>
            <a href="/ocds/bulk/full.jsonl.gz">full.jsonl.gz</a> — {t("ocds.bulk.full")};{" "}
            <a href="/ocds/bulk/full-releases.json.gz">full-releases.json.gz</a> ({t("ocds.bulk.yearReleases")})
          </li>
          {d.years.map((y) => (
            <li key={y}>
              <a href={`/ocds/bulk/${y}.jsonl.gz`}>{y}.jsonl.gz</a> — {t("ocds.bulk.year", { year: y })};{" "}
              <a href={`/ocds/bulk/${y}-releases.json.gz`}>{y}-releases.json.gz</a> ({t("ocds.bulk.yearReleases")});{" "}
              <a href={`/ocds/bulk/${y}.xlsx`}>{y}.xlsx</a> ({t("ocds.bulk.tables")}); CSV:{" "}
              {d.tables.map((table, i) => (
                <span key={table}>
                  {i ? ", " : ""}
                  <a href={`/ocds/bulk/${y}-${table}.csv`}>{table}</a>
                </span>
              ))}
            </li>
          ))}
        </ul>
      </section>

      <section className="card" id="contact">
        <h2>{t("ocds.contact.title")}</h2>
        <p data-testid="ocds-contact">
          {d.contact ? (
            <>
              {t("ocds.contact.email")} <a href={`mailto:${d.contact}`}>{d.contact}</a>
            </>
          ) : (
            t("ocds.contact.default", { publisher: d.publisher })
          )}
        </p>
      </section>
    </article>
  );
}
