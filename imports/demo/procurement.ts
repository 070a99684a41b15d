/**
 * The demo kabupaten's e-Procurement for 2027, played through the same use cases people use (so the audit
 * trail, the machines, the sealed bids and the proposals' public timelines are real). The fiscal year is
 * 2027; the story runs from the DPAs of November 2026 into January 2027:
 *
 *   19 Nov 2026   the Pokja of the UKPBJ registers six vendors (one blacklisted until 2027 after a
 *                 terminated 2025 contract).
 *   20 Nov        Dinas PU's PPK plans and announces in the RUP: the road reconstruction Dander–Ngunut
 *                 (tender, construction, on the road lines of 1.03.10.2.01.0033 — the sub-activity that took
 *                 up Ngunut's and Dander's road proposals — all but its largest line, left unpackaged for a
 *                 second package, which the browser test plans) and the urban drainage works (pengadaan langsung,
 *                 construction ≤ Rp400 jt under Perpres 46/2025). Dinas PU SDA plans its irrigation
 *                 rehabilitation (tender).
 *   23 Nov–7 Dec  the road tender: announced, aanwijzing with a question and its answer, three sealed bids,
 *                 opened on 7 Dec; one bid fails the technical evaluation; the winner is announced on
 *                 9 Dec; a losing bidder's sanggah is answered (not upheld); after the sanggah banding
 *                 period the PPK issues the SPPBJ (17 Dec) and signs the contract on 5 Jan 2027.
 *   24 Nov–1 Dec  the drainage works: one vendor invited, its offer opened and negotiated, SPK signed.
 *   24 Nov        Dinas PU SDA invites CV Maju Bersama to offer for its irrigation works by 20 Jan 2027:
 *                 sign in as `penyedia` to send the offer from a phone.
 *   26 Nov        Dinas Perhubungan's road markings tender is announced, taking sealed bids until
 *                 20 Jan 2027 (one already in).
 *
 * Idempotent: does nothing when the tenant has procurement packages already. Demo data: every number,
 * NPWP and letter number is illustrative.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { createUser } from "../../domain/identity/users";
import { Money } from "../../domain/kernel/money";
import * as proc from "../../domain/procurement";
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS, DEMO_VENDOR } from "./bojonegoro";
import { DemoClock, wib } from "./clock";

const T = DEMO_TENANT.code;
const YEAR = 2027;
const PU = "1.03.0.00.0.00.01.0000";
const PUSDA = "1.03.0.00.0.00.02.0000";
const ROAD_SUB = "1.03.10.2.01.0033";
const DRAINAGE_SUB = "1.03.06.2.01.0024";
const IRRIGATION_SUB = "1.03.02.2.02.0014";
const DISHUB = "2.15.0.00.0.00.01.0000";
const MARKING_SUB = "2.15.02.2.02.0002";

/** The demo vendors (NPWPs and NIBs illustrative). CV Maju Bersama is the `penyedia` account's vendor. */
export const DEMO_VENDORS = [
  { npwp: DEMO_VENDOR, nib: "9120101010101", name: "CV Maju Bersama", address: "Jl. Veteran 12, Bojonegoro", qualification: "kecil", kbli: "42101", bankName: "Bank Jatim", bankAccount: "0011223344", bankHolder: "CV Maju Bersama" },
  { npwp: "026665551606000", nib: "9120202020202", name: "PT Karya Bengawan Solo", address: "Jl. Panglima Sudirman 88, Bojonegoro", qualification: "non_kecil", kbli: "42101,42912", bankName: "BRI", bankAccount: "003301000123567", bankHolder: "PT Karya Bengawan Solo" },
  { npwp: "3522064407800003", nib: "9120303030303", name: "CV Sinar Dander", address: "Desa Ngunut, Kec. Dander", qualification: "kecil", kbli: "42101", bankName: "Bank Jatim", bankAccount: "0044556677", bankHolder: "CV Sinar Dander" },
  { npwp: "027778889606000", nib: "9120404040404", name: "PT Aspal Mulia Nusantara", address: "Jl. Raya Tuban 5, Tuban", qualification: "non_kecil", kbli: "42101,23950", bankName: "Mandiri", bankAccount: "1410009988776", bankHolder: "PT Aspal Mulia Nusantara" },
  { npwp: "028889990606000", nib: "9120505050505", name: "CV Tirta Makmur", address: "Kec. Kalitidu, Bojonegoro", qualification: "kecil", kbli: "42911", bankName: "BNI", bankAccount: "0987654321", bankHolder: "CV Tirta Makmur" },
  { npwp: "029990001606000", nib: "9120606060606", name: "PT Cahaya Teknik Mandiri", address: "Jl. Ahmad Yani 40, Lamongan", qualification: "non_kecil", kbli: "42101", bankName: "BCA", bankAccount: "7770001112", bankHolder: "PT Cahaya Teknik Mandiri" },
] as const;
const BLACKLISTED = "PT Cahaya Teknik Mandiri";
/** The winner of the road tender, the demo's second contractor account (`penyedia2`). */
export const DEMO_ROAD_WINNER = "PT Karya Bengawan Solo";

