/** Citizen reports (pengaduan, SP4N-LAPOR style): the machine, the SLA in working days, the use cases. */
export * from "./complaint-machine";
export * from "./working-days";
export * from "./rules";
export { submitComplaint, actOnComplaint, rateComplaint, reopenComplaint, escalateOverdue, escalationTarget } from "./complaints";
export type { SubmitComplaint, Submitted, OfficerInput } from "./complaints";
export { categories, NATIONAL } from "./support";
export type { Category } from "./support";
export { complaintSettings, holidayYears, saveComplaintCategory, resetComplaintCategory, addHoliday, changeHoliday, removeHoliday, TENANT_HOLIDAY_KINDS } from "./settings";
export type { CategorySetting, HolidaySetting, CategoryInput, HolidayInput } from "./settings";
export { escalateAllTenants, escalationSchedule } from "./escalation-job";
export type { TenantEscalation, EscalationSchedule } from "./escalation-job";
