import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import { systemClock } from "../../domain/kernel/clock";
import type { PriceKind } from "../../domain/budgeting/prices";
import { importPriceListFile } from "./price-list";

/** Where the shipped demo lists live, found from this module in development and from the project root in the build. */
function dataDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.join(here, "data"), path.resolve("imports/budgeting/data")]) {
    try {
      readFileSync(path.join(dir, "ssh-demo-2027.csv"));
      return dir;
    } catch {
      /* try the next */
    }
  }
  throw new Error("imports/budgeting/data not found");
}

export const DEMO_PRICE_YEAR = 2027;

/** The demo kabupaten's standard price lists for 2027: illustrative prices, see data/SOURCES.md. */
export const DEMO_PRICE_LISTS: { file: string; kind: PriceKind; decree: string }[] = [
  { file: "ssh-demo-2027.csv", kind: "SSH", decree: "Contoh ilustratif Jejak: Standar Satuan Harga TA 2027 (bukan Peraturan Bupati)" },
  { file: "hspk-demo-2027.csv", kind: "HSPK", decree: "Contoh ilustratif Jejak: Harga Satuan Pokok Kegiatan TA 2027 (bukan Peraturan Bupati)" },
  { file: "sbu-demo-2027.csv", kind: "SBU", decree: "Contoh ilustratif Jejak: Standar Biaya Umum TA 2027 (bukan Peraturan Bupati)" },
];

/**
 * Imports the demo SSH, HSPK and SBU lists for fiscal year 2027 through the real import, each only
 * when the tenant has no list of that kind for 2027 yet (so a pemda's own SSH is never shadowed, and a
 * second run changes nothing). Returns the kinds imported.
 */
export async function seedDemoPrices(em: EntityManager, actor: Actor): Promise<{ created: PriceKind[] }> {
  const dir = dataDir();
  const created: PriceKind[] = [];
  for (const l of DEMO_PRICE_LISTS) {
    const [have] = await em.execute<{ id: string }[]>("select id from price_list where tenant_code = ? and kind = ? and fiscal_year = ?", [actor.tenant, l.kind, DEMO_PRICE_YEAR]);
    if (have) continue;
    const out = await importPriceListFile(
      em.fork(),
      actor,
      systemClock,
      { kind: l.kind, fiscalYear: DEMO_PRICE_YEAR, decree: l.decree, source: `imports/budgeting/data/${l.file}` },
      readFileSync(path.join(dir, l.file)),
      l.file,
    );
    if (!out.ok) throw new Error(`shipped price list ${l.file} is invalid: ${JSON.stringify(out.errors.slice(0, 3))}`);
    created.push(l.kind);
  }
  return { created };
}
