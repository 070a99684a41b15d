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
