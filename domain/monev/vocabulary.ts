/** The words of contract monitoring, pure (pages import them for their forms). */

export const PERIOD_KINDS = ["weekly", "monthly"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The tags a progress photo carries: the 0%, 50% and 100% photos, and periodic ones. */
export const PHOTO_MILESTONES = ["0", "50", "100", "periodic"] as const;
export type PhotoMilestone = (typeof PHOTO_MILESTONES)[number];

export const PAYMENT_KINDS = ["uang_muka", "termin", "retensi"] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];
