import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { luhnCheckDigit } from './fake-pii.js';
import { losCsvChunks, csvField } from './los-csv-chunks.js';

const digest = (chunks: Iterable<string>): string => {
  const h = createHash('sha256');
  for (const c of chunks) {
    h.update(c);
  }
  return h.digest('hex');
};

/** Minimal RFC 4180 line splitter for the test. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cur += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

describe('losCsvChunks', () => {
  it('streams a header then row chunks; same seed gives identical bytes; chunking does not change the bytes', () => {
    const chunks = [...losCsvChunks({ rows: 2500, seed: 11, chunkRows: 1000 })];
    expect(chunks).toHaveLength(4);
    expect(chunks[0]).toBe('First,Middle,Last,eid,vdate,rcount,gender,dialysisrenalendstage,asthma,irondef,pneum,substancedependence,psychologicaldisordermajor,depress,psychother,fibrosisandother,malnutrition,hemo,hematocrit,neutrophils,sodium,glucose,bloodureanitro,creatinine,bmi,pulse,respiration,secondarydiagnosisnonicd9,discharged,facid,lengthofstay\n');
    expect(chunks.join('').split('\n')).toHaveLength(2502);
    expect(digest(chunks)).toBe(digest(losCsvChunks({ rows: 2500, seed: 11, chunkRows: 7 })));
    expect(digest(chunks)).not.toBe(digest(losCsvChunks({ rows: 2500, seed: 12 })));
  });

  it('writes valid PII columns when asked', () => {
    const text = [...losCsvChunks({ rows: 300, seed: 4, withPii: true })].join('');
    const [head, ...lines] = text.trim().split('\n');
    const cols = head!.split(',');
    expect(cols.slice(-10)).toEqual(['ssn', 'phone', 'email', 'street', 'city', 'zip', 'ccnum', 'birthdate', 'age', 'notes']);
    let restricted = 0;
    for (const line of lines) {
      const row = Object.fromEntries(splitCsvLine(line).map((v, i) => [cols[i]!, v]));
      expect(row['ssn']).toMatch(/^(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/);
      expect(row['phone']).toMatch(/^\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[.-]\d{4}$/);
      expect(row['email']).toMatch(/^[a-z]+\.[a-z]+\d*@example\.(com|org|net)$/);
      expect(row['zip']).toMatch(/^\d{5}$/);
      const card = row['ccnum']!.replace(/[ -]/g, '');
      expect(card).toMatch(/^4\d{15}$/);
      expect(luhnCheckDigit(card.slice(0, 15))).toBe(Number(card[15]));
      expect(Number(row['age'])).toBeGreaterThanOrEqual(18);
      if (['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'].includes(row['zip']!.slice(0, 3))) {
        restricted += 1;
      }
    }
    expect(restricted).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('SSN on file') || l.includes('callback'))).toBe(true);
  });

  it('checks the Luhn digit against a known card number and quotes CSV fields', () => {
    expect(luhnCheckDigit('411111111111111')).toBe(1);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(3.5)).toBe('3.5');
  });

  it('rejects a bad chunk size', () => {
    expect(() => losCsvChunks({ rows: 1, seed: 1, chunkRows: 0 })).toThrow(HavenError);
  });
});
