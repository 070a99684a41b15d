import ExcelJS from "exceljs";
import { columnLetter, moneyCellValue, scoreColumns, writeRankedList } from "../../../exports/xlsx/musrenbang";
import { cellText } from "../../../imports/shared/xlsx";
import { parseRupiah } from "../../../domain/musrenbang/proposals";
import { Money } from "../../../domain/kernel/money";

describe("Excel cells never lose a sen", () => {
  it.each([
    ["1250000.00", 1_250_000],
    ["0.00", 0],
    ["999999999999999.00", 999_999_999_999_999],
    ["1000000000000000.00", "1000000000000000.00"],
    ["1250000.50", "1250000.50"],
    ["0.10", "0.10"],
    ["-5000.00", -5000],
  ])("money %s is written as %s", (amount, cell) => {
    expect(moneyCellValue(amount)).toBe(cell);
  });

  it.each([
    [1_250_000, "1250000"],
    [1250000.5, "1250000.5"],
    [0.1, "0.1"],
    [1e21, "1000000000000000000000"],
    [1e-7, "0.0000001"],
    [-7.150123, "-7.150123"],
  ])("a number cell %s reads as %s, exactly and without exponent", (n, text) => {
    expect(cellText(n)).toBe(text);
  });

  it("reads text, rich text, formulas and errors as what the user sees", () => {
    expect(cellText("1.250.000")).toBe("1.250.000");
    expect(cellText({ richText: [{ text: "Jalan " }, { text: "desa" }] })).toBe("Jalan desa");
    expect(cellText({ formula: "A1*2", result: 300000 })).toBe("300000");
    expect(cellText({ error: "#REF!" })).toBe("#REF!");
    expect(cellText(null)).toBe("");
    expect(parseRupiah(cellText(1250000.5)).toString()).toBe("1250000.50");
    expect(() => parseRupiah(cellText(1e21))).toThrow();
  });

  it("names columns as Excel does, and keeps score headers unique", () => {
    expect([1, 16, 26, 27, 52, 703].map(columnLetter)).toEqual(["A", "P", "Z", "AA", "AZ", "AAA"]);
    expect(scoreColumns([{ code: "a", name: "Urgensi" }, { code: "b", name: "Urgensi" }]).map((s) => [s.letter, s.header])).toEqual([
      ["Q", "Nilai: Urgensi"],
      ["R", "Nilai: Urgensi (b)"],
    ]);
  });

  it("the ranked list's total is the exact sum, as text when it carries sen", async () => {
    const row = (code: string, cost: string) => ({ rank: null, code, title: "t", desaName: "d", opdCode: "o", opdName: "O", volume: "1", unit: "m", estimatedCost: cost, beneficiaries: 1, total: null, status: "submitted" });
    const list = [row("a", "0.10"), row("b", "0.20"), row("c", "999999999999999.00")];
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeRankedList({ forum: { name: "Musrenbang Desa X", fiscalYear: 2031, status: "open" }, list })) as never);
    const totals = wb.worksheets[0].getRow(4 + list.length);
    expect(totals.getCell(8).value).toBe("999999999999999.30");
    expect(parseRupiah(cellText(totals.getCell(8).value)).equals(Money.sum(list.map((r) => Money.idr(r.estimatedCost))))).toBe(true);
  });
});
