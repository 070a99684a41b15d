import { addWorkingDays, isWorkingDay, nextDay, wibDay, workingDaysBetween } from "../../../domain/oversight/working-days";

const none = new Set<string>();
// Idul Fitri 1447 H with its cuti bersama (Friday 20 – Tuesday 24 March 2026), and year-end days.
const lebaran = new Set(["2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24"]);
const yearEnd = new Set(["2026-12-24", "2026-12-25", "2027-01-01"]);

describe("working days", () => {
  it("skips Saturdays and Sundays", () => {
    // Thursday 26 Nov 2026 + 2 → Monday 30 Nov; Friday + 1 → Monday; Saturday + 1 → Monday.
    expect(addWorkingDays("2026-11-26", 2, none)).toBe("2026-11-30");
    expect(addWorkingDays("2026-11-27", 1, none)).toBe("2026-11-30");
    expect(addWorkingDays("2026-11-28", 1, none)).toBe("2026-11-30");
    expect(addWorkingDays("2026-11-29", 5, none)).toBe("2026-12-04");
    expect(addWorkingDays("2026-11-26", 0, none)).toBe("2026-11-26");
    expect(addWorkingDays("2026-11-23", 14, none)).toBe("2026-12-11");
  });

  it("skips holidays and cuti bersama", () => {
    // Thursday 19 March 2026 (Nyepi itself not in this set) + 2: Fri 20 … Tue 24 are off → Wed 25, Thu 26.
    expect(addWorkingDays("2026-03-19", 2, lebaran)).toBe("2026-03-26");
    expect(addWorkingDays("2026-03-19", 2, none)).toBe("2026-03-23");
    expect(isWorkingDay("2026-03-23", lebaran)).toBe(false);
    expect(isWorkingDay("2026-03-25", lebaran)).toBe(true);
  });

  it("crosses the year end", () => {
    // Wednesday 23 Dec 2026 + 5: 24, 25 off, 26–27 weekend, 28, 29, 30, 31, (1 Jan off), (2–3 weekend), 4 Jan.
    expect(addWorkingDays("2026-12-23", 5, yearEnd)).toBe("2027-01-04");
    expect(workingDaysBetween("2026-12-23", "2027-01-04", yearEnd)).toBe(5);
    expect(addWorkingDays("2026-12-31", 1, yearEnd)).toBe("2027-01-04");
    // 60 working days over a leap-free year end, without holidays: 12 whole weeks.
    expect(addWorkingDays("2026-12-04", 60, none)).toBe("2027-02-26");
  });

  it("counts working days between two days, the first excluded", () => {
    expect(workingDaysBetween("2026-11-26", "2026-11-26", none)).toBe(0);
    expect(workingDaysBetween("2026-11-27", "2026-11-29", none)).toBe(0);
    expect(workingDaysBetween("2026-11-27", "2026-11-30", none)).toBe(1);
    expect(workingDaysBetween("2026-11-30", "2026-11-27", none)).toBe(-1);
    expect(workingDaysBetween("2026-03-19", "2026-03-26", lebaran)).toBe(2);
    for (const n of [1, 2, 5, 14, 60]) expect(workingDaysBetween("2026-03-13", addWorkingDays("2026-03-13", n, lebaran), lebaran)).toBe(n);
  });

  it("reads a moment's day in WIB, not UTC", () => {
    // 17:30 UTC on Friday 27 Nov is 00:30 WIB on Saturday 28 Nov.
    expect(wibDay(new Date("2026-11-27T17:30:00Z"))).toBe("2026-11-28");
    expect(wibDay(new Date("2026-11-27T16:59:59Z"))).toBe("2026-11-27");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
  });

  it("refuses a malformed day or a negative count", () => {
    expect(() => addWorkingDays("2026-02-30", 1, none)).toThrow();
    expect(() => addWorkingDays("2026-11-26", -1, none)).toThrow();
  });
});
