import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE, Browser, body, call } from "../../support/http";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { action as loginAction } from "../../../app/routes/login";
import { loader as homeLoader } from "../../../app/routes/pengawasan._index";
import { action as consultantAction, loader as consultantLoader } from "../../../app/routes/pengawasan.kontrak.$id";
import { action as ppkAction, loader as ppkLoader } from "../../../app/routes/procure.kontrak.$id._index";
import { loader as photoLoader } from "../../../app/routes/monev.foto.$photoId";

// The konsultan pengawas's pages on the demo (template "monev": week 2 of the road waiting), as the
// routes serve them: its work list, the road's page with the week's photo, another contract refused, the
// verification, and the PPK's assignment panel ending it.

const db = useTestDatabase("monev");

async function signedIn(username: string) {
  const b = new Browser();
  const r = await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD }));
  expect(r.status).toBe(302);
  b.take(r);
  return b;
}

type Home = { waiting: { id: string; contract_id: string; period_no: number }[]; contracts: { id: string }[] };
type ContractPage = { pending: { id: string; version: number; period_no: number; photos: { id: string }[] }[]; reports: { period_no: number; verified_as: string | null }[] };
type PpkPage = { supervisors: { id: string; username: string; ended_at: string | null }[] };

describe("the konsultan pengawas's pages", () => {
  it("lists the road's waiting week, shows its photo, refuses another contract, verifies; the PPK ends the assignment", async () => {
    const [road] = await db.em().execute<{ id: string }[]>("select contract_id as id from monev_plan");
    const [other] = await db.em().execute<{ id: string }[]>("select id from contract where status = 'signed' and id <> ? limit 1", [road.id]);
    const konsultan = await signedIn("konsultan.pu");

    const home = await body<Home>(await call(homeLoader, konsultan.get("/pengawasan")));
    expect(home.contracts.map((c) => c.id)).toEqual([road.id]);
    expect(home.waiting.map((w) => [w.contract_id, w.period_no])).toEqual([[road.id, 2]]);

    const page = await body<ContractPage>(await call(consultantLoader, konsultan.get(`/pengawasan/kontrak/${road.id}`), { id: road.id }));
    const week2 = page.pending[0];
    expect(week2.period_no).toBe(2);
    // The week's photo is not public yet, but its consultant sees it; the public does not.
    const photoId = week2.photos[0].id;
    expect((await call(photoLoader, konsultan.get(`/monev/foto/${photoId}?kecil=1`), { photoId })).status).toBe(200);
    expect((await call(photoLoader, new Request(`${BASE}/monev/foto/${photoId}`), { photoId })).status).toBe(404);

    // Another contract: neither its page nor an action on it.
    expect((await call(consultantLoader, konsultan.get(`/pengawasan/kontrak/${other.id}`), { id: other.id })).status).toBe(403);
    const verify = { intent: "verify", target: week2.id, version: String(week2.version) };
    expect((await call(consultantAction, konsultan.post(`/pengawasan/kontrak/${other.id}`, verify), { id: other.id })).status).toBe(403);
    // Nor the PPK's page.
    expect((await call(ppkLoader, konsultan.get(`/procure/kontrak/${road.id}`), { id: road.id })).status).toBe(403);

    const done = await call(consultantAction, konsultan.post(`/pengawasan/kontrak/${road.id}`, verify), { id: road.id });
    expect(done.status).toBe(200);
    expect(await body(done)).toMatchObject({ ok: true, message: "Laporan terverifikasi." });
    const after = await body<ContractPage>(await call(consultantLoader, konsultan.get(`/pengawasan/kontrak/${road.id}`), { id: road.id }));
    expect(after.pending).toEqual([]);
    expect(after.reports.map((r) => [r.period_no, r.verified_as])).toEqual([
      [1, "ppk"],
      [2, "supervising_consultant"],
    ]);

    // The PPK ends the assignment (a reason is required); the consultant's page is then refused.
    const ppk = await signedIn("ppk.pu");
    const ppkPage = await body<PpkPage>(await call(ppkLoader, ppk.get(`/procure/kontrak/${road.id}`), { id: road.id }));
    const assignment = ppkPage.supervisors.find((s) => s.username === "konsultan.pu" && !s.ended_at)!;
    const short = await call(ppkAction, ppk.post(`/procure/kontrak/${road.id}`, { intent: "unassignSupervisor", target: assignment.id, reason: "selesai" }), { id: road.id });
    expect(short.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(short)).fieldErrors.reason).toBe("Tuliskan alasan mengakhiri penugasan (sedikitnya 10 karakter).");
    const ended = await call(ppkAction, ppk.post(`/procure/kontrak/${road.id}`, { intent: "unassignSupervisor", target: assignment.id, reason: "Kontrak pengawasan telah berakhir." }), { id: road.id });
    expect(ended.status).toBe(200);
    expect((await call(consultantLoader, konsultan.get(`/pengawasan/kontrak/${road.id}`), { id: road.id })).status).toBe(403);
    expect((await body<Home>(await call(homeLoader, konsultan.get("/pengawasan")))).contracts).toEqual([]);
  });
});
