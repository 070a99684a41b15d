import { terbilang } from "../../../domain/kernel/terbilang";
import { Money } from "../../../domain/kernel/money";

describe("terbilang: rupiah in Indonesian words", () => {
  it.each([
    ["0", "nol rupiah"],
    ["0.00", "nol rupiah"],
    ["1", "satu rupiah"],
    ["10", "sepuluh rupiah"],
    ["11", "sebelas rupiah"],
    ["12", "dua belas rupiah"],
    ["19", "sembilan belas rupiah"],
    ["20", "dua puluh rupiah"],
    ["21.05", "dua puluh satu rupiah lima sen"],
    ["99", "sembilan puluh sembilan rupiah"],
    ["100", "seratus rupiah"],
    ["101", "seratus satu rupiah"],
    ["110", "seratus sepuluh rupiah"],
    ["111", "seratus sebelas rupiah"],
    ["200", "dua ratus rupiah"],
    ["999", "sembilan ratus sembilan puluh sembilan rupiah"],
    ["1000", "seribu rupiah"],
    ["1001.50", "seribu satu rupiah lima puluh sen"],
    ["1100", "seribu seratus rupiah"],
    ["1111", "seribu seratus sebelas rupiah"],
    ["2000", "dua ribu rupiah"],
    ["11000", "sebelas ribu rupiah"],
    ["100000", "seratus ribu rupiah"],
    ["101000", "seratus satu ribu rupiah"],
    ["111111", "seratus sebelas ribu seratus sebelas rupiah"],
    ["1000000", "satu juta rupiah"],
    ["1001000", "satu juta seribu rupiah"],
    ["1250000.00", "satu juta dua ratus lima puluh ribu rupiah"],
    ["10000000", "sepuluh juta rupiah"],
    ["1000000000", "satu miliar rupiah"],
    ["1000001000", "satu miliar seribu rupiah"],
    ["1000000000000", "satu triliun rupiah"],
    ["2500000000000.75", "dua triliun lima ratus miliar rupiah tujuh puluh lima sen"],
    ["999999999999999", "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh sembilan miliar sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan rupiah"],
    ["1000000000000000", "satu kuadriliun rupiah"],
    ["0.01", "nol rupiah satu sen"],
    ["0.5", "nol rupiah lima puluh sen"],
    ["0.11", "nol rupiah sebelas sen"],
    ["-1500", "minus seribu lima ratus rupiah"],
    ["-0.00", "nol rupiah"],
  ])("%s → %s", (amount, words) => {
    expect(terbilang(amount)).toBe(words);
  });

  it("takes Money, and reads every digit exactly (no float on the way)", () => {
    expect(terbilang(Money.idr("1250000"))).toBe("satu juta dua ratus lima puluh ribu rupiah");
    expect(terbilang("9007199254740993.99")).toBe(
      "sembilan kuadriliun tujuh triliun seratus sembilan puluh sembilan miliar dua ratus lima puluh empat juta tujuh ratus empat puluh ribu sembilan ratus sembilan puluh tiga rupiah sembilan puluh sembilan sen",
    );
  });

  it("refuses what is not an amount", () => {
    expect(() => terbilang("1.250.000")).toThrow(/money.format/);
    expect(() => terbilang("12.345")).toThrow(/money.format/);
    expect(() => terbilang("abc")).toThrow(/money.format/);
  });
});
