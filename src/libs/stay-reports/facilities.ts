/**
 * The reference deployment's facilities: ward names and bed capacities (the occupancy report compares with them).
 */
import type { Facility } from '../formats/fhir/los-record.js';

/** A facility's ward and its number of beds. */
export interface FacilityInfo {
  readonly name: string;
  readonly capacity: number;
}

/** The five facilities of the length-of-stay data. */
export const FACILITY_INFO: Readonly<Record<Facility, FacilityInfo>> = {
  A: { name: 'General Medicine 3 West', capacity: 75 },
  B: { name: 'Pulmonary 2 West', capacity: 80 },
  C: { name: 'General Medicine 3 South', capacity: 30 },
  D: { name: 'Geriatrics 2 East', capacity: 100 },
  E: { name: 'Behavioral 1 East', capacity: 95 },
};
