import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, DINKES, PU, T } from "../../support/musrenbang";
import { Actor } from "../../../domain/identity/actor";
import { fixedClock } from "../../../domain/kernel/clock";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { actOnComplaint, escalateOverdue, rateComplaint, reopenComplaint, submitComplaint, type SubmitComplaint } from "../../../domain/oversight/complaints";
import { complaintByTicket, complaintQueue, publicComplaint, publicComplaints, publicComplaintsFor } from "../../../domain/oversight/queries";
import { sourceKey } from "../../../domain/oversight/rules";
import { addTenantHoliday, syncNationalHolidays } from "../../../imports/oversight/holidays";

const db = useTestDatabase("full");

let monev: Actor;
let opdPu: Actor;
let warga: Actor;
const dinkesOfficer = actorWith("opd_officer", "opd", DINKES, "petugas.dinkes");
let proposalId: string;
let contract: { id: string; opd_id: string };
let subActivity: { id: string; opd_id: string };
let puId: string;

// Wednesday 2 December 2026, 10:00 WIB.
const wednesday = () => fixedClock("2026-12-02T03:00:00Z");
const DAY = 86_400_000;
let ip = 0;
const fresh = () => [sourceKey("ip", `10.0.0.${++ip}`)];

const REPORT = "Aspal jalan yang baru selesai sudah retak dan berlubang di beberapa titik setelah dua minggu hujan.";
const about = (over: Partial<SubmitComplaint> = {}): SubmitComplaint => ({
  targetKind: "proposal",
  targetId: proposalId,
  category: "normatif",
  text: REPORT,
  identity: "anonymous",
  sources: fresh(),
  ...over,
});

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationErrors) return { key: e.problems[0].key, kind: e.kind, field: e.problems[0].field };
    if (e instanceof DomainError) return { key: e.key, kind: e.kind, field: e.field };
    throw e;
  }
  throw new Error("expected a refusal");
}

async function version(id: string) {
  const [r] = await db.em().execute<{ version: number }[]>("select version from complaint where id = ?", [id]);
  return r.version;
}

beforeAll(async () => {
  await syncNationalHolidays(db.em());
  monev = await actorOf(db.em(), "monev");
  opdPu = await actorOf(db.em(), "opd.pu");
  warga = await actorOf(db.em(), "warga");
  const em = db.em();
  [{ id: puId }] = await em.execute<{ id: string }[]>("select id from opd where tenant_code = ? and code = ?", [T, PU]);
  [{ id: proposalId }] = await em.execute<{ id: string }[]>(
    "select id from proposal where tenant_code = ? and target_opd_id = ? and status in ('accepted','adopted') order by code limit 1",
    [T, puId],
  );
  [contract] = await em.execute<{ id: string; opd_id: string }[]>("select c.id, p.opd_id from contract c join proc_package p on p.id = c.package_id where c.tenant_code = ? limit 1", [T]);
  [subActivity] = await em.execute<{ id: string; opd_id: string }[]>("select id, opd_id from sub_activity where tenant_code = ? limit 1", [T]);
});

describe("the SLA in working days", () => {
  it("counts over a weekend, the national holidays and the tenant's own", async () => {
    // Friday 27 Nov 2026 + 2 working days (ringan) → Tuesday 1 Dec.
    const friday = fixedClock("2026-11-27T03:00:00Z");
    expect((await submitComplaint(db.em(), Actor.anonymous(T), friday, about({ category: "ringan" }))).slaDueOn).toBe("2026-12-01");
    // Wednesday 23 Dec + 5 (normatif): 24 cuti bersama, 25 Natal, weekend, 28–31, 1 Jan, weekend → Monday 4 Jan 2027.
    const beforeChristmas = fixedClock("2026-12-23T03:00:00Z");
    expect((await submitComplaint(db.em(), Actor.anonymous(T), beforeChristmas, about())).slaDueOn).toBe("2027-01-04");
    // A day the kabupaten adds (a local holiday) moves the due date too.
    await addTenantHoliday(db.em(), T, { day: "2026-12-01", name: "Libur daerah (uji)", kind: "libur_daerah" });
    expect((await submitComplaint(db.em(), Actor.anonymous(T), friday, about({ category: "ringan" }))).slaDueOn).toBe("2026-12-02");
    // 17:30 UTC on Friday is already Saturday in WIB: the SLA starts from Saturday.
    const lateFriday = fixedClock("2026-11-27T17:30:00Z");
    expect((await submitComplaint(db.em(), Actor.anonymous(T), lateFriday, about({ category: "ringan" }))).slaDueOn).toBe("2026-12-02");
  });
});

