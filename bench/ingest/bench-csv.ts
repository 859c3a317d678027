/**
 * CSV ingest benchmark (run compiled):
 *   npx tsc -p tsconfig.json && node dist/bench/ingest/bench-csv.js /tmp/los-1m.csv [--repeat 3] [--chunk 65536] [--no-ref]
 *
 * Times, on an in-memory copy of the file (so the numbers are CPU, not disk), best of --repeat:
 *   parse     the streaming reader alone, fed --chunk byte slices (MB/s of CSV)
 *   infer     schema inference over every record (timed apart from parsing, in the same pass)
 *   classify  column classification over every record (timed apart, same pass)
 * and, in the same run, the reference /usr/bin/python3 ../shared/bench/ingest_ref.py (Python csv,
 * sqlite3 .import). It prints the ratios: the goal is parse >= 100 MB/s, classify >= 20 MB/s and
 * parse + infer + classify <= 2x sqlite3 `.import` of the same file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCsvReader } from '../../src/libs/formats/csv/csv-reader.js';
import { SchemaInferrer } from '../../src/libs/formats/csv/schema-infer.js';
import { DatasetClassifier } from '../../src/libs/classify/classify-dataset.js';

interface Pass {
  readonly rows: number;
  readonly parse: number;
  readonly infer: number;
  readonly classify: number;
  readonly labels: string[];
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

/** One streaming pass; each stage's time is summed per batch so they can be told apart. */
function pass(buf: Buffer, chunk: number, withStages: boolean): Pass {
  const reader = createCsvReader();
  let infer: SchemaInferrer | undefined;
  let classify: DatasetClassifier | undefined;
  let tParse = 0;
  let tInfer = 0;
  let tClassify = 0;
  let rows = 0;
  const feed = (records: { fields: string[] }[]): void => {
    rows += records.length;
    if (!withStages || records.length === 0) {
      return;
    }
    infer ??= new SchemaInferrer(reader.header!);
    classify ??= new DatasetClassifier(reader.header!);
    const t0 = performance.now();
    for (const r of records) {
      infer.observe(r.fields);
    }
    const t1 = performance.now();
    for (const r of records) {
      classify.observe(r.fields);
    }
    tInfer += t1 - t0;
    tClassify += performance.now() - t1;
  };
  for (let i = 0; i < buf.length; i += chunk) {
    const t0 = performance.now();
    const batch = reader.push(buf.subarray(i, i + chunk));
    tParse += performance.now() - t0;
    feed(batch.records);
  }
  const t0 = performance.now();
  const last = reader.end();
  tParse += performance.now() - t0;
  feed(last.records);
  let labels: string[] = [];
  if (classify) {
    const t1 = performance.now();
    const res = classify.result();
    infer!.finish();
    tClassify += performance.now() - t1;
    labels = res.map((r) => `${r.column}=${r.label}${r.kind ? `:${r.kind}` : ''}`);
  }
  return { rows, parse: tParse / 1000, infer: tInfer / 1000, classify: tClassify / 1000, labels };
}

interface RefTimings {
  readonly [method: string]: number;
}

function reference(file: string, repeat: number): RefTimings | undefined {
  const script = [resolve(process.cwd(), '../shared/bench/ingest_ref.py'), '/work/shared/bench/ingest_ref.py'].find((p) => existsSync(p));
  if (script === undefined) {
    console.log('reference: ingest_ref.py not found; skipped');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'haven-ingest-ref-'));
  try {
    const json = join(dir, 'ref.json');
    execFileSync('/usr/bin/python3', [script, file, '--repeat', String(repeat), '--dbdir', dir, '--json', json], { stdio: ['ignore', 'ignore', 'inherit'] });
    const out = JSON.parse(readFileSync(json, 'utf8')) as { results: { timings: RefTimings }[] };
    return out.results[0]!.timings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined || file.startsWith('--')) {
    console.error('usage: node dist/bench/ingest/bench-csv.js FILE.csv [--repeat N] [--chunk BYTES] [--no-ref]');
    process.exit(2);
  }
  const repeat = Number(arg('--repeat', '3'));
  const chunk = Number(arg('--chunk', String(64 * 1024)));
  const buf = readFileSync(file);
  const mb = buf.length / 1e6;
  console.log(`file ${file}: ${mb.toFixed(1)} MB, chunk ${chunk} bytes, best of ${repeat}, node ${process.version}`);

  let parseOnly = Infinity;
  let best: Pass | undefined;
  for (let i = 0; i < repeat; i++) {
    const p = pass(buf, chunk, false);
    parseOnly = Math.min(parseOnly, p.parse);
    const s = pass(buf, chunk, true);
    if (best === undefined || s.infer + s.classify < best.infer + best.classify) {
      best = s;
    }
  }
  const b = best!;
  const rate = (sec: number): string => `${sec.toFixed(3)} s  ${(mb / sec).toFixed(1)} MB/s  ${(b.rows / sec / 1e6).toFixed(2)} M rows/s`;
  console.log(`rows ${b.rows}`);
  console.log(`  parse              ${rate(parseOnly)}`);
  console.log(`  infer schema       ${rate(b.infer)}`);
  console.log(`  classify           ${rate(b.classify)}`);
  const pipeline = parseOnly + b.infer + b.classify;
  console.log(`  parse+infer+class. ${rate(pipeline)}`);
  console.log(`labels: ${b.labels.join(' ')}`);

  if (process.argv.includes('--no-ref')) {
    return;
  }
  const ref = reference(file, repeat);
  if (ref === undefined) {
    return;
  }
  console.log('reference (same run):');
  for (const [k, v] of Object.entries(ref)) {
    console.log(`  ${k.padEnd(18)} ${rate(v)}`);
  }
  const ratio = (name: string, ours: number, theirs: number | undefined): void => {
    if (theirs !== undefined) {
      console.log(`  ${name.padEnd(44)} ${(ours / theirs).toFixed(2)}x time`);
    }
  };
  console.log('ratios (Haven time / reference time; < 1 is faster):');
  ratio('parse / python csv strings', parseOnly, ref.py_csv_strings);
  ratio('parse+infer / python csv typed', parseOnly + b.infer, ref.py_csv_typed);
  ratio('parse+infer+classify / sqlite3 .import (text)', pipeline, ref.sqlite_text);
  ratio('parse+infer+classify / sqlite3 .import (typed)', pipeline, ref.sqlite_typed);
  console.log(`goals: parse >= 100 MB/s: ${mb / parseOnly >= 100 ? 'met' : 'NOT met'}; classify >= 20 MB/s: ${mb / b.classify >= 20 ? 'met' : 'NOT met'}; ` +
    `pipeline <= 2x sqlite .import: ${ref.sqlite_text !== undefined && pipeline <= 2 * ref.sqlite_text ? 'met' : 'NOT met'}`);
}

main();
