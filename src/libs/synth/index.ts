/** Seeded synthetic length-of-stay data: records, CSV chunks, FHIR messages. See README.md. */
export { generateLosRecords, makeLosRecord, type SynthRecord } from './generate-los-records.js';
export { losCsvChunks, synthCsvColumns, csvField, type CsvChunkOptions } from './los-csv-chunks.js';
export { generateFhirMessages, admissionMessage, dischargeMessage, type FhirMessageOptions, type SynthEncounterMessages, type JsonMessage } from './generate-fhir-messages.js';
export { PII_COLUMNS, fakeSsn, fakePhone, fakeCardNumber, luhnCheckDigit, type PiiColumns } from './fake-pii.js';
export { resolveSynthOptions, MAX_SYNTH_ROWS, type SynthOptions, type ResolvedSynthOptions } from './synth-options.js';
export { Prng, rowSeed } from './prng.js';