describe("a report from submission to closing", () => {
  it("is routed to the OPD, verified, forwarded, answered by that OPD only, rated and reopened once", async () => {
    const clock = wednesday();
    const r = await submitComplaint(db.em(), Actor.anonymous(T), clock, about());
    expect(r.status).toBe("received");
    expect(r.ticket).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(r.number).toMatch(/^ADU-2026-\d{6}$/);
    const [row] = await db.em().execute<{ opd_id: string; ticket_hash: string }[]>("select opd_id, ticket_hash from complaint where id = ?", [r.id]);
    expect(row.opd_id).toBe(puId);
    expect(row.ticket_hash).not.toContain(r.ticket.replace(/-/g, ""));

    // Nobody but the monev officer verifies; the OPD cannot take it before it is forwarded.
    expect(await refusal(actOnComplaint(db.em(), opdPu, clock, r.id, "verify", { expectedVersion: 1 }))).toMatchObject({ key: "auth.forbidden", kind: "forbidden" });
    await actOnComplaint(db.em(), monev, clock, r.id, "verify", { expectedVersion: 1 });
    expect(await refusal(actOnComplaint(db.em(), monev, clock, r.id, "forward", { expectedVersion: 1, opdCode: PU }))).toMatchObject({ kind: "conflict" });
    await actOnComplaint(db.em(), monev, clock, r.id, "forward", { expectedVersion: 2, opdCode: PU, note: "Mohon dicek bersama PPK." });

    // An officer of another OPD can neither take nor answer it.
    expect(await refusal(actOnComplaint(db.em(), dinkesOfficer, clock, r.id, "take", { expectedVersion: 3 }))).toMatchObject({ key: "auth.forbidden" });
    await actOnComplaint(db.em(), opdPu, clock, r.id, "take", { expectedVersion: 3 });
    expect(await refusal(actOnComplaint(db.em(), dinkesOfficer, clock, r.id, "answer", { expectedVersion: 4, answer: "Bukan kewenangan kami." }))).toMatchObject({ key: "auth.forbidden" });
    expect(await refusal(actOnComplaint(db.em(), opdPu, clock, r.id, "answer", { expectedVersion: 4, answer: "  " }))).toMatchObject({ key: "pengaduan.answerRequired" });
    const ANSWER = "Kontraktor diminta memperbaiki dalam masa pemeliharaan; perbaikan dijadwalkan minggu depan.";
    await actOnComplaint(db.em(), opdPu, clock, r.id, "answer", { expectedVersion: 4, answer: ANSWER });

    // The answer is public: on the report, in the list and on the proposal's page.
    const pub = await publicComplaint(db.em(), T, r.id, "2026-12-02");
    expect(pub).toMatchObject({ status: "answered", answer: ANSWER, opd: { code: PU } });
    expect(pub!.history.map((h) => h.action)).toEqual(["submit", "verify", "forward", "take", "answer"]);
    expect(pub!.history.map((h) => h.note).join(" ")).not.toContain("PPK"); // the forwarding note is internal
    expect((await publicComplaintsFor(db.em(), T, "proposal", proposalId, "2026-12-02")).find((c) => c.id === r.id)?.answer).toBe(ANSWER);

    // The reporter, with the ticket only: rates (closing it), reopens once, never twice.
    expect(await refusal(rateComplaint(db.em(), clock, T, "AAAA-BBBB-CCCC", 4))).toMatchObject({ key: "pengaduan.ticketUnknown", kind: "notFound" });
    expect(await refusal(actOnComplaint(db.em(), monev, clock, r.id, "reopen", { expectedVersion: 5, reason: "x" }))).toMatchObject({ kind: "forbidden" });
    await rateComplaint(db.em(), clock, T, r.ticket.toLowerCase().replace(/-/g, " "), 2);
    expect((await complaintByTicket(db.em(), T, r.ticket, "2026-12-02"))).toMatchObject({ status: "closed", rating: 2, canReopen: true });
    clock.advance(DAY);
    await reopenComplaint(db.em(), clock, T, r.ticket, "Sudah seminggu belum ada perbaikan.");
    const reopened = (await complaintByTicket(db.em(), T, r.ticket, "2026-12-03"))!;
    expect(reopened).toMatchObject({ status: "in_progress", canReopen: false });
    expect(reopened.slaDueOn).toBe("2026-12-10"); // Thursday 3 Dec + 5 working days
    await actOnComplaint(db.em(), opdPu, clock, r.id, "answer", { expectedVersion: await version(r.id), answer: "Perbaikan selesai 9 Desember." });
    expect(await refusal(reopenComplaint(db.em(), clock, T, r.ticket, "Masih retak."))).toMatchObject({ key: "pengaduan.reopenUsed" });
    await actOnComplaint(db.em(), monev, clock, r.id, "close", { expectedVersion: await version(r.id) });
    expect((await publicComplaint(db.em(), T, r.id, "2026-12-03"))!.status).toBe("closed");
  });

  it("is rejected as out of scope with a public reason, and goes no further", async () => {
    const clock = wednesday();
    const r = await submitComplaint(db.em(), Actor.anonymous(T), clock, about({ targetKind: "point", targetId: null, lat: "-7.18", lng: "111.89", regionCode: "35.22.06" }));
    const [row] = await db.em().execute<{ opd_id: string | null }[]>("select opd_id from complaint where id = ?", [r.id]);
    expect(row.opd_id).toBeNull(); // a map point waits in the monev officer's triage
    expect(await refusal(actOnComplaint(db.em(), monev, clock, r.id, "reject", { expectedVersion: 1, reason: "" }))).toMatchObject({ key: "pengaduan.reasonRequired" });
    await actOnComplaint(db.em(), monev, clock, r.id, "reject", { expectedVersion: 1, reason: "Jalan desa: kewenangan pemerintah desa, bukan kabupaten." });
    expect(await publicComplaint(db.em(), T, r.id, "2026-12-02")).toMatchObject({ status: "rejected", reason: "Jalan desa: kewenangan pemerintah desa, bukan kabupaten." });
    expect(await refusal(actOnComplaint(db.em(), monev, clock, r.id, "forward", { expectedVersion: 2, opdCode: PU }))).toMatchObject({ key: "pengaduan.illegalTransition" });
  });

  it("routes a contract to its package's OPD and a sub-activity to its OPD, and refuses unknown targets", async () => {
    const clock = wednesday();
    const c = await submitComplaint(db.em(), Actor.anonymous(T), clock, about({ targetKind: "contract", targetId: contract.id }));
    const s = await submitComplaint(db.em(), Actor.anonymous(T), clock, about({ targetKind: "sub_activity", targetId: subActivity.id }));
    const rows = await db.em().execute<{ id: string; opd_id: string }[]>("select id, opd_id from complaint where id in (?, ?)", [c.id, s.id]);
    expect(rows.find((r) => r.id === c.id)!.opd_id).toBe(contract.opd_id);
    expect(rows.find((r) => r.id === s.id)!.opd_id).toBe(subActivity.opd_id);
    expect(await refusal(submitComplaint(db.em(), Actor.anonymous(T), clock, about({ targetKind: "contract", targetId: proposalId })))).toMatchObject({ key: "pengaduan.targetNotFound" });
    expect(await refusal(submitComplaint(db.em(), Actor.anonymous(T), clock, about({ targetKind: "point", targetId: null, lat: "", lng: "" })))).toMatchObject({ key: "pengaduan.locationRequired" });
    expect(await refusal(submitComplaint(db.em(), Actor.anonymous(T), clock, about({ text: "rusak" })))).toMatchObject({ key: "pengaduan.textTooShort", field: "text" });
    expect(await refusal(submitComplaint(db.em(), Actor.anonymous(T), clock, about({ category: "lainnya" })))).toMatchObject({ key: "pengaduan.categoryUnknown" });
  });
});

