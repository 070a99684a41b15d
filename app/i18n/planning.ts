/** e-Planning: Bahasa Indonesia and English. */
const id = {
  "nomenclature.codeFormat": "Kode \"{code}\" tidak sesuai bentuk nomenklatur (urusan 1, bidang 1.03, program 1.03.10, kegiatan 1.03.10.2.01, sub kegiatan dengan {width} digit terakhir).",
  "nomenclature.accountFormat": "Kode rekening \"{code}\" tidak sesuai bentuk enam tingkat (mis. 5.1.02.01.01.0024).",
  "nomenclature.duplicate": "Kode {code} ganda (sudah ada di baris {first}).",
  "nomenclature.nameRequired": "Nama untuk kode {code} kosong atau terlalu panjang.",
  "nomenclature.orphan": "Induk {parent} dari kode {code} tidak ada dalam daftar.",
  "nomenclature.decreeRequired": "Sebutkan dasar hukum daftar ini (mis. Kepmendagri 900.1.15.5-1317/2023).",
  "nomenclature.empty": "Berkas tidak berisi kode.",
  "nomenclature.setExists": "Daftar menurut {decree} untuk tahun {year} sudah diimpor.",
  "nomenclature.subKegiatanFormat": "Kode sub kegiatan \"{code}\" tidak sah.",
  "nomenclature.fileUnreadable": "Berkas tidak dapat dibaca: unggah CSV (UTF-8) atau Excel (.xlsx).",
};

const en: Record<keyof typeof id, string> = {
  "nomenclature.codeFormat": "Code \"{code}\" does not have a nomenclature shape (urusan 1, bidang 1.03, program 1.03.10, kegiatan 1.03.10.2.01, sub kegiatan with {width} final digits).",
  "nomenclature.accountFormat": "Account code \"{code}\" does not have the six-level shape (e.g. 5.1.02.01.01.0024).",
  "nomenclature.duplicate": "Code {code} is duplicated (first on row {first}).",
  "nomenclature.nameRequired": "The name of code {code} is empty or too long.",
  "nomenclature.orphan": "The parent {parent} of code {code} is not in the list.",
  "nomenclature.decreeRequired": "Name the legal basis of this list (e.g. Kepmendagri 900.1.15.5-1317/2023).",
  "nomenclature.empty": "The file holds no codes.",
  "nomenclature.setExists": "The list under {decree} for {year} was already imported.",
  "nomenclature.subKegiatanFormat": "Invalid sub-activity code \"{code}\".",
  "nomenclature.fileUnreadable": "The file cannot be read: upload CSV (UTF-8) or Excel (.xlsx).",
};

export const planning = { id, en };
