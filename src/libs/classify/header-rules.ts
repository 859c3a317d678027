import type { ClassKind, ClassLabel } from './classification-types.js';

/** One rule over a normalised header name (lower case, letters and digits only). */
export interface HeaderRule {
  /** Stable id reported in evidence, e.g. `header:name`. */
  readonly id: string;
  readonly label: ClassLabel;
  readonly kind: ClassKind;
  readonly test: (norm: string) => boolean;
}

const re = (r: RegExp) => (norm: string): boolean => r.test(norm);
const oneOf = (...names: string[]) => {
  const set = new Set(names);
  return (norm: string): boolean => set.has(norm);
};

/**
 * Header rules, most specific first. Several may match one header; the column classifier weighs
 * them against what the values show (a `date` hint on a column of numbers is ignored, say).
 */
export const HEADER_RULES: readonly HeaderRule[] = [
  { id: 'header:secret', label: 'secret', kind: 'credential', test: re(/password|passwd|^pwd$|secret|apikey|accesskey|privatekey|authtoken|accesstoken|credential|connectionstring|connstr/) },
  {
    id: 'header:name',
    label: 'direct_identifier',
    kind: 'name',
    test: (n) =>
      oneOf('first', 'middle', 'last', 'name', 'fname', 'mname', 'lname', 'given', 'surname', 'forename', 'mi', 'middleinitial', 'alias', 'nickname')(n) ||
      /(first|last|middle|given|family|sur|full|patient|pt|maiden|nick|person|contact|kin|guarantor|mother|father|spouse)name$/.test(n),
  },
  { id: 'header:fax', label: 'direct_identifier', kind: 'fax', test: re(/fax/) },
  { id: 'header:phone', label: 'direct_identifier', kind: 'phone', test: re(/phone|^tel$|telephone|mobile|^cell$|cellular|contactnumber/) },
  { id: 'header:email', label: 'direct_identifier', kind: 'email', test: re(/^e?mail|emailaddress|email$/) },
  { id: 'header:ssn', label: 'direct_identifier', kind: 'ssn', test: re(/ssn|socialsecurity|socsec|nationalid|^sin$/) },
  { id: 'header:mrn', label: 'direct_identifier', kind: 'mrn', test: re(/mrn|medicalrecord|medrec|chartnumber|chartno/) },
  { id: 'header:health_plan_id', label: 'direct_identifier', kind: 'health_plan_id', test: re(/healthplan|insurance|insurer|memberid|membernumber|policynumber|policyid|subscriber|medicaid|medicare|beneficiary|payerid/) },
  { id: 'header:account_number', label: 'direct_identifier', kind: 'account_number', test: re(/account|acct|iban|creditcard|cardnumber|ccnum|bankaccount|routingnumber/) },
  { id: 'header:vehicle_id', label: 'direct_identifier', kind: 'vehicle_id', test: re(/^vin$|vehicle|licenseplate|licenceplate|numberplate/) },
  { id: 'header:licence_number', label: 'direct_identifier', kind: 'licence_number', test: re(/licen[cs]e|driverslic|^dln$|certificatenumber/) },
  { id: 'header:device_id', label: 'direct_identifier', kind: 'device_id', test: re(/device|serialnumber|^serial|^udi$|imei|macaddress|^mac$/) },
  { id: 'header:url', label: 'direct_identifier', kind: 'url', test: re(/url|website|homepage|webpage/) },
  { id: 'header:ip_address', label: 'direct_identifier', kind: 'ip_address', test: re(/^ip$|ipaddr|ipv4|ipv6|clientip|remoteaddr/) },
  { id: 'header:biometric', label: 'direct_identifier', kind: 'biometric', test: re(/fingerprint|biometric|retina|iris|voiceprint|faceprint|photo|facial/) },
  { id: 'header:zip3', label: 'quasi_identifier', kind: 'zip3', test: re(/zip3|zipprefix|threedigitzip/) },
  { id: 'header:geographic', label: 'direct_identifier', kind: 'geographic_subunit', test: re(/address|street|^addr|^city$|town|county|zip|postal|postcode|latitude|longitude|^lat$|^lon$|^lng$|precinct|geocode/) },
  { id: 'header:date', label: 'direct_identifier', kind: 'date', test: re(/dob|birth|bday|admi[st]|discharg|death|^dod$|deceased|visit|vdate|date|^dos$|time$|timestamp/) },
  { id: 'header:age', label: 'quasi_identifier', kind: 'age', test: re(/^age(years|yrs|group|cat|bin|band|at\w*)?$|^patientage$/) },
  { id: 'header:sex', label: 'quasi_identifier', kind: 'sex', test: oneOf('sex', 'gender', 'sexatbirth', 'biologicalsex', 'genderidentity') },
  { id: 'header:year', label: 'quasi_identifier', kind: 'year', test: re(/year$|^yr$|^yob$/) },
  { id: 'header:facility', label: 'quasi_identifier', kind: 'facility', test: re(/^fac|facility|hospital|clinic|^site|ward|department|^dept|campus|practice/) },
  { id: 'header:provider', label: 'quasi_identifier', kind: 'provider', test: re(/provider|physician|doctor|clinician|npi|attending|surgeon|prescriber/) },
  { id: 'header:demographic', label: 'quasi_identifier', kind: 'demographic', test: re(/race|ethnic|marital|language|religion|occupation|employer|education|income|veteran/) },
  {
    id: 'header:unique_id',
    label: 'direct_identifier',
    kind: 'unique_id',
    test: (n) =>
      oneOf('id', 'eid', 'pid', 'uid', 'vid', 'sid', 'uuid', 'guid', 'key', 'rowid', 'hadmid', 'stayid')(n) ||
      /^(encounter|visit|patient|person|subject|record|case|admission|stay|episode|member|participant|specimen|sample|order|claim)(id|no|num|number|key|uuid|guid)?$/.test(n),
  },
  { id: 'header:lab_value', label: 'sensitive_attribute', kind: 'lab_value', test: re(/hematocrit|^hct$|hemoglobin|^hgb$|neutrophil|^wbc$|^rbc$|platelet|sodium|potassium|chloride|glucose|urea|^bun$|bloodureanitro|creatinine|albumin|bilirubin|cholesterol|^ldl|^hdl|triglycer|a1c|^lab|troponin|lactate|^inr$|ferritin|calcium|magnesium|phosph|lymphocyte|^crp$|culture/) },
  { id: 'header:vital_sign', label: 'sensitive_attribute', kind: 'vital_sign', test: re(/bmi|pulse|heartrate|^hr$|respirat|resprate|^rr$|bloodpressure|systolic|diastolic|^bp|^sbp|^dbp|temperature|^temp$|spo2|oxygensat|o2sat|weight|height/) },
  { id: 'header:diagnosis', label: 'sensitive_attribute', kind: 'diagnosis', test: re(/diag|icd|^dx|condition|disease|comorbid|problem|cpt|drg|snomed/) },
  {
    id: 'header:clinical_flag',
    label: 'sensitive_attribute',
    kind: 'clinical_flag',
    test: re(/dialysis|renal|kidney|asthma|irondef|anemi|anaemi|pneum|substance|alcohol|smok|tobacco|opioid|drug|psych|depress|anxiety|bipolar|schizo|fibrosis|malnutrition|hemo|haemo|hiv|aids|hepatitis|cancer|tumou?r|oncol|diabet|hypertens|cardiac|heart|stroke|copd|pregnan|abortion|allerg|medication|prescri|treatment|therapy|surgery|procedure|transplant|mental|suicid|disabilit/),
  },
  { id: 'header:outcome', label: 'sensitive_attribute', kind: 'outcome', test: re(/lengthofstay|^los$|readmi|^rcount$|mortality|outcome|^died$|survival|severity|acuity|dischargestatus|disposition|prognosis/) },
];

/**
 * Lower-case a header and keep only letters and digits (`Date of Birth` → `dateofbirth`).
 * @param header - the column name
 */
export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The rules a header matches, in rule order.
 * @param header - the column name
 */
export function matchHeader(header: string): HeaderRule[] {
  const norm = normaliseHeader(header);
  return norm === '' ? [] : HEADER_RULES.filter((r) => r.test(norm));
}