describe("a reporter's personal data", () => {
  it("never reaches a public query, the OPD only when named, and the audit trail never for anonymous or confidential reports", async () => {
    const clock = wednesday();
    const named = await submitComplaint(db.em(), warga, clock, about({ identity: "named", name: "Sutrisno Wibowo", contact: "0812-3456-7001" }));
    const secret = await submitComplaint(db.em(), warga, clock, about({ identity: "confidential", name: "Dewi Lestari Rahasia", contact: "dewi.rahasia@example.id" }));
    const anon = await submitComplaint(db.em(), warga, clock, about({ identity: "anonymous", name: "Nama Yang Dibuang", contact: "0899-0000-0000" }));
    for (const r of [named, secret, anon]) {
      await actOnComplaint(db.em(), monev, clock, r.id, "verify", { expectedVersion: 1 });
      await actOnComplaint(db.em(), monev, clock, r.id, "forward", { expectedVersion: 2, opdCode: PU });
    }
    const [{ n }] = await db.em().execute<{ n: string }[]>("select count(*)::text as n from complaint_reporter where complaint_id = ?", [anon.id]);
    expect(n).toBe("0");

    const personal = ["Sutrisno", "0812-3456-7001", "Dewi Lestari", "dewi.rahasia", "Nama Yang Dibuang", "0899-0000-0000", warga.userId!, "warga"];
    const everythingPublic = JSON.stringify([
      await publicComplaints(db.em(), T, { perPage: 100 }, "2026-12-02"),
      await publicComplaintsFor(db.em(), T, "proposal", proposalId, "2026-12-02"),
      ...(await Promise.all([named, secret, anon].map((r) => publicComplaint(db.em(), T, r.id, "2026-12-02")))),
      ...(await Promise.all([named, secret, anon].map((r) => complaintByTicket(db.em(), T, r.ticket, "2026-12-02")))),
    ]);
    for (const p of personal) expect(everythingPublic).not.toContain(p);

    const forMonev = (await complaintQueue(db.em(), monev, {}, "2026-12-02")).items;
    expect(forMonev.find((i) => i.id === named.id)!.reporter).toEqual({ name: "Sutrisno Wibowo", contact: "0812-3456-7001" });
    expect(forMonev.find((i) => i.id === secret.id)!.reporter?.name).toBe("Dewi Lestari Rahasia");
    expect(forMonev.find((i) => i.id === anon.id)!.reporter).toBeNull();
    const forPu = (await complaintQueue(db.em(), opdPu, {}, "2026-12-02")).items;
    expect(forPu.find((i) => i.id === named.id)!.reporter?.name).toBe("Sutrisno Wibowo");
    expect(forPu.find((i) => i.id === secret.id)!.reporter).toBeNull();
    expect(forPu.find((i) => i.id === anon.id)!.actions).toEqual(["take"]);
    expect((await complaintQueue(db.em(), dinkesOfficer, {}, "2026-12-02")).items.map((i) => i.id)).not.toContain(named.id);

    const audit = await db.em().execute<{ entity_id: string; actor_id: string | null; actor_name: string; after: unknown }[]>(
      "select entity_id, actor_id, actor_name, after from audit_event where action = 'ComplaintSubmitted' and entity_id in (?, ?, ?)",
      [named.id, secret.id, anon.id],
    );
    const byId = new Map(audit.map((a) => [a.entity_id, a]));
    expect(byId.get(named.id)!.actor_id).toBe(warga.userId);
    for (const id of [secret.id, anon.id]) expect(byId.get(id)).toMatchObject({ actor_id: null, actor_name: "anonim" });
    const trail = JSON.stringify(audit.map((a) => a.after));
    for (const p of personal.slice(0, 6)) expect(trail).not.toContain(p);
  });
});

