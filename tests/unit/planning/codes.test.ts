import { accountLevel, accountParent, bidangOfOpdCode, nomenclatureLevel, nomenclatureParent } from "../../../domain/nomenclature/codes";
import { checkNomenclature } from "../../../domain/nomenclature/sets";

describe("nomenclature codes (Permendagri 90/2019 and its updates)", () => {
  it.each([
    ["1", "urusan", null],
    ["1.03", "bidang", "1"],
    ["1.03.10", "program", "1.03"],
    ["1.03.10.2.01", "kegiatan", "1.03.10"],
    ["1.03.10.2.01.0001", "sub_kegiatan", "1.03.10.2.01"],
  ] as const)("%s is a %s under %s", (code, level, parent) => {
    expect(nomenclatureLevel(code, 4)).toBe(level);
    expect(nomenclatureParent(code, level)).toBe(parent);
  });

  it("knows the sub kegiatan width of its decree: two digits before 2023, four after", () => {
    expect(nomenclatureLevel("1.01.02.2.01.01", 2)).toBe("sub_kegiatan");
    expect(nomenclatureLevel("1.01.02.2.01.01", 4)).toBeNull();
    expect(nomenclatureLevel("1.01.02.2.01.0001", 2)).toBeNull();
  });

  it.each(["1.3", "1.03.1", "1.03.10.2", "1.03.10.21.01", "A.03", "1.03.10.2.01.00001", ""])("refuses %j", (code) => {
    expect(nomenclatureLevel(code, 4)).toBeNull();
  });

  it("account codes have six levels", () => {
    expect(accountLevel("5")).toBe(1);
    expect(accountLevel("5.1.02.01.01.0024")).toBe(6);
    expect(accountLevel("5.1.2")).toBeNull();
    expect(accountLevel("5.1.02.01.01.24")).toBeNull();
    expect(accountParent("5.1.02.01.01.0024")).toBe("5.1.02.01.01");
  });

  it("reads an OPD's bidang urusan from its eight-segment code", () => {
    expect(bidangOfOpdCode("1.03.0.00.0.00.01.0000")).toEqual(["1.03"]);
    expect(bidangOfOpdCode("2.16.2.20.2.21.01.0000")).toEqual(["2.16", "2.20", "2.21"]);
    expect(bidangOfOpdCode("5.01.5.05.0.00.01.0000")).toEqual(["5.01", "5.05"]);
    expect(bidangOfOpdCode("nonsense")).toEqual([]);
  });

  it("checks a whole list at once: shape, duplicates, parents in any order, names", () => {
    const { problems } = checkNomenclature({ kind: "planning", decree: "x", appliesFrom: 2026 }, [
      { row: 2, code: "1.03.10", name: "Program Penyelenggaraan Jalan" },
      { row: 3, code: "1", name: "Urusan wajib" },
      { row: 4, code: "1.03", name: "Pekerjaan umum" },
      { row: 5, code: "1.03", name: "lagi" },
      { row: 6, code: "1.04.02", name: "Yatim" },
      { row: 7, code: "1.03.1", name: "Salah bentuk" },
      { row: 8, code: "1.03.10.2.01", name: "" },
    ]);
    expect(problems.map((p) => [p.row, p.field, p.key])).toEqual([
      [5, "code", "nomenclature.duplicate"],
      [6, "parent", "nomenclature.orphan"],
      [7, "code", "nomenclature.codeFormat"],
      [8, "name", "nomenclature.nameRequired"],
    ]);
  });
});
