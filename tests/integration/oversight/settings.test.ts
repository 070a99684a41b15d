import { useTestDatabase } from "../../support/db";
import { actorOf, T } from "../../support/musrenbang";
import { Actor } from "../../../domain/identity/actor";
import { fixedClock } from "../../../domain/kernel/clock";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { escalateOverdue, submitComplaint, type SubmitComplaint } from "../../../domain/oversight/complaints";
import { categories } from "../../../domain/oversight/support";
import { complaintByTicket } from "../../../domain/oversight/queries";
import { sourceKey } from "../../../domain/oversight/rules";
import {
  addHoliday,
  changeHoliday,
  complaintSettings,
  removeHoliday,
  resetComplaintCategory,
  saveComplaintCategory,
  type CategoryInput,
} from "../../../domain/oversight/settings";
import { syncNationalHolidays } from "../../../imports/oversight/holidays";
import { translate } from "../../../app/i18n";

const db = useTestDatabase("full");

let admin: Actor;
let monev: Actor;
// Monday 1 February 2027, 10:00 WIB.
const monday = () => fixedClock("2027-02-01T03:00:00Z");
let ip = 0;
const report = (over: Partial<SubmitComplaint> = {}): SubmitComplaint => ({
  targetKind: "point",
  lat: "-7.150000",
  lng: "111.880000",
  category: "normatif",
  text: "Lampu penerangan jalan di perempatan ini mati sejak dua minggu, rawan kecelakaan malam hari.",
  identity: "anonymous",
  sources: [sourceKey("ip", `10.7.0.${++ip}`)],
  ...over,
});
const normatif = (over: Partial<CategoryInput> = {}): CategoryInput => ({ code: "normatif", name: "Normatif", slaDays: "5", position: "2", active: true, expectedVersion: 0, ...over });

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationErrors) return { key: e.problems[0].key, kind: e.kind, field: e.problems[0].field, fields: e.problems.map((x) => x.field) };
    if (e instanceof DomainError) return { key: e.key, kind: e.kind, field: e.field };
    throw e;
  }
  throw new Error("expected a refusal");
}

async function stored(id: string) {
  const [r] = await db
    .em()
    .execute<{ due: string; sla_days: number; escalation_level: number }[]>("select to_char(sla_due_on, 'YYYY-MM-DD') as due, sla_days, escalation_level from complaint where id = ?", [id]);
  return r;
}

async function audited(action: string) {
  return db.em().execute<{ entity_id: string; before: unknown; after: unknown; actor_name: string }[]>("select entity_id, before, after, actor_name from audit_event where tenant_code = ? and action = ? order by id", [T, action]);
}

beforeAll(async () => {
  await syncNationalHolidays(db.em());
  admin = await actorOf(db.em(), "admin");
  monev = await actorOf(db.em(), "monev");
});