describe("abuse limits", () => {
  it("holds a report with a link or a banned word for moderation, out of public view until released", async () => {
    const clock = wednesday();
    const link = await submitComplaint(db.em(), Actor.anonymous(T), clock, about({ text: `${REPORT} Lihat videonya di https://contoh.example.com/v/123` }));
    const word = await submitComplaint(db.em(), Actor.anonymous(T), clock, about({ text: `${REPORT} Dasar kontraktor bangsat!` }));
    for (const r of [link, word]) {
      expect(r.status).toBe("held");
      expect(await publicComplaint(db.em(), T, r.id, "2026-12-02")).toBeNull();
    }
    const list = await publicComplaints(db.em(), T, { perPage: 100 }, "2026-12-02");
    expect(list.items.map((i) => i.id)).not.toContain(link.id);
    expect((await complaintByTicket(db.em(), T, link.ticket, "2026-12-02"))!.status).toBe("held");
    const queue = (await complaintQueue(db.em(), monev, { status: "held" }, "2026-12-02")).items;
    expect(queue.find((i) => i.id === link.id)!.heldReasons).toEqual(["link"]);
    expect(queue.find((i) => i.id === word.id)!.heldReasons).toEqual(["word"]);
    await actOnComplaint(db.em(), monev, clock, link.id, "release", { expectedVersion: 1 });
    await actOnComplaint(db.em(), monev, clock, word.id, "discard", { expectedVersion: 1, reason: "Kata kasar" });
    expect((await publicComplaint(db.em(), T, link.id, "2026-12-02"))!.status).toBe("received");
    expect(await publicComplaint(db.em(), T, word.id, "2026-12-02")).toBeNull();
  });

  it("holds a source's reports past 3 a day and refuses them past 10, per WIB day", async () => {
    const clock = wednesday();
    const src = [sourceKey("ip", "203.0.113.9"), sourceKey("session", "s-1")];
    const statuses: string[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await submitComplaint(db.em(), Actor.anonymous(T), clock, about({ sources: src }))).status);
    expect(statuses).toEqual(["received", "received", "received", ...Array(7).fill("held")]);
    expect(await refusal(submitComplaint(db.em(), Actor.anonymous(T), clock, about({ sources: src })))).toMatchObject({ key: "pengaduan.rateLimited" });
    // The same session from another address is still the same source.
    expect(await refusal(submitComplaint(db.em(), Actor.anonymous(T), clock, about({ sources: [sourceKey("ip", "198.51.100.1"), sourceKey("session", "s-1")] })))).toMatchObject({ key: "pengaduan.rateLimited" });
    clock.advance(DAY);
    expect((await submitComplaint(db.em(), Actor.anonymous(T), clock, about({ sources: src }))).status).toBe("received");
    const stored = await db.em().execute<{ source: string }[]>("select source from complaint_rate");
    expect(JSON.stringify(stored)).not.toContain("203.0.113.9");
  });

  it("refuses more than 3 photos", async () => {
    const photo = (i: number) => ({ filename: `f${i}.jpg`, contentType: "image/jpeg" as const, size: 10, sha256: `h${i}`, width: 1, height: 1, data: Buffer.from("x"), thumb: Buffer.from("x") });
    expect(await refusal(submitComplaint(db.em(), Actor.anonymous(T), wednesday(), about({ photos: [1, 2, 3, 4].map(photo) })))).toMatchObject({ key: "pengaduan.photoTooMany", field: "photos" });
  });
});

