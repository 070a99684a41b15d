import { checkPriceRows, parseRupiah, splitAccounts, type PriceRow } from "../../../domain/budgeting/prices";

const ok = (value: string) => ({ ok: true, value });
const bad = (key: string) => expect.objectContaining({ ok: false, key: `price.${key}` });

describe("a price cell as people write it", () => {
  it.each([
    ["1.250.000", "1250000.00"],
    ["1.250.000,50", "1250000.50"],
    ["1.250.000,5", "1250000.50"],
    ["1250000.50", "1250000.50"],
    ["1250000.5", "1250000.50"],
    ["1250000", "1250000.00"],
    ["1250000,50", "1250000.50"],
    ["Rp 1.250.000,-", "1250000.00"],
    ["Rp1.250.000,00", "1250000.00"],
    ["Rp. 25.000", "25000.00"],
    ["IDR 25000", "25000.00"],
    ["1 250 000", "1250000.00"],
    ["1\u00a0250\u00a0000", "1250000.00"],
    ["1,250,000.50", "1250000.50"],
    ["1,250,000", "1250000.00"],
    ["1.250", "1250.00"],
    ["125.000", "125000.00"],
    ["12.50", "12.50"],
    ["0", "0.00"],
    ["0,5", "0.50"],
    ["007", "7.00"],
    ["999999999999999999.99", "999999999999999999.99"],
  ])("%s → %s", (text, value) => {
    expect(parseRupiah(text)).toEqual(ok(value));
  });

  it.each([
    ["", "priceRequired"],
    ["   ", "priceRequired"],
    ["abc", "priceFormat"],
    ["1.25.000", "priceFormat"],
    ["12,50,00", "priceFormat"],
    ["1.250.000.5", "priceFormat"],
    ["Rp", "priceFormat"],
    ["1250000.505", "priceDecimals"],
    ["1.250.000,505", "priceDecimals"],
    ["1,250", "priceDecimals"],
    ["0.125", "priceDecimals"],
    ["-5000", "priceNegative"],
    ["Rp -5.000", "priceNegative"],
    ["(5.000)", "priceNegative"],
    ["1000000000000000000", "priceTooLarge"],
  ])("%j is refused (%s)", (text, key) => {
    expect(parseRupiah(text)).toEqual(bad(key));
  });

  it("reads Excel numbers exactly, without float damage or grouping guesses", () => {
    expect(parseRupiah(1250000)).toEqual(ok("1250000.00"));
    expect(parseRupiah(1250000.5)).toEqual(ok("1250000.50"));
    expect(parseRupiah(0.1 + 0.2)).toEqual(ok("0.30")); // a formula's float noise, as Excel shows it
    expect(parseRupiah(1.1 * 3)).toEqual(ok("3.30"));
    expect(parseRupiah(123.45)).toEqual(ok("123.45"));
    expect(parseRupiah(987654321012.99)).toEqual(ok("987654321012.99"));
    expect(parseRupiah(0)).toEqual(ok("0.00"));
    expect(parseRupiah(123.456)).toEqual(bad("priceDecimals")); // a number, never read as 123.456 thousand
    expect(parseRupiah(-1)).toEqual(bad("priceNegative"));
    expect(parseRupiah(Number.NaN)).toEqual(bad("priceFormat"));
    expect(parseRupiah(2 ** 60)).toEqual(bad("priceTooLarge"));
  });

  it("splits account cells on commas, semicolons and line breaks", () => {
    expect(splitAccounts("5.1.02.01.01.0001, 5.1.02.01.01.0024;5.2.04.01.01.0003\n5.2.03.01.01.0010")).toEqual([
      "5.1.02.01.01.0001",
      "5.1.02.01.01.0024",
      "5.2.04.01.01.0003",
      "5.2.03.01.01.0010",
    ]);
    expect(splitAccounts("  ")).toEqual([]);
  });
});

describe("checking the rows of a price list", () => {
  const row = (over: Partial<PriceRow> = {}): PriceRow => ({ row: 2, code: "1.1.7.01.01.01.001", name: "Semen PCC", spec: "50 kg", unit: "zak", price: "72.500", accounts: "5.1.02.01.01.0001", ...over });

  it("accepts good rows with canonical prices and de-duplicated accounts", () => {
    const r = checkPriceRows([row(), row({ row: 3, code: "B", price: 1500.5, accounts: "5.1.02.01.01.0001; 5.2.04.01.01.0003, 5.1.02.01.01.0001" })]);
    expect(r.problems).toEqual([]);
    expect(r.items.map((i) => [i.code, i.price, i.accounts])).toEqual([
      ["1.1.7.01.01.01.001", "72500.00", ["5.1.02.01.01.0001"]],
      ["B", "1500.50", ["5.1.02.01.01.0001", "5.2.04.01.01.0003"]],
    ]);
  });

  it("reports every problem of every row", () => {
    const r = checkPriceRows([
      row(),
      row({ row: 3 }),
      row({ row: 4, code: "", name: "", unit: " ", price: "12,345", accounts: "" }),
      row({ row: 5, code: "X", accounts: "4.1.01.01.01.0001, 5.1.02" }),
    ]);
    expect(r.problems.map((p) => [p.row, p.field, p.key])).toEqual([
      [3, "code", "price.codeDuplicate"],
      [4, "code", "price.codeRequired"],
      [4, "name", "price.nameRequired"],
      [4, "unit", "price.unitRequired"],
      [4, "price", "price.priceDecimals"],
      [4, "accounts", "price.accountRequired"],
      [5, "accounts", "price.accountNotBelanja"],
      [5, "accounts", "price.accountFormat"],
    ]);
    expect(r.problems[0].params).toEqual({ code: "1.1.7.01.01.01.001", first: 2 });
    expect(r.items.map((i) => i.row)).toEqual([2]);
  });
});
