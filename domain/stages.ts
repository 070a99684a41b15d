/** The six stages of the cycle, in order. Pure data, safe for the browser bundle. */
export const STAGES = ["musrenbang", "planning", "budgeting", "procurement", "ocds", "monev"] as const;
export type Stage = (typeof STAGES)[number];
