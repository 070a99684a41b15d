/**
 * The demo kabupaten's e-Monev, played through the same use cases people use, on Dinas PU's road
 * reconstruction Dander–Ngunut (PT Karya Bengawan Solo, signed 5 January 2027, 6 January – 30 June 2027).
 * The story stays within the procurement story's horizon (January 2027):
 *
 *   6 Jan 2027    the PPK (`ppk.pu`) sets the contract schedule: five work items weighted by value, weekly
 *                 reports (the kurva S), the site at the road (illustrative point). The supervision
 *                 consultancy CV Cipta Rekayasa Konsultan is registered and its account `konsultan.pu`
 *                 created; the PPK assigns it to the road as konsultan pengawas.
 *   13 Jan        the contractor (`penyedia2`) reports week 1 with two geotagged photos (0% and periodic);
 *   14 Jan        the PPK verifies it (published as an OCDS implementation milestone).
 *   15 Jan        the uang muka (20% of the contract) is paid by SP2D on the road's DPA lines (`tapd`, as BUD).
 *   16–18 Jan     a resident reports, anonymously, material piled on the road by the school; the monev
 *                 officer verifies and forwards it to Dinas PU, whose officer answers it (public on the
 *                 contract's page, with no trace of the reporter).
 *   19 Jan        the contractor reports week 2; it waits for verification by the PPK (`ppk.pu`) or the
 *                 supervising consultant (`konsultan.pu`).
 *
 * Idempotent: does nothing when the road contract already has a schedule (but adds the konsultan pengawas to
 * a demo seeded before it). Every figure is illustrative.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import sharp from "sharp";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { createUser } from "../../domain/identity/users";
import { registerVendor } from "../../domain/procurement";
import { Money } from "../../domain/kernel/money";
import * as monev from "../../domain/monev";
import { actOnComplaint, submitComplaint } from "../../domain/oversight/complaints";
import { processPhotos } from "../media/photos";
import { DEMO_PASSWORD, DEMO_TENANT } from "./bojonegoro";
import { DemoClock } from "./clock";

const T = DEMO_TENANT.code;
const PU = "1.03.0.00.0.00.01.0000";
const ROAD_SUB = "1.03.10.2.01.0033";
/** The supervision consultancy of the road (illustrative NPWP and numbers) and its staff account, the konsultan pengawas. */
const CONSULTANCY = {
  npwp: "031112223606000",
  nib: "9120707070707",
  name: "CV Cipta Rekayasa Konsultan",
  address: "Jl. Diponegoro 21, Bojonegoro",
  qualification: "kecil",
  kbli: "71102",
  bankName: "Bank Jatim",
  bankAccount: "0055667788",
  bankHolder: "CV Cipta Rekayasa Konsultan",
};
export const DEMO_CONSULTANT = { username: "konsultan.pu", displayName: "Ir. Fajar Nugroho (CV Cipta Rekayasa Konsultan)" };
/** The road's site on Ruas Dander–Ngunut (illustrative point). */
const SITE = { lat: -7.236, lng: 111.84 };

/** A generated photo (a plain picture) with GPS position and capture time in its EXIF, processed by the real edge code. */
async function sitePhoto(name: string, at: { lat: number; lng: number }, taken: string, shade: number) {
  const dms = (x: number) => {
    const a = Math.abs(x);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    const s = Math.round(((a - d) * 60 - m) * 60 * 10000);
    return `${d}/1 ${m}/1 ${s}/10000`;
  };
  const bytes = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 120 + shade, g: 110, b: 90 } } })
    .withExif({
      IFD0: { Make: "Jejak demo" },
      IFD2: { DateTimeOriginal: taken },
      IFD3: { GPSLatitudeRef: at.lat < 0 ? "S" : "N", GPSLatitude: dms(at.lat), GPSLongitudeRef: "E", GPSLongitude: dms(at.lng) },
    })
    .jpeg()
    .toBuffer();
  const [p] = await processPhotos([{ name, bytes }]);
  return p;
}

/**
 * 6 Jan: the supervision consultancy (its own consultancy contract with Dinas PU is outside the demo) is
 * registered by the Pokja, its engineer's account `konsultan.pu` created by the admin, and the PPK assigns it
 * to the road. Also run on demo databases seeded before it; does nothing once the road has had a consultant.
 */
