import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { seedDemo } from "../../../imports/demo/seed";
import { DEMO_ROAD_WINNER } from "../../../imports/demo/procurement";
import { DEMO_VENDOR } from "../../../imports/demo/bojonegoro";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Money } from "../../../domain/kernel/money";

const db = useTestDatabase("full");

describe("the demo's e-Procurement 2027", () => {
  it("has vendors (one blacklisted) and the contractor account linked to its vendor by NPWP", async () => {
    const vendors = await db.em().execute<{ name: string; npwp: string }[]>("select name, npwp from vendor where tenant_code = ? order by name", [T]);
    expect(vendors.length).toBeGreaterThanOrEqual(6);
    const [{ scope_code }] = await db.em().execute<{ scope_code: string }[]>("select r.scope_code from role_assignment r join app_user u on u.id = r.user_id where u.username = 'penyedia'");
    expect(scope_code).toBe(DEMO_VENDOR);
    expect(vendors.find((v) => v.npwp === DEMO_VENDOR)?.name).toBe("CV Maju Bersama");
    const [{ n }] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from vendor_sanction where ends_on >= '2026-12-01'");
    expect(n).toBe(1);
  });

  it("has the road tender contracted, the drainage works under SPK, and a tender taking bids — all within their DPA lines", async () => {
    const rows = await db.em().execute<{ name: string; method: string; status: string; tender: string | null; contract: string | null; vendor: string | null; value: string | null; pagu: string }[]>(
      `select p.name, p.method, p.status, t.status as tender, c.status as contract, v.name as vendor, c.value::text as value, p.pagu::text as pagu
         from proc_package p left join tender t on t.package_id = p.id left join contract c on c.package_id = p.id left join vendor v on v.id = c.vendor_id
        where p.tenant_code = ? order by p.created_at`,
      [T],
    );
    const road = rows.find((r) => r.name.startsWith("Rekonstruksi Jalan"))!;
    expect(road).toMatchObject({ method: "tender", tender: "contracted", contract: "signed", vendor: DEMO_ROAD_WINNER });
    expect(Money.idr(road.pagu).exceeds(Money.idr(road.value!))).toBe(true);
    expect(rows.find((r) => r.method === "pengadaan_langsung")).toMatchObject({ tender: "contracted", contract: "signed" });
    expect(rows.filter((r) => r.tender === "announced").map((r) => r.method).sort()).toEqual(["pengadaan_langsung", "tender"]);
    const [over] = await db.em().execute<{ n: number }[]>(
      `select count(*)::int as n from (select pb.line_key, sum(pb.amount) as s from proc_package_budget pb group by 1) x
         join budget_line b on b.line_key = x.line_key join apbd a on a.id = b.apbd_id and a.status = 'adopted' where x.s > b.amount`,
    );
    expect(over.n).toBe(0);
  });

  it("keeps the open tender's bid sealed, and the proposals behind the road show the tender and the contract", async () => {
    const sealed = await db.em().execute<{ price: string | null }[]>("select b.price from bid b join tender t on t.id = b.tender_id where t.status = 'announced'");
    expect(sealed.length).toBeGreaterThan(0);
    expect(sealed.every((b) => b.price === null)).toBe(true);
    const steps = await db.em().execute<{ action: string; n: number }[]>("select action, count(*)::int as n from proposal_event where action in ('tender','contract') group by 1 order by 1");
    expect(steps.map((s) => s.action)).toEqual(["contract", "tender"]);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });

  it("is idempotent: a second run changes nothing", async () => {
    const count = async () => (await db.em().execute<{ n: number }[]>("select (select count(*) from proc_package) + (select count(*) from bid) + (select count(*) from contract) + (select count(*) from audit_event) as n"))[0].n;
    const before = await count();
    expect((await seedDemo(db.em(), { allowed: true, upTo: "procurement" })).created).toBe(false);
    expect(await count()).toBe(before);
  });
});
