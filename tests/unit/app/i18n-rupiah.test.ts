import { translate } from "../../../app/i18n";

describe("amounts in messages", () => {
  it("shows a canonical amount after Rp grouped the Indonesian way, and leaves other placeholders alone", () => {
    expect(translate("id", "budget.sp2d.beyondLine", { line: "4200000.00", paid: "3000000", amount: "-1500000.5" })).toBe(
      "Melebihi pagu baris DPA: pagu Rp4.200.000,00, sudah dibayar Rp3.000.000,00, diminta Rp-1.500.000,50.",
    );
    expect(translate("id", "budget.rka.noCeiling", { code: "1.02.02.2.02.0004", year: 2027 })).toContain("1.02.02.2.02.0004");
  });
});