async function seedDemoConsultant(em: EntityManager, roadId: string, clock: DemoClock): Promise<void> {
  const f = () => em.fork();
  const [assigned] = await f().execute<{ id: string }[]>("select id from contract_supervisor where contract_id = ? limit 1", [roadId]);
  if (assigned) return;
  const account = async (username: string) => {
    const [u] = await f().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = ?", [T, username]);
    return (await loadActor(f(), T, u.id))!;
  };
  clock.at("2027-01-06 10:00");
  const [hasConsultancy] = await f().execute<{ id: string }[]>("select id from vendor where tenant_code = ? and npwp = ?", [T, CONSULTANCY.npwp]);
  if (!hasConsultancy) await registerVendor(f(), await account("pokja"), clock.tick(3), CONSULTANCY);
  const [hasConsultant] = await f().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = ?", [T, DEMO_CONSULTANT.username]);
  if (!hasConsultant)
    await createUser(f(), await account("admin"), clock.tick(5), {
      username: DEMO_CONSULTANT.username,
      displayName: DEMO_CONSULTANT.displayName,
      password: DEMO_PASSWORD,
      assignments: [{ role: "contractor", scopeCode: CONSULTANCY.npwp }],
    });
  await monev.assignSupervisor(f(), await account("ppk.pu"), clock.tick(10), roadId, { username: DEMO_CONSULTANT.username, letterNumber: "027/SPK-PENGAWASAN/412.201/2027 (ilustratif)" });
}

