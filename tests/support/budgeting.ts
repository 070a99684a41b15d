import type { EntityManager } from "@mikro-orm/postgresql";
import { T } from "./musrenbang";

/**
 * A small standard price list for tests (SSH 2027), written as the price-list import stores it, and
 * the ids of its items by code.
 */
export async function aPriceList(em: EntityManager, year = 2027): Promise<Record<string, string>> {
  const list = crypto.randomUUID();
  await em.execute(
    "insert into price_list (id, tenant_code, kind, fiscal_year, decree, item_count, imported_at, imported_by) values (?, ?, 'SSH', ?, ?, 4, now(), 'test')",
    [list, T, year, `Perbup uji ${list.slice(0, 8)}`],
  );
  const items = [
    ["1.1.7.01.03.01.001", "Semen Portland", "PCC 50 kg", "zak", "68500.00", "{5.1.02.01.01.0001,5.2.04.01.01.0003}"],
    ["1.1.7.01.03.02.005", "Aspal curah", "penetrasi 60/70", "kg", "14333.33", "{5.2.04.01.01.0003}"],
    ["1.1.12.01.03.01.001", "Nasi kotak rapat", "standar", "kotak", "35000.00", "{5.1.02.01.01.0052}"],
    ["1.1.12.02.01.01.002", "Honorarium narasumber", "pejabat eselon III", "OJ", "900000.00", "{5.1.02.02.01.0003}"],
  ];
  const ids: Record<string, string> = {};
  for (const [code, name, spec, unit, price, accounts] of items) {
    const id = crypto.randomUUID();
    ids[code] = id;
    await em.execute("insert into price_item (id, tenant_code, list_id, code, name, spec, unit, price, accounts) values (?, ?, ?, ?, ?, ?, ?, ?, ?::text[])", [id, T, list, code, name, spec, unit, price, accounts]);
  }
  return ids;
}

/**
 * An agreed KUA-PPAS 2027 and an approved RKA for Dinas Kesehatan's "Pengelolaan Pelayanan Kesehatan
 * Balita" (meals 120 × Rp35.000 and a speaker's fee 4 × Rp900.000: Rp7.800.000), on the "planned"
 * template. Returns the sub-activity id and the price item ids.
 */
export async function anApprovedRka(em: EntityManager): Promise<{ sub: string; prices: Record<string, string> }> {
  const { actorOf, actorWith, clock } = await import("./musrenbang");
  const b = await import("../../domain/budgeting");
  const tapd = await actorOf(em, "tapd");
  const prices = await aPriceList(em);
  const kua = await b.draftKuaPpas(em, tapd, clock, 2027, ["Penurunan stunting"]);
  const v = (await b.kuaPpasView(em, T, 2027))!.version;
  await b.moveKuaPpas(em, tapd, clock, kua, "submit", "", v);
  await b.moveKuaPpas(em, tapd, clock, kua, "agree", "Nota Kesepakatan 900/2026", v + 1);
  const [s] = await em.execute<{ id: string }[]>(
    "select s.id from sub_activity s join opd o on o.id = s.opd_id where o.code = '1.02.0.00.0.00.01.0000' and s.fiscal_year = 2027 and s.sub_kegiatan_code = '1.02.02.2.02.0004'",
  );
  const dinkes = actorWith("opd_officer", "opd", "1.02.0.00.0.00.01.0000");
  const rka = await b.openRka(em, dinkes, clock, s.id);
  const line = { accountCode: "5.1.02.01.01.0052", description: "Nasi kotak kelas ibu balita", factors: [{ qty: "30", unit: "orang" }, { qty: "4", unit: "kali" }], priceItemId: prices["1.1.12.01.03.01.001"], fundingSource: "DAK Non-Fisik" };
  await b.addLine(em, dinkes, clock, rka, line, 1);
  await b.addLine(em, dinkes, clock, rka, { ...line, accountCode: "5.1.02.02.01.0003", description: "Honor narasumber gizi", factors: [{ qty: "4", unit: "OJ" }], priceItemId: prices["1.1.12.02.01.01.002"] }, 2);
  await b.moveRka(em, dinkes, clock, rka, "submit", "", 3);
  await b.moveRka(em, tapd, clock, rka, "verify", "", 4);
  await b.moveRka(em, tapd, clock, rka, "approve", "", 5);
  return { sub: s.id, prices };
}
