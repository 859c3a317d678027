import type { FlagColumn, LabColumn } from '../formats/fhir/los-record.js';

/*
 * Calibration of the synthetic length-of-stay generator, derived by hand from the real 10,000-row sample
 * (los-10k.csv) as aggregate statistics only: marginal frequencies, quantiles and a linear LOS model.
 * No row of the sample is stored here. Checked by generate-los-records.test.ts against the file.
 */

/** P(rcount = "0".."4","5+"). */
export const RCOUNT_PROBS = [0.5594, 0.149, 0.099, 0.0776, 0.0669, 0.0481] as const;
/** P(gender = F). */
export const P_FEMALE = 0.5878;
/** P(facid = A..E). */
export const FACID_PROBS = [0.3065, 0.2916, 0.0444, 0.0452, 0.3123] as const;
/** P(secondarydiagnosisnonicd9 = 0..10). */
export const SECDIAG_PROBS = [0.1049, 0.4994, 0.0993, 0.0861, 0.0897, 0.0419, 0.0301, 0.0174, 0.0106, 0.0095, 0.0111] as const;

/**
 * Flags share a latent frailty z ~ N(0,1): P(flag) = logistic(base + FRAILTY_WEIGHT * z). Independent flags would give
 * 44 % of stays with no condition; the sample has 57 % (and a longer tail), which the shared factor reproduces while
 * keeping each flag's marginal rate (base values solved numerically for that).
 */
export const FRAILTY_WEIGHT = 1.35;
/** Base logits per flag (marginal rates in the sample: 3.7 %, 3.5 %, 10 %, 4.4 %, 6.4 %, 24 %, 5.3 %, 5.3 %, 0.4 %, 5 %, 8.5 %). */
export const FLAG_BASE_LOGIT: Readonly<Record<FlagColumn, number>> = {
  dialysisrenalendstage: -4.041, asthma: -4.108, irondef: -2.815, pneum: -3.845, substancedependence: -3.395,
  psychologicaldisordermajor: -1.513, depress: -3.626, psychother: -3.617, fibrosisandother: -6.356, malnutrition: -3.696,
  hemo: -3.033,
};

/** Probabilities at which LabSpec.quantiles are given. */
export const QUANTILE_PROBS = [
  0, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85,
  0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 1,
] as const;

/** How to draw one lab: an imputation spike (the sample's most frequent value), then a quantile table for the rest. */
export interface LabSpec {
  /** The spike value and its probability (e.g. respiration 6.5 in 65 % of rows), or null. */
  readonly spike: { readonly value: number; readonly p: number } | null;
  /** Quantiles of the non-spike values at QUANTILE_PROBS (sampled by linear interpolation). */
  readonly quantiles: readonly number[];
  /** 'tenth': one decimal; 'integer'; 'sig10': 10 significant digits (the sample's continuous columns). */
  readonly format: 'tenth' | 'integer' | 'sig10';
}