describe("escalation of overdue reports", () => {
  it("raises the level once past due and again a full SLA later, audited, idempotent", async () => {
    await db.em().execute("update complaint set escalation_level = 2 where escalation_level < 2"); // earlier tests' reports are out of the way
    const clock = fixedClock("2026-12-07T03:00:00Z"); // Monday 7 Dec
    const r = await submitComplaint(db.em(), Actor.anonymous(T), clock, about({ category: "ringan" }));
    expect(r.slaDueOn).toBe("2026-12-09");
    clock.advance(2 * DAY); // Wednesday 9 Dec: due today, not late
    expect(await escalateOverdue(db.em(), clock, T)).toBe(0);
    clock.advance(DAY); // Thursday 10 Dec
    expect(await escalateOverdue(db.em(), clock, T)).toBe(1);
    expect(await escalateOverdue(db.em(), clock, T)).toBe(0);
    expect((await publicComplaint(db.em(), T, r.id, "2026-12-10"))).toMatchObject({ overdue: true, escalationLevel: 1 });
    clock.advance(DAY); // Friday 11 Dec: 2 working days late = not more than the SLA of 2
    expect(await escalateOverdue(db.em(), clock, T)).toBe(0);
    clock.advance(3 * DAY); // Monday 14 Dec: 3 working days late
    expect(await escalateOverdue(db.em(), clock, T)).toBe(1);
    const [c] = await db.em().execute<{ escalation_level: number; version: number }[]>("select escalation_level, version from complaint where id = ?", [r.id]);
    expect(c).toEqual({ escalation_level: 2, version: 1 });
    const events = await db.em().execute<{ actor_name: string; after: { escalationLevel: number } }[]>(
      "select actor_name, after from audit_event where action = 'ComplaintEscalated' and entity_id = ? order by id",
      [r.id],
    );
    expect(events.map((e) => [e.actor_name, e.after.escalationLevel])).toEqual([["sistem", 1], ["sistem", 2]]);
  });
});
