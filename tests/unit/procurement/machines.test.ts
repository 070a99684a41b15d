import {
  directMachine,
  machineFor,
  orderMachine,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  swakelolaMachine,
  SWAKELOLA_ACTIONS,
  SWAKELOLA_STATUSES,
  tenderCepatMachine,
  tenderMachine,
  TENDER_ACTIONS,
  TENDER_STATUSES,
  type TenderCtx,
} from "../../../domain/procurement/machines";
import { keyOf } from "../../support/errors";

const everyone = { hasAnyRole: () => true };
const nobody = { hasAnyRole: () => false };
const clear: TenderCtx = { notReady: null, pastDeadline: null, beforeOpening: null, evaluationIncomplete: null, noWinner: null, objectionsOpen: null, noReason: null };

describe.each([
  ["tender and seleksi", tenderMachine, "procure.tender"],
  ["tender cepat", tenderCepatMachine, "procure.tenderCepat"],
  ["pengadaan and penunjukan langsung", directMachine, "procure.direct"],
] as const)("the %s machine", (_name, machine, prefix) => {
  const pairs = TENDER_STATUSES.flatMap((s) => TENDER_ACTIONS.map((a) => [s, a] as const));
  it.each(pairs)("from %s, %s is allowed only where the table says", (from, action) => {
    const listed = machine.transitions.some((t) => t.action === action && t.from.includes(from));
    expect(keyOf(() => machine.fire(from, action, everyone, clear))).toBe(listed ? null : `${prefix}.illegalTransition`);
  });
  it("ends nowhere after a contract, a failure or a cancellation", () => {
    for (const s of ["contracted", "failed", "cancelled"] as const) expect(machine.available(s, everyone, clear)).toEqual([]);
  });
  it("refuses anyone without the role, and names each guard's refusal", () => {
    expect(keyOf(() => machine.fire("draft", "announce", nobody, clear))).toBe("auth.roleRequired");
    expect(keyOf(() => machine.fire("draft", "announce", everyone, { ...clear, notReady: "procure.tender.deadlinePassed" }))).toBe("procure.tender.deadlinePassed");
    expect(keyOf(() => machine.fire("announced", "open", everyone, { ...clear, beforeOpening: "procure.tender.beforeOpening" }))).toBe("procure.tender.beforeOpening");
    expect(keyOf(() => machine.fire("opened", "evaluate", everyone, { ...clear, evaluationIncomplete: "procure.tender.paktaMissing" }))).toBe("procure.tender.paktaMissing");
    expect(keyOf(() => machine.fire("evaluated", "announceWinner", everyone, { ...clear, noWinner: "procure.tender.noPassingBid" }))).toBe("procure.tender.noPassingBid");
    expect(keyOf(() => machine.fire("opened", "cancel", everyone, { ...clear, noReason: "procure.reasonRequired" }))).toBe("procure.reasonRequired");
  });
});

describe("method-specific steps", () => {
  it("only tender and seleksi wait for objections before the SPPBJ; only they re-evaluate", () => {
    const objections = { ...clear, objectionsOpen: "procure.sanggah.periodOpen" };
    expect(keyOf(() => tenderMachine.fire("winner_announced", "issueSppbj", everyone, objections))).toBe("procure.sanggah.periodOpen");
    expect(keyOf(() => tenderCepatMachine.fire("winner_announced", "issueSppbj", everyone, objections))).toBeNull();
    expect(keyOf(() => directMachine.fire("winner_announced", "issueSppbj", everyone, objections))).toBeNull();
    expect(keyOf(() => directMachine.fire("announced", "amend", everyone, clear))).toBe("procure.direct.illegalTransition");
    expect(keyOf(() => tenderCepatMachine.fire("winner_announced", "reevaluate", everyone, clear))).toBe("procure.tenderCepat.illegalTransition");
  });
  it("maps each selection method to its machine, and has none for e-purchasing and swakelola", () => {
    expect(machineFor("tender")).toBe(tenderMachine);
    expect(machineFor("seleksi")).toBe(tenderMachine);
    expect(machineFor("tender_cepat")).toBe(tenderCepatMachine);
    expect(machineFor("pengadaan_langsung")).toBe(directMachine);
    expect(machineFor("penunjukan_langsung")).toBe(directMachine);
    expect(() => machineFor("e_purchasing")).toThrow();
    expect(() => machineFor("swakelola")).toThrow();
  });
});

describe("e-purchasing orders and swakelola", () => {
  it.each(ORDER_STATUSES.flatMap((s) => ORDER_ACTIONS.map((a) => [s, a] as const)))("order: from %s, %s only where the table says", (from, action) => {
    const listed = orderMachine.transitions.some((t) => t.action === action && t.from.includes(from));
    expect(keyOf(() => orderMachine.fire(from, action, everyone, {}))).toBe(listed ? null : "procure.order.illegalTransition");
  });
  it.each(SWAKELOLA_STATUSES.flatMap((s) => SWAKELOLA_ACTIONS.map((a) => [s, a] as const)))("swakelola: from %s, %s only where the table says", (from, action) => {
    const listed = swakelolaMachine.transitions.some((t) => t.action === action && t.from.includes(from));
    expect(keyOf(() => swakelolaMachine.fire(from, action, everyone, {}))).toBe(listed ? null : "procure.swakelola.illegalTransition");
  });
  it("only the vendor accepts or refuses an order; only the PPK withdraws it", () => {
    const vendor = { hasAnyRole: (r: readonly string[]) => r.includes("contractor") };
    const ppk = { hasAnyRole: (r: readonly string[]) => r.includes("procurement_officer") };
    expect(keyOf(() => orderMachine.fire("sppbj", "accept", ppk, {}))).toBe("auth.roleRequired");
    expect(keyOf(() => orderMachine.fire("sppbj", "withdraw", vendor, {}))).toBe("auth.roleRequired");
    expect(keyOf(() => orderMachine.fire("sppbj", "accept", vendor, {}))).toBeNull();
  });
});
