/** Citizen reports (pengaduan, SP4N-LAPOR style): the machine, the SLA in working days, the use cases. */
export * from "./complaint-machine";
export * from "./working-days";
export * from "./rules";
export { submitComplaint, actOnComplaint, rateComplaint, reopenComplaint, escalateOverdue, escalationTarget } from "./complaints";
export type { SubmitComplaint, Submitted, OfficerInput } from "./complaints";
export { categories, NATIONAL } from "./support";
export type { Category } from "./support";
