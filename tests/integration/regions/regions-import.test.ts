import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { useTestDatabase } from "../../support/db";
import { idnAreaDataDir, importRegions, readIdnAreaData } from "../../../imports/regions/idn-area";
import { parseCsv } from "../../../imports/shared/csv";
import { DomainError } from "../../../domain/kernel/domain-error";

const db = useTestDatabase("demo");

const dataRows = (file: string) => parseCsv(readFileSync(path.join(idnAreaDataDir(), file), "utf8")).slice(1).filter((r) => r.join("") !== "").length;

async function levels() {
  const rows = await db.em().execute<{ level: number; n: string }[]>("select level, count(*)::text n from region group by level order by level");
  return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
}

describe("regions of Indonesia from idn-area-data", () => {
  it("holds every provinsi, kabupaten/kota, kecamatan and desa/kelurahan of the package", async () => {
    expect(await levels()).toEqual({
      1: 38,
      2: 514,
      3: dataRows("districts.csv"),
      4: dataRows("villages.csv"),
    });
    expect(dataRows("villages.csv")).toBeGreaterThan(83_000);
    expect(dataRows("districts.csv")).toBeGreaterThan(7_200);
  });

  it("has Bojonegoro's 28 kecamatan and 430 desa/kelurahan, with kinds from the Kemendagri numbering", async () => {
    const [r] = await db.em().execute<{ kec: string; desa: string; kel: string }[]>(
      `select count(*) filter (where level = 3)::text kec, count(*) filter (where kind = 'desa')::text desa,
              count(*) filter (where kind = 'kelurahan')::text kel from region where code like '35.22.%'`,
    );
    expect(Number(r.kec)).toBe(28);
    expect(Number(r.desa) + Number(r.kel)).toBe(430);
    expect(Number(r.kel)).toBeGreaterThan(0);
    const [kab] = await db.em().execute<{ kind: string; name: string }[]>("select kind, name from region where code = '35.22'");
    expect(kab).toEqual({ kind: "kabupaten", name: "Kabupaten Bojonegoro" });
  });

  it("is idempotent: a second import changes nothing, a renamed desa is updated in place", async () => {
    const again = await importRegions(db.em());
    expect(again).toMatchObject({ inserted: 0, updated: 0 });
    expect(again.ms).toBeLessThan(15_000);
    await db.em().execute("update region set name = 'Nama Lama' where code = '35.22.06.2001'");
    const fixed = await importRegions(db.em());
    expect(fixed).toMatchObject({ inserted: 0, updated: 1 });
    const [r] = await db.em().execute<{ name: string }[]>("select name from region where code = '35.22.06.2001'");
    expect(r.name).toBe("Ngunut");
  });

  function brokenCopy(mutate: (villages: string) => string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "idn-"));
    for (const f of ["provinces.csv", "regencies.csv", "districts.csv"]) copyFileSync(path.join(idnAreaDataDir(), f), path.join(dir, f));
    writeFileSync(path.join(dir, "villages.csv"), mutate(readFileSync(path.join(idnAreaDataDir(), "villages.csv"), "utf8")));
    return dir;
  }

  it.each([
    ["a malformed code", (s: string) => s.replace("35.22.06.2001,", "35.22.06.201,"), "import.region.badCode"],
    ["an orphan", (s: string) => s.replace("35.22.06.2001,35.22.06", "35.22.99.2001,35.22.99"), "import.region.orphan"],
    ["a duplicate", (s: string) => s.replace("35.22.06.2002,35.22.06,Dander", "35.22.06.2001,35.22.06,Dander"), "import.region.duplicate"],
    ["a missing name", (s: string) => s.replace("35.22.06.2001,35.22.06,Ngunut", "35.22.06.2001,35.22.06,"), "import.region.nameMissing"],
  ])("refuses %s naming file and line, before writing anything", (_label, mutate, key) => {
    const dir = brokenCopy(mutate);
    try {
      readIdnAreaData(dir);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).key).toBe(key);
      expect((e as DomainError).params).toMatchObject({ file: "villages.csv" });
      expect(Number((e as DomainError).params.line)).toBeGreaterThan(1);
    }
  });
});