export async function seedDemoMonev(em: EntityManager): Promise<{ created: boolean }> {
  const [road] = await em.fork().execute<{ id: string; value: string; version: number; npwp: string; vendor: string }[]>(
    `select c.id, c.value::text as value, c.version, v.npwp, v.name as vendor from contract c join vendor v on v.id = c.vendor_id join proc_package p on p.id = c.package_id
       join sub_activity s on s.id = p.sub_activity_id
      where c.tenant_code = ? and c.status = 'signed' and s.sub_kegiatan_code = ? order by c.signed_on limit 1`,
    [T, ROAD_SUB],
  );
  if (!road) return { created: false };
  const [{ planned }] = await em.fork().execute<{ planned: number }[]>("select count(*)::int as planned from monev_plan where contract_id = ?", [road.id]);
  if (planned > 0) {
    // A demo database seeded before the konsultan pengawas: add it (once).
    const [{ signed }] = await em.fork().execute<{ signed: boolean }[]>("select status = 'signed' as signed from contract where id = ?", [road.id]);
    if (signed) await seedDemoConsultant(em, road.id, new DemoClock());
    return { created: false };
  }

  const account = async (username: string) => {
    const [u] = await em.fork().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = ?", [T, username]);
    return (await loadActor(em.fork(), T, u.id))!;
  };
  const ppk = await account("ppk.pu");
  const opd = await account("opd.pu");
  const officer = await account("monev");
  const bud = await account("tapd"); // the BUD (TAPD) pays by SP2D
  const contractor = new Actor(T, null, `penyedia.${road.npwp}`, road.vendor, [{ role: "contractor", scope: { kind: "vendor", code: road.npwp } }]);
  const clock = new DemoClock();
  const f = () => em.fork();

  // 6 Jan: the schedule. Weekly periods over the contract; each item planned over a share of them.
  clock.at("2027-01-06 09:00");
  const [c] = await f().execute<{ start: string; end: string }[]>("select to_char(start_date, 'YYYY-MM-DD') as start, to_char(end_date, 'YYYY-MM-DD') as end from contract where id = ?", [road.id]);
  const weeks = monev.periodsOf("weekly", c.start, c.end).length;
  const at = (share: number) => Math.max(1, Math.min(weeks, Math.round(share * weeks)));
  const parts = Money.idr(road.value).allocate(["5", "25", "40", "25", "5"]);
  const items = [
    { division: "Umum", name: "Mobilisasi dan persiapan", plannedStart: 1, plannedEnd: 2 },
    { division: "Pekerjaan tanah", name: "Galian dan timbunan badan jalan", plannedStart: 2, plannedEnd: at(0.3) },
    { division: "Perkerasan berbutir", name: "Lapis pondasi agregat kelas A", plannedStart: at(0.25), plannedEnd: at(0.65) },
    { division: "Perkerasan aspal", name: "Laston lapis aus (AC-WC)", plannedStart: at(0.6), plannedEnd: at(0.9) },
    { division: "Pekerjaan minor", name: "Marka, rambu dan bahu jalan", plannedStart: at(0.85), plannedEnd: weeks },
  ].map((it, i) => ({ ...it, value: parts[i].toString() }));
  await monev.setSchedule(f(), ppk, clock.tick(5), road.id, { periodKind: "weekly", siteLat: String(SITE.lat), siteLng: String(SITE.lng), items }, 0);

  // 6 Jan: the road's konsultan pengawas.
  await seedDemoConsultant(em, road.id, clock);

  // 13 Jan: week 1, with the 0% photo and a periodic one, both taken at the site.
  clock.at("2027-01-13 10:00");
  const week1 = await monev.submitReport(f(), contractor, clock.tick(3), road.id, {
    periodNo: 1,
    items: [
      { no: 1, physical: "60" },
      { no: 2, physical: "2" },
      { no: 3, physical: "0" },
      { no: 4, physical: "0" },
      { no: 5, physical: "0" },
    ],
    problems: "Hujan dua hari menunda pembersihan lahan.",
    actions: "Jam kerja ditambah pada hari cerah.",
    photos: [
      { ...(await sitePhoto("ruas-dander-ngunut-0persen.jpg", { lat: -7.23612, lng: 111.84021 }, "2027:01:06 08:15:00", 0)), milestone: "0" },
      { ...(await sitePhoto("minggu-1-pembersihan.jpg", { lat: -7.23588, lng: 111.84105 }, "2027:01:12 15:40:00", 30)), milestone: "periodic" },
    ],
    submit: true,
  });
  // 14 Jan: the PPK verifies it.
  clock.at("2027-01-14 09:00");
  const [r1] = await f().execute<{ version: number }[]>("select version from progress_report where id = ?", [week1]);
  await monev.verifyReport(f(), ppk, clock.tick(2), week1, r1.version);

  // 15 Jan: the advance (uang muka), 20% of the contract, paid by SP2D on the road's DPA lines.
  clock.at("2027-01-15 10:00");
  await monev.recordPayment(f(), bud, clock.tick(2), road.id, {
    kind: "uang_muka",
    amount: Money.idr(road.value).times("0.2").toString(),
    sp2dNumber: "0007/SP2D/LS/1.03/2027",
    paidOn: "2027-01-15",
  });

  // 16–18 Jan: a resident's report about the works, answered by Dinas PU.
  clock.at("2027-01-16 07:30");
  const anonymous = Actor.anonymous(T);
  const report = await submitComplaint(f(), anonymous, clock.tick(1), {
    targetKind: "contract",
    targetId: road.id,
    category: "normatif",
    text: "Tumpukan material timbunan menutup separuh badan jalan di depan SDN Ngunut sejak dua hari, berbahaya bagi anak sekolah pada pagi hari.",
    identity: "anonymous",
    sources: ["demo-seed"],
  });
  const version = async () => (await f().execute<{ version: number }[]>("select version from complaint where id = ?", [report.id]))[0].version;
  clock.at("2027-01-16 13:00");
  await actOnComplaint(f(), officer, clock.tick(1), report.id, "verify", { expectedVersion: await version() });
  await actOnComplaint(f(), officer, clock.tick(1), report.id, "forward", { expectedVersion: await version(), opdCode: PU });
  clock.at("2027-01-18 08:30");
  await actOnComplaint(f(), opd, clock.tick(1), report.id, "take", { expectedVersion: await version() });
  await actOnComplaint(f(), opd, clock.tick(30), report.id, "answer", {
    expectedVersion: await version(),
    answer: "Penyedia sudah diperintahkan memindahkan material ke sisi timur dan memasang rambu serta petugas pengatur lalu lintas pada jam berangkat sekolah. Pengawas lapangan memeriksanya setiap pagi.",
  });

  // 19 Jan: week 2, waiting for the PPK.
  clock.at("2027-01-19 16:00");
  await monev.submitReport(f(), contractor, clock.tick(3), road.id, {
    periodNo: 2,
    items: [
      { no: 1, physical: "100" },
      { no: 2, physical: "12" },
      { no: 3, physical: "0" },
      { no: 4, physical: "0" },
      { no: 5, physical: "0" },
    ],
    problems: "",
    actions: "",
    photos: [{ ...(await sitePhoto("minggu-2-timbunan.jpg", { lat: -7.23631, lng: 111.8415 }, "2027:01:19 14:05:00", 60)), milestone: "periodic" }],
    submit: true,
  });
  return { created: true };
}
