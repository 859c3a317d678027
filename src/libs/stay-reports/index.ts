/** Length-of-stay reports for the dashboard, under disclosure control (pure compute). See README.md. */
export * from './report-types.js';
export { FACILITY_INFO, type FacilityInfo } from './facilities.js';
export { toStayRow, monthOf, dayOf, type StayRow, type StaySource, type StayPrediction } from './stay-row.js';
export { inSlice, monthsBetween, daysOfMonths, sliceLabel, MONTH_PATTERN } from './stay-filter.js';
export { PROTECTED_DISCLOSURE, EXACT_FIGURES, isProtected, roundMean, type DisclosureOptions } from './disclosure-options.js';
export { protectTable, protectFigure, type MeasuredCell, type ProtectedTable, type PublishedCell } from './protect-table.js';
export { actualStaySection, dischargedSlice, facilityAxis, type ComputedSection } from './actual-stay.js';
export { inHospitalSection, dischargedSection, inHospitalSlice, scoredDischargedSlice, MAX_PREDICTED_DAY, MAX_ERROR_DAYS } from './predicted-stay.js';
export { patientSlices } from './patient-list.js';
