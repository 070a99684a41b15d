import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { PU, DINKES } from "../../support/musrenbang";
import { action as loginAction } from "../../../app/routes/login";
import { action, loader } from "../../../app/routes/monev.evaluasi.$year";
import { loader as indexLoader } from "../../../app/routes/monev.evaluasi._index";
import { loader as excelLoader } from "../../../app/routes/unduh.evaluasi.$year";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

// The server clock in May 2027 (app/clock.server.ts honours JEJAK_CLOCK_FILE outside production), so that
// the first two triwulan of the demo's 2027 have begun. Set before the app's modules load.
vi.hoisted(() => {
  const fs = process.getBuiltinModule("node:fs");
  const file = `${process.getBuiltinModule("node:os").tmpdir()}/jejak-eval-clock-${process.pid}`;
  fs.writeFileSync(file, String(Date.parse("2027-05-10T03:00:00Z") - Date.now()));
  process.env.JEJAK_CLOCK_FILE = file;
});

useTestDatabase("full");
const YEAR = "2027";

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

type Page = {
  opd: string | null;
  opds: { code: string; budget: string }[];
  total: { budget: string };
  rows: { subActivityId: string; code: string; contracts: number; quarters: { quarter: number; output: string | null; physical: string | null; version: number | null }[] }[];
  editing: { row: { subActivityId: string }; quarter: number } | null;
  mayEdit: boolean;
};

describe("/monev/evaluasi/<year>", () => {
  it("shows Bappeda and the monev officer every OPD, an OPD officer their own OPD only, and nobody else anything", async () => {
    const monev = await signedIn("monev");
    const all = await body<Page>(await call(loader, monev.get(`/monev/evaluasi/${YEAR}`), { year: YEAR }));
    expect(all.opd).toBeNull();
    expect(all.opds.length).toBeGreaterThan(3);
    expect(all.rows).toEqual([]);
    const redirect = await call(indexLoader, monev.get("/monev/evaluasi"));
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`/monev/evaluasi/${YEAR}`);

    const pu = await signedIn("opd.pu");
    // Asking for another OPD gives the officer's own.
    const own = await body<Page>(await call(loader, pu.get(`/monev/evaluasi/${YEAR}?opd=${DINKES}`), { year: YEAR }));
    expect(own.opd).toBe(PU);
    expect(own.rows.length).toBeGreaterThan(0);
    expect(own.mayEdit).toBe(true);
    expect((await call(excelLoader, pu.get(`/unduh/evaluasi/${YEAR}?opd=${DINKES}`), { year: YEAR })).status).toBe(403);

    const warga = await signedIn("warga");
    expect((await call(loader, warga.get(`/monev/evaluasi/${YEAR}`), { year: YEAR })).status).toBe(403);
    expect((await call(excelLoader, warga.get(`/unduh/evaluasi/${YEAR}`), { year: YEAR })).status).toBe(403);
    expect((await call(loader, new Browser().get(`/monev/evaluasi/${YEAR}`), { year: YEAR })).status).toBe(302); // to the login page
    expect((await call(loader, monev.get("/monev/evaluasi/20x7"), { year: "20x7" })).status).toBe(404);
  });

  it("lets the OPD enter a triwulan with its form, refuses a stale form, and hands out the form in Excel", async () => {
    const pu = await signedIn("opd.pu");
    const page = await body<Page>(await call(loader, pu.get(`/monev/evaluasi/${YEAR}`), { year: YEAR }));
    const sub = page.rows.find((r) => r.contracts === 0)!;
    const opened = await body<Page>(await call(loader, pu.get(`/monev/evaluasi/${YEAR}?sub=${sub.subActivityId}&tw=2`), { year: YEAR }));
    expect(opened.editing).toMatchObject({ row: { subActivityId: sub.subActivityId }, quarter: 2 });
    const form = { sub: sub.subActivityId, code: sub.code, quarter: "2", version: "", output: "1,5", physical: "30", drivers: "Dukungan desa", obstacles: "Hujan", followUp: "Lembur" };
    const saved = await call(action, pu.post(`/monev/evaluasi/${YEAR}`, form), { year: YEAR });
    expect(saved.status).toBe(200);
    expect((await body<{ message: string }>(saved)).message).toContain("disimpan");
    // The same form again (read before the save): a conflict, not an overwrite.
    expect((await call(action, pu.post(`/monev/evaluasi/${YEAR}`, { ...form, output: "9" }), { year: YEAR })).status).toBe(409);
    // A triwulan that has not begun, named on its field in Indonesian.
    const early = await call(action, pu.post(`/monev/evaluasi/${YEAR}`, { ...form, quarter: "4" }), { year: YEAR });
    expect(early.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(early)).fieldErrors.quarter).toContain("belum dimulai");
    const after = await body<Page>(await call(loader, pu.get(`/monev/evaluasi/${YEAR}`), { year: YEAR }));
    const q2 = after.rows.find((r) => r.subActivityId === sub.subActivityId)!.quarters[1];
    expect([q2.output, q2.physical, q2.version]).toEqual(["1.5", "30.00", 1]);

    const xlsx = await call(excelLoader, pu.get(`/unduh/evaluasi/${YEAR}`), { year: YEAR });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-disposition")).toContain(`evaluasi-rkpd-${YEAR}-${PU}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.worksheets[0];
    let found = false;
    ws.eachRow((r) => {
      if (r.getCell(2).value === sub.code) {
        found = true;
        expect(r.getCell(10).value).toBe(1.5);
        expect(String(r.getCell(22).value)).toContain("penghambat: Hujan");
      }
    });
    expect(found).toBe(true);
  });
});
