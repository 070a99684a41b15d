import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import { systemClock } from "../../domain/kernel/clock";
import { setOpdBidang } from "../../domain/nomenclature/opd-bidang";
import { Opd } from "../../domain/tenancy/opd.entity";
import { importNomenclatureFile } from "./list";

/** Where the shipped lists live, found from this module in development and from the project root in the build. */
function dataDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.join(here, "data"), path.resolve("imports/nomenclature/data")]) {
    try {
      readFileSync(path.join(dir, "nomenklatur-kabkota.csv"));
      return dir;
    } catch {
      /* try the next */
    }
  }
  throw new Error("imports/nomenclature/data not found");
}

export const SHIPPED = [
  { file: "nomenklatur-kabkota.csv", header: { kind: "planning" as const, decree: "Permendagri 90/2019 jo. Kepmendagri 900.1.15.5-1317/2023 (subset kabupaten/kota: urusan s.d. sub kegiatan)", appliesFrom: 2024, subWidth: 4 as const, source: "imports/nomenclature/data/nomenklatur-kabkota.csv" } },
  { file: "akun.csv", header: { kind: "account" as const, decree: "Permendagri 90/2019 Lampiran II jo. Kepmendagri 900.1.15.5-1317/2023 (subset akun s.d. sub rincian objek)", appliesFrom: 2024, source: "imports/nomenclature/data/akun.csv" } },
];

/** Loads the shipped lists (each once) and maps each OPD to the bidang urusan its code names. */
export async function seedNomenclature(em: EntityManager, actor: Actor): Promise<void> {
  // Each shipped list once (by kind, decree and year): a database seeded by an older release gets the lists it lacks.
  const dir = dataDir();
  for (const s of SHIPPED) {
    const [have] = await em.execute<{ id: string }[]>("select id from nomenclature_set where kind = ? and applies_from = ? and decree = ?", [s.header.kind, s.header.appliesFrom, s.header.decree]);
    if (have) continue;
    const out = await importNomenclatureFile(em.fork(), actor, systemClock, s.header, readFileSync(path.join(dir, s.file)), s.file);
    if (!out.ok) throw new Error(`shipped list ${s.file} is invalid: ${JSON.stringify(out.errors.slice(0, 3))}`);
  }
  const fork = em.fork();
  fork.setFilterParams("tenant", { tenant: actor.tenant });
  const [{ m }] = await fork.execute<{ m: string }[]>("select count(*)::text as m from opd_bidang where tenant_code = ?", [actor.tenant]);
  if (m !== "0") return;
  for (const o of await fork.find(Opd, {}, { orderBy: { code: "asc" } })) await setOpdBidang(em.fork(), actor, systemClock, o.code);
}