/** Lab distributions of the sample. */
export const LAB_SPECS: Readonly<Record<LabColumn, LabSpec>> = {
  hematocrit: { spike: { value: 11.9, p: 0.222 }, format: 'tenth', quantiles: [5.55, 6.6, 7.1, 7.4, 7.9, 8.4, 9.1, 9.6, 10, 10.4, 10.7, 11, 11.3, 11.6, 11.9, 12.2, 12.5, 12.8, 13, 13.3, 13.7, 14.2, 14.9, 15.9, 17.2, 18.5, 19.5, 21.2, 23.6] },
  neutrophils: { spike: { value: 9.4, p: 0.2175 }, format: 'tenth', quantiles: [0.1, 0.9, 2.356, 2.9, 4, 4.61, 5.3, 6, 6.6, 7.1, 7.5, 8, 8.5, 8.9, 9.5, 10.1, 10.6, 11.2, 11.9, 12.7, 13.6, 15, 16.68, 19.5, 22.2, 27, 29.676, 39.788, 223.1] },
  sodium: { spike: null, format: 'sig10', quantiles: [126.984, 128.492, 130.049, 130.744, 131.804, 132.871, 134.014, 134.791, 135.365, 135.836, 136.297, 136.714, 137.132, 137.511, 137.902, 138.274, 138.673, 139.085, 139.508, 139.959, 140.441, 141.037, 141.753, 142.805, 143.744, 144.721, 145.545, 146.988, 149.387] },
  glucose: { spike: null, format: 'sig10', quantiles: [27.6413, 45.7921, 62.3638, 70.6382, 83.0922, 92.5975, 103.519, 110.91, 116.568, 121.884, 126.386, 130.325, 134.276, 138.101, 142.201, 146.14, 149.733, 153.616, 157.917, 162.389, 167.163, 173.194, 180.724, 191.166, 201.349, 210.847, 218.479, 235.993, 261.504] },
  bloodureanitro: { spike: { value: 12, p: 0.4541 }, format: 'integer', quantiles: [2, 3, 3, 3, 4, 5, 6, 7, 8, 8.5, 9, 10, 10, 11, 13, 14, 15, 16, 17, 18, 20, 23, 27, 35, 46.275, 66, 82.71, 254.871, 413.333] },
  creatinine: { spike: null, format: 'sig10', quantiles: [0.257152, 0.488023, 0.580396, 0.635724, 0.705567, 0.768977, 0.843053, 0.895067, 0.933835, 0.966406, 0.998271, 1.02379, 1.04836, 1.07316, 1.09843, 1.12295, 1.14803, 1.1755, 1.20391, 1.23505, 1.26737, 1.30673, 1.3556, 1.42761, 1.49313, 1.56391, 1.61556, 1.71186, 1.85489] },
  bmi: { spike: null, format: 'sig10', quantiles: [22.7116, 23.7288, 24.7252, 25.1584, 25.8683, 26.4868, 27.2229, 27.736, 28.1173, 28.4646, 28.7512, 29.0461, 29.342, 29.5904, 29.8422, 30.0824, 30.3317, 30.5754, 30.8401, 31.1411, 31.4579, 31.8379, 32.3684, 33.1463, 33.803, 34.5072, 35.1398, 36.212, 37.8656] },
  pulse: { spike: null, format: 'integer', quantiles: [33, 39, 44, 47, 51, 54, 58, 61, 64, 66, 67, 69, 70, 72, 73, 75, 76, 78, 79, 81, 83, 85, 88, 93, 96, 101, 103, 109.001, 115] },
  respiration: { spike: { value: 6.5, p: 0.6473 }, format: 'tenth', quantiles: [0.2, 3.3315, 3.9315, 4.2, 4.6, 4.9, 5.3, 5.5, 5.7, 5.9, 6, 6.1, 6.2, 6.3, 6.4, 6.7, 6.8, 6.9, 7, 7.2, 7.3, 7.5, 7.7, 8, 8.2, 8.5, 8.837, 9.5, 9.9] },
};

/**
 * Least-squares fit of lengthofstay on the sample (R² 0.76, residual sd 1.13): intercept, rcount steps, flag and
 * lab slopes, secondary diagnoses, male, facility. LOS = clamp(round(linear + N(0, LOS_NOISE_SD)), 1, 17).
 */
export const LOS_MODEL = {
  intercept: 1.3941,
  rcount: [0, 0.9953, 2.5084, 3.5025, 4.4899, 5.5885],
  flags: {
    dialysisrenalendstage: 0.7044, asthma: 0.4535, irondef: 0.369, pneum: 0.5177, substancedependence: 0.5886,
    psychologicaldisordermajor: 0.7206, depress: 0.3688, psychother: 0.6079, fibrosisandother: 0.9583, malnutrition: 0.2473,
    hemo: 1.2053,
  } satisfies Record<FlagColumn, number>,
  labs: {
    hematocrit: 0.015, neutrophils: 0.0256, sodium: -0.0005, glucose: 0.0006, bloodureanitro: 0.0078, creatinine: 0.0327,
    bmi: 0.0034, pulse: -0.0016, respiration: -0.018,
  } satisfies Record<LabColumn, number>,
  secondaryDiagnosis: 0.0022,
  male: 0.093,
  facility: [0, 0.0039, 1.2673, 0.7842, 0.8357],
} as const;
/** Residual sd of the LOS model. */
export const LOS_NOISE_SD = 1.134;
/** LOS range of the sample. */
export const LOS_MIN = 1;
/** LOS range of the sample. */
export const LOS_MAX = 17;
/** Admission dates: every day of 2012, as in the sample. */
export const VDATE_YEAR = 2012;
