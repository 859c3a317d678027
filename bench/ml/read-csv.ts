/**
 * A minimal CSV reader for the ML tests and benchmark only (simple files: comma-separated, optional
 * double quotes without embedded newlines, optional UTF-8 BOM). Not Haven's ingest parser.
 */
import { readFileSync } from 'node:fs';

/**
 * Read a CSV file into columns of strings keyed by header name.
 * @param path - file path
 */
export function readCsvColumns(path: string): { header: string[]; columns: Record<string, string[]>; nRows: number } {
  let text = readFileSync(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  const lines = text.split(/\r?\n/);
  const header = splitLine(lines[0] ?? '');
  const cols: string[][] = header.map(() => []);
  let nRows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      continue;
    }
    const cells = splitLine(line);
    for (let c = 0; c < header.length; c++) {
      cols[c]!.push(cells[c] ?? '');
    }
    nRows++;
  }
  const columns: Record<string, string[]> = {};
  header.forEach((h, c) => {
    columns[h] = cols[c]!;
  });
  return { header, columns, nRows };
}

function splitLine(line: string): string[] {
  if (!line.includes('"')) {
    return line.split(',');
  }
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') {
        q = false;
      } else {
        cur += ch;
      }
    } else if (ch === '"') {
      q = true;
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
