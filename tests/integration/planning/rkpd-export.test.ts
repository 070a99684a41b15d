import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { rkpd, rkpdSheetPages, type RkpdSheetItem } from "../../../domain/planning";
import { streamRkpdXlsx } from "../../../exports/xlsx/rkpd";

const db = useTestDatabase("full");
const YEAR = 2027; // the demo's RKPD

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
async function rowsOf(stream: NodeJS.ReadableStream): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await bytesOf(stream)) as never);
  return wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
}

describe("the RKPD Excel, read from the database a page at a time", () => {
  it("is the same workbook in pages of three rows as with the whole year in memory, and its totals reconcile", async () => {
    const all = await rkpd(db.em(), T, YEAR);
    const subs = all.opds.flatMap((o) => o.subs).length;
    expect(subs).toBeGreaterThan(6);
    const paged = await rowsOf(streamRkpdXlsx({ year: YEAR, tenantName: "Kabupaten Bojonegoro", pages: rkpdSheetPages(db.em(), T, YEAR, undefined, 3) }));
    const whole = await rowsOf(streamRkpdXlsx({ ...all, tenantName: "Kabupaten Bojonegoro" }));
    expect(paged).toEqual(whole);
    expect(paged.filter((r) => typeof r[1] === "string" && r[1].split(".").length === 6)).toHaveLength(subs);
    const grand = paged.find((r) => r[2] === "JUMLAH SELURUHNYA")!;
    expect(String(grand[7])).toBe(all.total.replace(/\.00$/, ""));
  });

  it("one OPD only", async () => {
    const [o] = (await rkpd(db.em(), T, YEAR)).opds.filter((x) => x.subs.length);
    const items: RkpdSheetItem[] = [];
    for await (const page of rkpdSheetPages(db.em(), T, YEAR, o.code, 2)) items.push(...page);
    expect(items.filter((i) => i.kind === "opd")).toEqual([expect.objectContaining({ code: o.code, total: o.planned, ceiling: o.ceiling })]);
    expect(items.filter((i) => i.kind === "sub").map((i) => (i.kind === "sub" ? i.sub : null))).toEqual(o.subs);
  });

  it("lets go of its snapshot when the reader stops early", async () => {
    const pages = rkpdSheetPages(db.em(), T, YEAR, undefined, 1);
    expect((await pages.next()).done).toBe(false);
    await pages.return(undefined);
    const [{ n }] = await db.em().execute<{ n: string }[]>("select count(*)::text as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'");
    expect(n).toBe("0");
  });

  it("aborts the download rather than hand out subtotals that disagree with their rows", async () => {
    const sub = { id: "x", opdCode: "1.03.0.00.0.00.01.0000", programCode: "1.03.10", programName: "P", kegiatanCode: "1.03.10.2.01", kegiatanName: "K", code: "1.03.10.2.01.0001", name: "S", indicator: "", target: "1", unit: "km", locations: [], ceiling: "10.00", fundingSource: "DAU", proposals: [] };
    async function* wrong(): AsyncGenerator<RkpdSheetItem[]> {
      yield [
        { kind: "opd", code: sub.opdCode, name: "PU", status: null, ceiling: null, total: "10.00", subtotals: { "1.03.10": "10.00", "1.03.10.2.01": "9.00" } },
        { kind: "sub", sub },
      ];
    }
    await expect(bytesOf(streamRkpdXlsx({ year: YEAR, tenantName: "X", pages: wrong() }))).rejects.toThrow(/add up to 10.00, not 9.00/);
  });
});
