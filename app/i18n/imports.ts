/** Spreadsheet imports (the offline forum's Excel file): Bahasa Indonesia and English. */
const id = {
  "import.error.at": "Baris {row}, kolom {column} ({header}): {message}",
  "import.file.unreadable": "Berkas tidak dapat dibaca sebagai berkas Excel (.xlsx). Unggah templat yang diunduh dari halaman forum, disimpan sebagai .xlsx.",
  "import.file.tooManyRows": "Berkas berisi {rows} baris usulan; paling banyak {max} baris sekali unggah.",
  "import.sheet.missing": "Lembar \"{sheet}\" tidak ada dalam berkas. Jangan menghapus atau mengganti nama lembar templat.",
  "import.meta.missing": "Berkas ini bukan templat Jejak (lembar tersembunyi \"Meta\" tidak ada atau rusak). Unduh templat dari halaman forum.",
  "import.meta.version": "Versi templat {version} tidak didukung (yang didukung: {supported}). Unduh templat terbaru dari halaman forum.",
  "import.meta.wrongForum": "Berkas ini templat untuk {forum}, bukan untuk forum ini. Unduh templat dari halaman forum ini.",
  "import.meta.criteriaChanged": "Kriteria penilaian sudah berubah sejak templat diunduh (kolom \"{header}\"). Unduh templat terbaru.",
  "import.header.missing": "Kolom \"{header}\" tidak ada di baris judul.",
  "import.header.duplicate": "Kolom \"{header}\" muncul lebih dari sekali (juga di kolom {first}).",
  "import.header.unknown": "Judul kolom \"{header}\" tidak dikenal; hapus kolom ini atau kembalikan judulnya.",
  "import.row.unknownCode": "Kode usulan \"{code}\" bukan usulan forum ini. Kosongkan Kode Usulan untuk usulan baru.",
  "import.row.duplicateCode": "Kode usulan \"{code}\" sudah dipakai di baris {first}.",
  "import.row.notEditable": "Usulan {code} tidak dapat diubah sekarang (status usulan: {status}, forum: {forum}); kembalikan isian ini seperti semula.",
  "import.row.stale": "Usulan {code} sudah diubah orang lain sejak templat diunduh. Unduh templat terbaru, lalu ulangi perubahan.",
  "import.row.wholeNumber": "Isi dengan bilangan bulat (tertulis: {value}).",
  "import.forum.notOpen": "Baris tanpa Kode Usulan adalah usulan baru; usulan baru hanya diterima selama forum dibuka (status: {status}).",
  "import.forum.notDesa": "Baris tanpa Kode Usulan adalah usulan baru; usulan baru hanya diajukan di forum desa/kelurahan.",
};

const en: Record<keyof typeof id, string> = {
  "import.error.at": "Row {row}, column {column} ({header}): {message}",
  "import.file.unreadable": "The file cannot be read as an Excel workbook (.xlsx). Upload the template downloaded from the forum page, saved as .xlsx.",
  "import.file.tooManyRows": "The file has {rows} proposal rows; at most {max} rows per upload.",
  "import.sheet.missing": "The sheet \"{sheet}\" is missing. Do not delete or rename the template's sheets.",
  "import.meta.missing": "This is not a Jejak template (the hidden \"Meta\" sheet is missing or damaged). Download the template from the forum page.",
  "import.meta.version": "Template version {version} is not supported (supported: {supported}). Download the current template from the forum page.",
  "import.meta.wrongForum": "This file is the template of {forum}, not of this forum. Download this forum's template.",
  "import.meta.criteriaChanged": "The scoring criteria changed after the template was downloaded (column \"{header}\"). Download the current template.",
  "import.header.missing": "Column \"{header}\" is missing from the header row.",
  "import.header.duplicate": "Column \"{header}\" appears more than once (also in column {first}).",
  "import.header.unknown": "Unknown column header \"{header}\"; delete the column or restore its header.",
  "import.row.unknownCode": "Proposal code \"{code}\" is not a proposal of this forum. Leave the code empty for a new proposal.",
  "import.row.duplicateCode": "Proposal code \"{code}\" is already used on row {first}.",
  "import.row.notEditable": "Proposal {code} cannot be changed now (proposal: {status}, forum: {forum}); restore this cell.",
  "import.row.stale": "Proposal {code} was changed by someone else after the template was downloaded. Download the current template and redo the change.",
  "import.row.wholeNumber": "Enter a whole number (found: {value}).",
  "import.forum.notOpen": "A row without a proposal code is a new proposal; new proposals are accepted only while the forum is open (status: {status}).",
  "import.forum.notDesa": "A row without a proposal code is a new proposal; new proposals are raised only at a village forum.",
};

export const imports = { id, en };