describe("complaint categories, set by the tenant's admin", () => {
  it("only the admin reads or changes them", async () => {
    expect(await refusal(complaintSettings(db.em(), monev, 2027))).toMatchObject({ key: "auth.forbidden", kind: "forbidden" });
    expect(await refusal(saveComplaintCategory(db.em(), monev, monday(), normatif({ slaDays: "7" })))).toMatchObject({ key: "auth.forbidden" });
    expect(await refusal(addHoliday(db.em(), Actor.anonymous(T), monday(), { day: "2027-02-03", name: "Libur", kind: "libur_daerah" }))).toMatchObject({ key: "auth.loginRequired" });
    const s = await complaintSettings(db.em(), admin, 2027);
    expect(s.categories.map((c) => [c.code, c.slaDays, c.origin, c.version])).toEqual([
      ["ringan", 2, "national", 0],
      ["normatif", 5, "national", 0],
      ["non_pengawasan", 14, "national", 0],
      ["investigasi", 60, "national", 0],
    ]);
  });

  it("a changed SLA applies to new reports only: due dates and escalation of reports already filed stay", async () => {
    // Monday 1 Feb 2027 + 5 working days → Monday 8 Feb.
    const before = await submitComplaint(db.em(), Actor.anonymous(T), monday(), report());
    expect(before.slaDueOn).toBe("2027-02-08");

    const saved = await saveComplaintCategory(db.em(), admin, monday(), normatif({ slaDays: "7", name: "Normatif (daerah)" }));
    expect(saved).toMatchObject({ code: "normatif", slaDays: 7, origin: "override", version: 1, national: { slaDays: 5, name: "Normatif" }, reports: 1 });
    expect((await categories(db.em(), T)).find((c) => c.code === "normatif")).toEqual({ code: "normatif", name: "Normatif (daerah)", slaDays: 7, nationalName: false });
    // Another tenant still sees the national default.
    expect((await categories(db.em(), "35.23")).find((c) => c.code === "normatif")!.slaDays).toBe(5);

    const after = await submitComplaint(db.em(), Actor.anonymous(T), monday(), report());
    expect(after.slaDueOn).toBe("2027-02-10");
    expect(await stored(before.id)).toMatchObject({ due: "2027-02-08", sla_days: 5 });
    expect(await stored(after.id)).toMatchObject({ due: "2027-02-10", sla_days: 7 });

    // Tuesday 16 Feb: 6 working days past the first report's due date, more than its own SLA of 5 (not the
    // category's 7 now): level 2.
    await escalateOverdue(db.em(), fixedClock("2027-02-16T03:00:00Z"), T);
    expect((await stored(before.id)).escalation_level).toBe(2);
    expect((await stored(after.id)).escalation_level).toBe(1);

    const [event] = await audited("ComplaintCategorySaved");
    expect(event).toMatchObject({ entity_id: `${T}:normatif`, actor_name: "admin" });
    expect(event.before).toMatchObject({ slaDays: 5, national: true });
    expect(event.after).toMatchObject({ slaDays: 7 });
  });

  it("refuses a stale form, and resets an override to the national default", async () => {
    // The form showed the national default (version 0), but the tenant's row exists now.
    expect(await refusal(saveComplaintCategory(db.em(), admin, monday(), normatif({ slaDays: "9" })))).toMatchObject({ key: "concurrency.stale", kind: "conflict" });
    await saveComplaintCategory(db.em(), admin, monday(), normatif({ slaDays: "9", expectedVersion: 1 }));
    expect(await refusal(saveComplaintCategory(db.em(), admin, monday(), normatif({ slaDays: "4", expectedVersion: 1 })))).toMatchObject({ key: "concurrency.stale" });
    expect(await refusal(resetComplaintCategory(db.em(), admin, monday(), "normatif", 1))).toMatchObject({ key: "concurrency.stale" });
    await resetComplaintCategory(db.em(), admin, monday(), "normatif", 2);
    expect((await categories(db.em(), T)).find((c) => c.code === "normatif")).toEqual({ code: "normatif", name: "Normatif", slaDays: 5, nationalName: true });
    expect((await submitComplaint(db.em(), Actor.anonymous(T), monday(), report())).slaDueOn).toBe("2027-02-08");
    expect(await audited("ComplaintCategoryReset")).toHaveLength(1);
  });

  it("names every bad field in Indonesian", async () => {
    const r = await refusal(saveComplaintCategory(db.em(), admin, monday(), { code: "Jalan Rusak", name: " ", slaDays: "0", position: "x", active: true, expectedVersion: 0 }));
    expect(r).toMatchObject({ key: "pengaduan.setting.codeFormat", fields: ["code", "name", "slaDays", "position"] });
    expect(await refusal(saveComplaintCategory(db.em(), admin, monday(), normatif({ slaDays: "366" })))).toMatchObject({ field: "slaDays", key: "pengaduan.setting.slaRange" });
    expect(await refusal(saveComplaintCategory(db.em(), admin, monday(), normatif({ slaDays: "2.5" })))).toMatchObject({ field: "slaDays" });
    expect(translate("id", "pengaduan.setting.slaRange", { min: 1, max: 365 })).toBe("Batas waktu (SLA): bilangan bulat 1–365 hari kerja.");
    expect(translate("id", "pengaduan.setting.codeFormat")).toMatch(/^Kode: /);
    expect(translate("id", "pengaduan.holiday.weekend", { day: "2027-02-06" })).toMatch(/^Tanggal: 2027-02-06/);
  });

  it("adds the tenant's own category; switched off, it is no longer offered but its reports keep it", async () => {
    const own = { code: "jalan_rusak", name: "Jalan rusak", slaDays: "3", position: "0", active: true, expectedVersion: 0 };
    await saveComplaintCategory(db.em(), admin, monday(), own);
    expect((await categories(db.em(), T))[0]).toEqual({ code: "jalan_rusak", name: "Jalan rusak", slaDays: 3, nationalName: false });
    // A second "new" category with a code already taken is not a silent overwrite.
    expect(await refusal(saveComplaintCategory(db.em(), admin, monday(), { ...own, code: "jalan_rusak" }))).toMatchObject({ key: "concurrency.stale" });

    const filed = await submitComplaint(db.em(), Actor.anonymous(T), monday(), report({ category: "jalan_rusak" }));
    expect(filed.slaDueOn).toBe("2027-02-04");
    // Its public page names it as the tenant does; a national category keeps its (translatable) default name.
    expect(await complaintByTicket(db.em(), T, filed.ticket, "2027-02-01")).toMatchObject({ category: "jalan_rusak", categoryName: "Jalan rusak", categoryNational: false });
    const national = await submitComplaint(db.em(), Actor.anonymous(T), monday(), report({ category: "investigasi" }));
    expect(await complaintByTicket(db.em(), T, national.ticket, "2027-02-01")).toMatchObject({ categoryName: "Memerlukan investigasi", categoryNational: true });
    expect(await refusal(resetComplaintCategory(db.em(), admin, monday(), "jalan_rusak", 1))).toMatchObject({ key: "pengaduan.setting.categoryInUse", field: "code" });

    await saveComplaintCategory(db.em(), admin, monday(), { ...own, active: false, expectedVersion: 1 });
    expect((await categories(db.em(), T)).map((c) => c.code)).not.toContain("jalan_rusak");
    expect(await refusal(submitComplaint(db.em(), Actor.anonymous(T), monday(), report({ category: "jalan_rusak" })))).toMatchObject({ key: "pengaduan.categoryUnknown" });
    // Its report still escalates on its own SLA (3 working days): Tuesday 16 Feb is 8 working days late.
    await escalateOverdue(db.em(), fixedClock("2027-02-16T03:00:00Z"), T);
    expect((await stored(filed.id)).escalation_level).toBe(2);

    // An unused category of the tenant's own can be deleted.
    await saveComplaintCategory(db.em(), admin, monday(), { ...own, code: "lain_lain", name: "Lain-lain" });
    await resetComplaintCategory(db.em(), admin, monday(), "lain_lain", 1);
    expect((await complaintSettings(db.em(), admin, 2027)).categories.map((c) => c.code)).not.toContain("lain_lain");
    expect(await audited("ComplaintCategoryRemoved")).toHaveLength(1);
  });

  it("keeps at least one category active", async () => {
    const s = await complaintSettings(db.em(), admin, 2027);
    const active = s.categories.filter((c) => c.active);
    for (const c of active.slice(0, -1)) await saveComplaintCategory(db.em(), admin, monday(), { ...c, slaDays: String(c.slaDays), position: String(c.position), active: false, expectedVersion: c.version });
    const last = active[active.length - 1];
    expect(await refusal(saveComplaintCategory(db.em(), admin, monday(), { ...last, slaDays: String(last.slaDays), position: String(last.position), active: false, expectedVersion: last.version }))).toMatchObject({
      key: "pengaduan.setting.lastActive",
      field: "active",
    });
    expect((await categories(db.em(), T)).map((c) => c.code)).toEqual([last.code]);
  });
});