export async function seedDemoProcurement(em: EntityManager): Promise<{ created: boolean; packages: number }> {
  const [{ n }] = await em.fork().execute<{ n: number }[]>("select count(*)::int as n from proc_package where tenant_code = ?", [T]);
  if (n > 0) return { created: false, packages: 0 };
  const [{ dpas }] = await em.fork().execute<{ dpas: number }[]>("select count(*)::int as dpas from dpa d join apbd a on a.id = d.apbd_id where a.tenant_code = ? and a.fiscal_year = ?", [T, YEAR]);
  if (dpas === 0) return { created: false, packages: 0 };

  const system = Actor.system(T, "seed-demo");
  const clock = new DemoClock();
  // Accounts added with e-Procurement, for demo databases made before it; the contractor's scope becomes its vendor's NPWP.
  for (const u of DEMO_USERS) {
    const [exists] = await em.fork().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = ?", [T, u.username]);
    if (!exists) await createUser(em.fork(), system, clock.at("2026-11-19 08:00"), { username: u.username, displayName: u.displayName, password: DEMO_PASSWORD, assignments: [{ role: u.role, scopeCode: u.scopeCode }] });
  }
  await em.fork().execute("update role_assignment set scope_code = ? where tenant_code = ? and role = 'contractor' and scope_code = 'cv-maju-bersama'", [DEMO_VENDOR, T]);
  const account = async (username: string) => {
    const [u] = await em.fork().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = ?", [T, username]);
    return (await loadActor(em.fork(), T, u.id))!;
  };
  const pokja = await account("pokja");
  const pokja2 = await account("pokja2");
  const ppk = await account("ppk.pu");
  const ppkSda = new Actor(T, null, "ppk.pusda", "Heru Santoso (PPK Dinas PU SDA)", [{ role: "procurement_officer", scope: { kind: "opd", code: PUSDA } }]);
  const f = () => em.fork();

  // 19 Nov: the vendor registry.
  clock.at("2026-11-19 10:00");
  const vendors = new Map<string, { id: string; actor: Actor }>();
  for (const v of DEMO_VENDORS) {
    const id = await proc.registerVendor(f(), pokja, clock.tick(7), { ...v });
    vendors.set(v.name, { id, actor: new Actor(T, null, `penyedia.${v.npwp}`, v.name, [{ role: "contractor", scope: { kind: "vendor", code: proc.parseNpwp(v.npwp) } }]) });
  }
  await proc.blacklistVendor(f(), pokja, clock.tick(15), vendors.get(BLACKLISTED)!.id, {
    startsOn: "2026-02-01",
    endsOn: "2027-01-31",
    reason: "Pemutusan kontrak pembangunan jembatan desa 2025 karena keterlambatan melebihi 50 hari kalender",
    legalBasis: "Keputusan PA Dinas PU Bina Marga Nomor 600/045/412.201/2026 (ilustratif)",
  });
  const vendor = (name: string) => vendors.get(name)!;

  const linesOf = async (opd: string, sub: string) => (await proc.procurableLines(f(), T, YEAR, opd)).lines.filter((l) => l.sub_code === sub && Money.idr(l.left).exceeds(Money.zero));
  const version = async (tender: string) => (await proc.loadTender(f(), T, tender)).version;
  const packageVersion = async (id: string) => (await proc.loadPackage(f(), T, id)).version;
  let packages = 0;

  // 20 Nov: the RUP.
  clock.at("2026-11-20 09:00");
  const road = await proc.planPackage(f(), ppk, clock, {
    opdCode: PU,
    fiscalYear: YEAR,
    name: "Rekonstruksi Jalan Ruas Dander–Ngunut (900 m)",
    description: "Rekonstruksi jalan kabupaten 900 m × 6 m: tanah dasar, lapis pondasi agregat, lapis aspal, pelengkap jalan.",
    volume: "900 m",
    type: "penyedia",
    kind: "konstruksi",
    method: "tender",
    pdn: true,
    // Every road line but the largest, which Dinas PU has not packaged yet (left for a second package).
    lines: (await linesOf(PU, ROAD_SUB))
      .sort((a, b) => Money.idr(a.left).compare(Money.idr(b.left)))
      .slice(0, -1)
      .map((l) => ({ lineKey: l.line_key, amount: l.left })),
    locations: [
      { regionCode: "35.22.06.2001", detail: "Ruas Ngunut" },
      { regionCode: "35.22.06", detail: "Kecamatan Dander" },
    ],
    selectionStart: "2026-11-23",
    selectionEnd: "2026-12-31",
    executionStart: "2027-01-06",
    executionEnd: "2027-06-30",
    ppkName: ppk.displayName,
  });
  await proc.announcePackage(f(), ppk, clock.tick(30), road, await packageVersion(road));
  packages++;

  // The drainage works: a single package under the pengadaan langsung ceiling for construction.
  const drainageLines = await linesOf(PU, DRAINAGE_SUB);
  let room = Money.idr("395000000.00");
  const drainagePick: { lineKey: string; amount: string }[] = [];
  for (const l of drainageLines) {
    if (!room.exceeds(Money.zero)) break;
    const take = Money.idr(l.left).exceeds(room) ? room : Money.idr(l.left);
    drainagePick.push({ lineKey: l.line_key, amount: take.toString() });
    room = room.minus(take);
  }
  let drainage: string | null = null;
  if (drainagePick.length) {
    drainage = await proc.planPackage(f(), ppk, clock.tick(40), {
      opdCode: PU,
      fiscalYear: YEAR,
      name: "Pembangunan Saluran Drainase Jl. Untung Suropati (tahap I)",
      volume: "420 m",
      type: "penyedia",
      kind: "konstruksi",
      method: "pengadaan_langsung",
      umk: true,
      lines: drainagePick,
      locations: [{ regionCode: "35.22.14", detail: "Kecamatan Bojonegoro" }],
      selectionStart: "2026-11-24",
      selectionEnd: "2026-12-05",
      executionStart: "2027-01-11",
      executionEnd: "2027-04-30",
      ppkName: ppk.displayName,
    });
    await proc.announcePackage(f(), ppk, clock.tick(20), drainage, await packageVersion(drainage));
    packages++;
  }

  const irrigationLines = await linesOf(PUSDA, IRRIGATION_SUB);
  let irrigation: string | null = null;
  if (irrigationLines.length) {
    const total = Money.sum(irrigationLines.map((l) => Money.idr(l.left)));
    irrigation = await proc.planPackage(f(), ppkSda, clock.tick(60), {
      opdCode: PUSDA,
      fiscalYear: YEAR,
      name: "Rehabilitasi Jaringan Irigasi Daerah Irigasi Pacal Kanan",
      volume: "1 paket",
      type: "penyedia",
      kind: "konstruksi",
      method: total.exceeds(Money.idr("400000000")) ? "tender" : "pengadaan_langsung",
      umk: true,
      lines: irrigationLines.map((l) => ({ lineKey: l.line_key, amount: l.left })),
      locations: [{ regionCode: "35.22.06", detail: "DI Pacal, Kecamatan Dander" }],
      selectionStart: "2026-11-24",
      selectionEnd: "2027-02-15",
      executionStart: "2027-05-03",
      executionEnd: "2027-09-30",
      ppkName: ppkSda.displayName,
    });
    await proc.announcePackage(f(), ppkSda, clock.tick(20), irrigation, await packageVersion(irrigation));
    packages++;
  }

  // The road tender.
  const roadPkg = await proc.loadPackage(f(), T, road);
  const hps = Money.idr(roadPkg.pagu).times("0.985");
  const at = (s: string) => wib(s).toISOString();
  clock.at("2026-11-20 14:00");
  const roadTender = await proc.createTender(f(), ppk, clock, road, {
    hps: hps.toString(),
    evaluationMethod: "harga_terendah",
    qualification: "pasca",
    requirements: "SBU SI001 (jalan raya) kualifikasi kecil/menengah; pengalaman pekerjaan jalan dalam 4 tahun terakhir; personel manajerial: manajer pelaksanaan dan ahli K3 konstruksi.",
    documents: [
      { title: "Dokumen Pemilihan Tender Pekerjaan Konstruksi", ref: "DP/PU-BM/2027/001" },
      { title: "Spesifikasi Teknis dan Gambar Rencana", ref: "SPEK/PU-BM/2027/001" },
    ],
    schedule: {
      pengumuman: { startsAt: at("2026-11-23 08:00"), endsAt: at("2026-11-30 23:59") },
      download_dokumen: { startsAt: at("2026-11-23 08:00"), endsAt: at("2026-12-07 09:59") },
      aanwijzing: { startsAt: at("2026-11-25 09:00"), endsAt: at("2026-11-25 12:00") },
      upload_penawaran: { startsAt: at("2026-11-26 08:00"), endsAt: at("2026-12-07 10:00") },
      pembukaan: { startsAt: at("2026-12-07 11:00"), endsAt: at("2026-12-07 15:00") },
      evaluasi: { startsAt: at("2026-12-07 15:00"), endsAt: at("2026-12-08 16:00") },
      pengumuman_pemenang: { startsAt: at("2026-12-09 08:00"), endsAt: at("2026-12-09 16:00") },
      sanggah: { startsAt: at("2026-12-09 16:00"), endsAt: at("2026-12-14 16:00") },
      sppbj: { startsAt: at("2026-12-17 08:00"), endsAt: at("2026-12-18 16:00") },
    },
  });
  await proc.assignPokja(f(), pokja, clock.tick(60), roadTender, ["pokja", "pokja2"]);
  clock.at("2026-11-23 08:00");
  await proc.announceTender(f(), pokja, clock, roadTender, await version(roadTender));
  clock.at("2026-11-24 10:15");
  const q = await proc.askQuestion(f(), vendor("PT Aspal Mulia Nusantara").actor, clock, roadTender, "Apakah lapis pondasi agregat kelas B boleh diganti dengan agregat kelas A dengan harga satuan yang sama?");
  clock.at("2026-11-25 10:30");
  await proc.answerQuestion(f(), pokja2, clock, roadTender, q, "Boleh, sepanjang memenuhi spesifikasi umum Bina Marga 2018 revisi 2; harga satuan penawaran tetap menjadi tanggung jawab penyedia.");
  const bids: [string, string, string][] = [
    ["PT Karya Bengawan Solo", "2026-12-04 14:20", "0.9312"],
    ["CV Sinar Dander", "2026-12-06 09:05", "0.9105"],
    ["PT Aspal Mulia Nusantara", "2026-12-07 08:41", "0.9589"],
  ];
  for (const [name, when, share] of bids) {
    clock.at(when);
    await proc.submitBid(f(), vendor(name).actor, clock, roadTender, { price: hps.times(share).toString(), note: "Penawaran harga dan dokumen teknis terlampir (demo)." });
  }
  clock.at("2026-12-07 11:00");
  await proc.openTender(f(), pokja, clock, roadTender, await version(roadTender));
  clock.at("2026-12-07 13:00");
  await proc.signPakta(f(), pokja, clock, roadTender);
  await proc.signPakta(f(), pokja2, clock.tick(5), roadTender);
  const bidOf = async (name: string) => (await f().execute<{ id: string }[]>("select id from bid where tender_id = ? and vendor_id = ? and status = 'opened'", [roadTender, vendor(name).id]))[0].id;
  clock.at("2026-12-08 09:00");
  await proc.evaluateBid(f(), pokja, clock, roadTender, await bidOf("CV Sinar Dander"), {
    adminPass: true,
    techPass: false,
    qualPass: false,
    reason: "Metode pelaksanaan tidak mencantumkan tahapan pemadatan lapis pondasi; SBU kualifikasi kecil tidak memenuhi persyaratan nilai paket.",
  });
  await proc.evaluateBid(f(), pokja, clock.tick(40), roadTender, await bidOf("PT Karya Bengawan Solo"), { adminPass: true, techPass: true, qualPass: true, correctedPrice: hps.times("0.9312").minus(Money.idr("125000.00")).toString(), reason: "Koreksi aritmatik pada mata pembayaran 3.2.(1): volume × harga satuan." });
  await proc.evaluateBid(f(), pokja2, clock.tick(40), roadTender, await bidOf("PT Aspal Mulia Nusantara"), { adminPass: true, techPass: true, qualPass: true });
  clock.at("2026-12-08 15:30");
  await proc.concludeEvaluation(f(), pokja, clock, roadTender, await version(roadTender));
  clock.at("2026-12-09 08:00");
  await proc.announceWinner(f(), pokja, clock, roadTender, await version(roadTender));
  clock.at("2026-12-10 11:20");
  const s = await proc.fileSanggah(f(), vendor("CV Sinar Dander").actor, clock, roadTender, "sanggah", "Kami keberatan atas penilaian metode pelaksanaan: tahapan pemadatan tercantum pada lampiran 4 dokumen penawaran kami.");
  clock.at("2026-12-11 14:00");
  await proc.answerSanggah(f(), pokja, clock, roadTender, s, {
    answer: "Lampiran 4 memuat jadwal, bukan metode pemadatan lapis pondasi; selain itu kualifikasi SBU tidak memenuhi. Sanggahan tidak diterima.",
    upheld: false,
  });
  clock.at("2026-12-17 09:00");
  const roadContract = await proc.issueSppbj(f(), ppk, clock, roadTender, { number: "027/1201/SPPBJ/412.201/2026", date: "2026-12-17" }, await version(roadTender));
  clock.at("2027-01-05 10:00");
  const award = Money.idr((await proc.loadContract(f(), T, roadContract)).value);
  const uangMuka = award.times("0.30");
  await proc.signContract(
    f(),
    ppk,
    clock,
    roadContract,
    {
      number: "600/001/KONTRAK/412.201/2027",
      signedOn: "2027-01-05",
      type: "harga_satuan",
      startDate: "2027-01-06",
      endDate: "2027-06-30",
      performanceBond: award.times("0.05").toString(),
      spmkNumber: "027/002/SPMK/412.201/2027",
      spmkDate: "2027-01-06",
      terms: [
        { description: "Termin I: prestasi pekerjaan 30%", progressPercent: "30", amount: uangMuka.toString() },
        { description: "Termin II: prestasi pekerjaan 70%", progressPercent: "70", amount: award.times("0.40").toString() },
        { description: "Termin III: serah terima pertama (PHO) 100%", progressPercent: "100", amount: award.minus(uangMuka).minus(award.times("0.40")).toString() },
      ],
    },
    (await proc.loadContract(f(), T, roadContract)).version,
  );

  // The drainage works: pengadaan langsung.
  if (drainage) {
    const pkg = await proc.loadPackage(f(), T, drainage);
    clock.at("2026-11-24 09:00");
    const pl = await proc.createTender(f(), ppk, clock, drainage, {
      hps: Money.idr(pkg.pagu).times("0.99").toString(),
      evaluationMethod: "harga_terendah",
      documents: [{ title: "Undangan dan spesifikasi teknis pengadaan langsung", ref: "PL/PU-BM/2027/004" }],
      invitedVendorId: vendor("CV Sinar Dander").id,
      schedule: {
        undangan: { startsAt: at("2026-11-24 10:00"), endsAt: at("2026-11-24 16:00") },
        upload_penawaran: { startsAt: at("2026-11-24 10:00"), endsAt: at("2026-11-27 10:00") },
        pembukaan: { startsAt: at("2026-11-27 11:00"), endsAt: at("2026-11-27 12:00") },
        negosiasi: { startsAt: at("2026-11-27 13:00"), endsAt: at("2026-11-28 16:00") },
      },
    });
    await proc.assignPokja(f(), pokja2, clock.tick(20), pl, ["pokja2"]);
    await proc.announceTender(f(), pokja2, clock.at("2026-11-24 10:00"), pl, await version(pl));
    const hpsPl = Money.idr((await proc.loadTender(f(), T, pl)).hps);
    await proc.submitBid(f(), vendor("CV Sinar Dander").actor, clock.at("2026-11-26 15:10"), pl, { price: hpsPl.times("0.985").toString() });
    await proc.openTender(f(), pokja2, clock.at("2026-11-27 11:00"), pl, await version(pl));
    await proc.signPakta(f(), pokja2, clock.tick(5), pl);
    const [offer] = await f().execute<{ id: string }[]>("select id from bid where tender_id = ? and status = 'opened'", [pl]);
    await proc.evaluateBid(f(), pokja2, clock.at("2026-11-27 14:00"), pl, offer.id, { adminPass: true, techPass: true, qualPass: true, correctedPrice: hpsPl.times("0.962").toString(), reason: "Harga hasil negosiasi." });
    await proc.concludeEvaluation(f(), pokja2, clock.tick(30), pl, await version(pl));
    await proc.announceWinner(f(), pokja2, clock.tick(15), pl, await version(pl));
    const spk = await proc.issueSppbj(f(), ppk, clock.at("2026-11-30 09:00"), pl, { number: "027/1130/SPPBJ-PL/412.201/2026", date: "2026-11-30" }, await version(pl));
    const value = (await proc.loadContract(f(), T, spk)).value;
    await proc.signContract(
      f(),
      ppk,
      clock.at("2026-12-01 10:00"),
      spk,
      { number: "027/1201/SPK/412.201/2026", signedOn: "2026-12-01", type: "lump_sum", startDate: "2027-01-11", endDate: "2027-04-30", terms: [{ description: "Pembayaran sekaligus setelah serah terima (100%)", progressPercent: "100", amount: value }] },
      (await proc.loadContract(f(), T, spk)).version,
    );
  }

  // The irrigation works: CV Maju Bersama is invited to offer by 20 January 2027 (sign in as `penyedia`).
  if (irrigation) {
    const pkg = await proc.loadPackage(f(), T, irrigation);
    clock.at("2026-11-24 13:00");
    const inv = await proc.createTender(f(), ppkSda, clock, irrigation, {
      hps: Money.idr(pkg.pagu).times("0.99").toString(),
      evaluationMethod: "harga_terendah",
      requirements: "SBU SI003 (irigasi) kualifikasi kecil; pengalaman pekerjaan irigasi dalam 4 tahun terakhir.",
      documents: [{ title: "Undangan pengadaan langsung dan spesifikasi teknis", ref: "PL/PUSDA/2027/002" }],
      invitedVendorId: vendor("CV Maju Bersama").id,
      schedule: {
        undangan: { startsAt: at("2026-11-24 15:00"), endsAt: at("2026-11-24 16:00") },
        upload_penawaran: { startsAt: at("2026-11-24 15:00"), endsAt: at("2027-01-20 10:00") },
        pembukaan: { startsAt: at("2027-01-20 11:00"), endsAt: at("2027-01-20 12:00") },
        negosiasi: { startsAt: at("2027-01-20 13:00"), endsAt: at("2027-01-22 16:00") },
      },
    });
    await proc.assignPokja(f(), pokja2, clock.tick(20), inv, ["pokja2"]);
    await proc.announceTender(f(), pokja2, clock.at("2026-11-24 15:00"), inv, await version(inv));
  }

  // Dinas Perhubungan's road markings: a tender taking sealed bids until 20 January 2027.
  const markingLines = await linesOf(DISHUB, MARKING_SUB);
  if (markingLines.length && Money.sum(markingLines.map((l) => Money.idr(l.left))).exceeds(Money.idr("400000000"))) {
    const ppkDishub = new Actor(T, null, "ppk.dishub", "Wahyu Nugroho (PPK Dinas Perhubungan)", [{ role: "procurement_officer", scope: { kind: "opd", code: DISHUB } }]);
    clock.at("2026-11-25 09:00");
    const marking = await proc.planPackage(f(), ppkDishub, clock, {
      opdCode: DISHUB,
      fiscalYear: YEAR,
      name: "Pemasangan Marka Jalan Thermoplastic Ruas Kabupaten",
      volume: "1 paket",
      type: "penyedia",
      kind: "konstruksi",
      method: "tender",
      lines: markingLines.map((l) => ({ lineKey: l.line_key, amount: l.left })),
      locations: [{ regionCode: "35.22.06", detail: "Ruas Dander–Bojonegoro" }],
      selectionStart: "2026-11-26",
      selectionEnd: "2027-02-15",
      executionStart: "2027-03-01",
      executionEnd: "2027-08-31",
      ppkName: ppkDishub.displayName,
    });
    await proc.announcePackage(f(), ppkDishub, clock.tick(20), marking, await packageVersion(marking));
    packages++;
    const pkg = await proc.loadPackage(f(), T, marking);
    const mt = await proc.createTender(f(), ppkDishub, clock.tick(60), marking, {
      hps: Money.idr(pkg.pagu).times("0.99").toString(),
      evaluationMethod: "harga_terendah",
      requirements: "SBU SI001 (jalan) atau pekerjaan perlengkapan jalan; pengalaman pemasangan marka dalam 4 tahun terakhir.",
      documents: [{ title: "Dokumen Pemilihan Tender Marka Jalan", ref: "DP/DISHUB/2027/001" }],
      schedule: {
        pengumuman: { startsAt: at("2026-11-26 08:00"), endsAt: at("2026-12-04 23:59") },
        download_dokumen: { startsAt: at("2026-11-26 08:00"), endsAt: at("2027-01-20 09:59") },
        aanwijzing: { startsAt: at("2026-12-02 09:00"), endsAt: at("2026-12-02 12:00") },
        upload_penawaran: { startsAt: at("2026-12-03 08:00"), endsAt: at("2027-01-20 10:00") },
        pembukaan: { startsAt: at("2027-01-20 11:00"), endsAt: at("2027-01-20 15:00") },
        evaluasi: { startsAt: at("2027-01-20 15:00"), endsAt: at("2027-01-27 16:00") },
      },
    });
    await proc.assignPokja(f(), pokja, clock.tick(20), mt, ["pokja", "pokja2"]);
    await proc.announceTender(f(), pokja, clock.at("2026-11-26 08:00"), mt, await version(mt));
    await proc.submitBid(f(), vendor("PT Aspal Mulia Nusantara").actor, clock.at("2026-12-03 10:30"), mt, { price: Money.idr(pkg.pagu).times("0.94").toString(), note: "Penawaran (demo, tersegel)." });
  }
  return { created: true, packages };
}
