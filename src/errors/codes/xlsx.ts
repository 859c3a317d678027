import type { CodeEntry } from '../code-entry.js';

/** Codes of Excel workbook (.xlsx) import: the container, the sheet, and the rows sent to quarantine. */
export const XLSX_CODES = {
  HAVEN_XLSX_NOT_A_WORKBOOK: { status: 400, category: 'input', message: 'upload is not an Excel workbook (.xlsx)' },
  HAVEN_XLSX_CORRUPT: { status: 400, category: 'input', message: 'workbook is damaged or truncated' },
  HAVEN_XLSX_UNSUPPORTED: {
    status: 400,
    category: 'input',
    message: 'workbook uses a feature Haven does not read (encryption, ZIP64, multi-part archive or an unknown compression method)',
  },
  HAVEN_XLSX_TOO_LARGE: { status: 413, category: 'limit', message: 'workbook exceeds the size limit' },
  HAVEN_XLSX_EXPANDS_TOO_MUCH: { status: 413, category: 'limit', message: 'workbook expands beyond the decompression limit' },
  HAVEN_XLSX_SHEET_NOT_FOUND: { status: 404, category: 'notFound', message: 'the workbook has no such worksheet' },
  HAVEN_XLSX_EMPTY_SHEET: { status: 400, category: 'input', message: 'worksheet is empty' },
  HAVEN_XLSX_NO_ROWS: { status: 400, category: 'input', message: 'worksheet has a header but no data rows' },
  HAVEN_XLSX_BAD_HEADER: { status: 400, category: 'input', message: 'worksheet header has an empty or duplicate column name' },
  HAVEN_XLSX_TOO_MANY_COLUMNS: { status: 413, category: 'limit', message: 'worksheet has more columns than allowed' },
  // Row-level reasons: such rows go to quarantine, the import goes on.
  HAVEN_XLSX_ERROR_CELL: { status: 400, category: 'input', message: 'worksheet row holds an error value (#DIV/0!, #N/A, …)' },
  HAVEN_XLSX_CELL_OUTSIDE_TABLE: { status: 400, category: 'input', message: 'worksheet row has a value in a column without a header' },
} as const satisfies Record<string, CodeEntry>;
