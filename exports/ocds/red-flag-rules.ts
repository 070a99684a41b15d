import RULES from "./red-flag-rules.json";

/**
 * The thresholds of the public red flags, from the data file beside this one (red-flag-rules.json): the
 * one place to correct a figure, each with the regulation it comes from. The pengadaan langsung ceilings
 * are the method rules (`method_rule`, imports/procurement/data/method-rules.csv).
 */

export interface SubmissionPeriodRule {
  method: string;
  minDays: number;
  regulation: string;
  article: string;
  note: string;
}

export interface RedFlagRules {
  submissionPeriods: readonly SubmissionPeriodRule[];
  /** Percent (decimal text) of the HPS within which a winning price is "close". */
  hpsProximityPercent: string;
  hpsProximitySource: string;
  /** Percent (decimal text) of the awarded value that amendments may add before the flag is raised. */
  amendmentIncreasePercent: string;
  amendmentIncreaseSource: string;
  splittingWindowDays: number;
  splittingSource: string;
  kontrakKritis: { planBoundaryPercent: string; lagUpToBoundaryPercent: string; lagAfterBoundaryPercent: string; source: string };
}

export const RED_FLAG_RULES: RedFlagRules = {
  submissionPeriods: RULES.submissionPeriods.rules,
  hpsProximityPercent: RULES.winningPriceNearHps.percent,
  hpsProximitySource: RULES.winningPriceNearHps.source,
  amendmentIncreasePercent: RULES.amendmentIncrease.percent,
  amendmentIncreaseSource: `${RULES.amendmentIncrease.regulation} ${RULES.amendmentIncrease.article}`,
  splittingWindowDays: RULES.packageSplitting.windowDays,
  splittingSource: `${RULES.packageSplitting.regulation} ${RULES.packageSplitting.article}`,
  kontrakKritis: {
    planBoundaryPercent: RULES.kontrakKritis.planBoundaryPercent,
    lagUpToBoundaryPercent: RULES.kontrakKritis.lagUpToBoundaryPercent,
    lagAfterBoundaryPercent: RULES.kontrakKritis.lagAfterBoundaryPercent,
    source: `${RULES.kontrakKritis.regulation} ${RULES.kontrakKritis.article}`,
  },
};