describe("the tenant's holidays", () => {
  it("a local holiday moves the due date of new reports only", async () => {
    // Switched off by the previous test: on again.
    const s = await complaintSettings(db.em(), admin, 2027);
    await saveComplaintCategory(db.em(), admin, monday(), { code: "ringan", name: "Ringan", slaDays: "2", position: "1", active: true, expectedVersion: s.categories.find((c) => c.code === "ringan")!.version });
    // Monday 1 Feb + 2 working days → Wednesday 3 Feb; with a local holiday on 3 Feb → Thursday 4 Feb.
    const before = await submitComplaint(db.em(), Actor.anonymous(T), monday(), report({ category: "ringan" }));
    expect(before.slaDueOn).toBe("2027-02-03");
    await addHoliday(db.em(), admin, monday(), { day: "2027-02-03", name: "Hari Jadi (uji)", kind: "libur_daerah" });
    const after = await submitComplaint(db.em(), Actor.anonymous(T), monday(), report({ category: "ringan" }));
    expect(after.slaDueOn).toBe("2027-02-04");
    expect((await stored(before.id)).due).toBe("2027-02-03");

    const listed = await complaintSettings(db.em(), admin, 2027);
    expect(listed.holidays).toEqual([{ day: "2027-02-03", name: "Hari Jadi (uji)", kind: "libur_daerah", version: 1 }]);
    expect(listed.national.map((h) => h.day)).toContain("2027-01-01");
    expect((await audited("HolidayAdded"))[0].after).toEqual({ day: "2027-02-03", name: "Hari Jadi (uji)", kind: "libur_daerah" });
  });

  it("refuses a weekend, a national holiday, a day already listed and a bad date, naming the field", async () => {
    const add = (day: string, kind = "libur_daerah") => refusal(addHoliday(db.em(), admin, monday(), { day, name: "Libur daerah", kind }));
    expect(await add("2027-02-06")).toMatchObject({ key: "pengaduan.holiday.weekend", field: "day" });
    expect(await add("2027-01-05")).toMatchObject({ key: "pengaduan.holiday.national", field: "day" });
    expect(await add("2027-02-03")).toMatchObject({ key: "pengaduan.holiday.exists", field: "day" });
    expect(await add("2027-02-30")).toMatchObject({ key: "pengaduan.holiday.dayFormat", field: "day" });
    expect(await add("2027-02-04", "libur_nasional")).toMatchObject({ key: "pengaduan.holiday.kind", field: "kind" });
  });

  it("renames and removes a day with its version", async () => {
    expect(await refusal(changeHoliday(db.em(), admin, monday(), { day: "2027-02-03", name: "Hari Jadi Bojonegoro", kind: "libur_daerah", expectedVersion: 0 }))).toMatchObject({ key: "concurrency.stale" });
    await changeHoliday(db.em(), admin, monday(), { day: "2027-02-03", name: "Hari Jadi Bojonegoro", kind: "cuti_bersama", expectedVersion: 1 });
    expect((await complaintSettings(db.em(), admin, 2027)).holidays).toEqual([{ day: "2027-02-03", name: "Hari Jadi Bojonegoro", kind: "cuti_bersama", version: 2 }]);
    expect(await refusal(removeHoliday(db.em(), admin, monday(), "2027-02-03", 1))).toMatchObject({ key: "concurrency.stale" });
    await removeHoliday(db.em(), admin, monday(), "2027-02-03", 2);
    expect((await complaintSettings(db.em(), admin, 2027)).holidays).toEqual([]);
    expect((await submitComplaint(db.em(), Actor.anonymous(T), monday(), report({ category: "ringan" }))).slaDueOn).toBe("2027-02-03");
    expect(await audited("HolidayRemoved")).toHaveLength(1);
  });
});
