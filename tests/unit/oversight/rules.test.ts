import { escalationTarget } from "../../../domain/oversight/complaints";
import { moderationFlags, newTicket, normalizeTicket, ticketHash } from "../../../domain/oversight/rules";

describe("complaint rules", () => {
  it("makes tickets of 12 unambiguous characters, read back from any typing", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const t = newTicket();
      expect(t).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      seen.add(t);
    }
    expect(seen.size).toBe(500);
    expect(normalizeTicket(" k7qm 3xwd 9p2a ")).toBe("K7QM-3XWD-9P2A");
    expect(normalizeTicket("k7qm-3xwd-9p2o")).toBe("K7QM-3XWD-9P20"); // O read as zero
    expect(normalizeTicket("K7QM-3XWD-9P2")).toBeNull();
    expect(normalizeTicket("K7QM-3XWD-9P2U")).toBeNull();
    expect(ticketHash("K7QM-3XWD-9P2A")).not.toBe(ticketHash("K7QM-3XWD-9P2B"));
  });

  it("holds links and banned words, not ordinary words that contain them", () => {
    expect(moderationFlags("Lihat https://contoh.id/video")).toEqual(["link"]);
    expect(moderationFlags("cek di www.contoh.com ya")).toEqual(["link"]);
    expect(moderationFlags("Kontraktor bangsat tidak datang")).toEqual(["word"]);
    expect(moderationFlags("Asuransi pekerja dan jalan Babinsa diperbaiki 3.5 km")).toEqual([]);
  });

  it("escalates once past due, and again after a further full SLA of working days", () => {
    const none = new Set<string>();
    expect(escalationTarget("2026-12-09", "2026-12-09", 2, none)).toBe(0);
    expect(escalationTarget("2026-12-09", "2026-12-10", 2, none)).toBe(1);
    expect(escalationTarget("2026-12-11", "2026-12-13", 2, none)).toBe(1); // Friday due, Sunday: past, 0 working days late
    expect(escalationTarget("2026-12-09", "2026-12-11", 2, none)).toBe(1);
    expect(escalationTarget("2026-12-09", "2026-12-14", 2, none)).toBe(2);
    expect(escalationTarget("2026-12-09", "2026-12-14", 2, new Set(["2026-12-10"]))).toBe(1);
  });
});
