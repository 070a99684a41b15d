/**
 * The demo tenant: Kabupaten Bojonegoro (35.22). Its regions come from the national import; these are
 * its OPDs (eight-segment organisation codes: up to three bidang urusan, then the unit) and one demo
 * account per role. Demo data only: never loaded when NODE_ENV=production.
 */
export const DEMO_TENANT = { code: "35.22", name: "Kabupaten Bojonegoro" };

export const DEMO_OPDS = [
  { code: "1.01.0.00.0.00.01.0000", shortName: "Disdik", name: "Dinas Pendidikan" },
  { code: "1.02.0.00.0.00.01.0000", shortName: "Dinkes", name: "Dinas Kesehatan" },
  { code: "1.03.0.00.0.00.01.0000", shortName: "DPUBMPR", name: "Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang" },
  { code: "1.03.0.00.0.00.02.0000", shortName: "DPUSDA", name: "Dinas Pekerjaan Umum Sumber Daya Air" },
  { code: "1.04.0.00.0.00.01.0000", shortName: "Disperkimcitaru", name: "Dinas Perumahan, Kawasan Permukiman dan Cipta Karya" },
  { code: "1.05.0.00.0.00.01.0000", shortName: "Satpol PP", name: "Satuan Polisi Pamong Praja" },
  { code: "1.06.0.00.0.00.01.0000", shortName: "Dinsos", name: "Dinas Sosial" },
  { code: "2.11.0.00.0.00.01.0000", shortName: "DLH", name: "Dinas Lingkungan Hidup" },
  { code: "2.13.0.00.0.00.01.0000", shortName: "DPMD", name: "Dinas Pemberdayaan Masyarakat dan Desa" },
  { code: "2.15.0.00.0.00.01.0000", shortName: "Dishub", name: "Dinas Perhubungan" },
  { code: "2.16.2.20.2.21.01.0000", shortName: "Diskominfo", name: "Dinas Komunikasi dan Informatika" },
  { code: "3.27.2.09.0.00.01.0000", shortName: "DKPP", name: "Dinas Ketahanan Pangan dan Pertanian" },
  { code: "4.01.0.00.0.00.01.0000", shortName: "Setda", name: "Sekretariat Daerah (Bagian Pengadaan Barang/Jasa)" },
  { code: "5.01.5.05.0.00.01.0000", shortName: "Bappeda", name: "Badan Perencanaan Pembangunan Daerah" },
  { code: "5.02.0.00.0.00.01.0000", shortName: "BPKAD", name: "Badan Pengelolaan Keuangan dan Aset Daerah" },
  { code: "6.01.0.00.0.00.01.0000", shortName: "Inspektorat", name: "Inspektorat Daerah" },
];

const PU = "1.03.0.00.0.00.01.0000";
/** Kecamatan Dander and its desa Ngunut. */
export const DEMO_KECAMATAN = "35.22.06";
export const DEMO_DESA = "35.22.06.2001";
/** A contractor's scope is their vendor's NPWP: CV Maju Bersama's (illustrative), registered by imports/demo/procurement.ts. */
export const DEMO_VENDOR = "019876543606000";
/** PT Karya Bengawan Solo's NPWP (illustrative): the `penyedia2` account. */
export const DEMO_VENDOR_2 = "026665551606000";

/** The password of every demo account (listed in the README). */
export const DEMO_PASSWORD = "jejak-demo-2026";

export const DEMO_USERS = [
  { username: "admin", displayName: "Admin Jejak", role: "admin", scopeCode: "" },
  { username: "bappeda", displayName: "Sri Wahyuni (Bappeda)", role: "bappeda_planner", scopeCode: "" },
  { username: "opd.pu", displayName: "Agus Santoso (Dinas PU Bina Marga)", role: "opd_officer", scopeCode: PU },
  { username: "tapd", displayName: "Hendro Kusumo (TAPD)", role: "tapd_member", scopeCode: "" },
  { username: "fasil.desa", displayName: "Siti Aminah (Fasilitator Desa Ngunut)", role: "desa_facilitator", scopeCode: DEMO_DESA },
  { username: "fasil.kecamatan", displayName: "Bambang Riyadi (Fasilitator Kec. Dander)", role: "kecamatan_facilitator", scopeCode: DEMO_KECAMATAN },
  { username: "ppk.pu", displayName: "Dwi Prasetyo (PPK Dinas PU)", role: "procurement_officer", scopeCode: PU },
  { username: "pokja", displayName: "Ratna Dewi (Pokja UKPBJ)", role: "pokja_member", scopeCode: "" },
  { username: "pokja2", displayName: "Yusuf Hidayat (Pokja UKPBJ)", role: "pokja_member", scopeCode: "" },
  { username: "penyedia", displayName: "CV Maju Bersama", role: "contractor", scopeCode: DEMO_VENDOR },
  { username: "penyedia2", displayName: "PT Karya Bengawan Solo", role: "contractor", scopeCode: DEMO_VENDOR_2 },
  { username: "monev", displayName: "Rina Marlina (Monev)", role: "monev_officer", scopeCode: "" },
  { username: "auditor", displayName: "Joko Widodo (Inspektorat)", role: "auditor", scopeCode: "" },
  { username: "warga", displayName: "Warga Bojonegoro", role: "citizen", scopeCode: "" },
] as const;
