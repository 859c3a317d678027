/** What a spreadsheet number format shows of a date serial: a day, a day and a time, a time of day, or no date at all. */
export type DateFormatKind = 'date' | 'datetime' | 'time';

/**
 * Classify an Excel number format code (`m/d/yyyy`, `yyyy-mm-dd hh:mm`, `h:mm AM/PM`, `0.00`). Literal text (quoted
 * or escaped), colours, conditions and locale tags (`[Red]`, `[>100]`, `[$-409]`) are ignored; elapsed-time brackets
 * (`[h]`, `[mm]`, `[ss]`) count as time. Only the first section (positive numbers) is read. `m` is minutes when the
 * format also shows hours or seconds, otherwise months.
 * @param format - the format code (empty or `General` for none)
 * @returns the kind, or undefined for a plain number format
 */
export function dateFormatKind(format: string | undefined): DateFormatKind | undefined {
  if (!format) {
    return undefined;
  }
  const tokens = formatLetters(format);
  const hasTime = /[hs]/.test(tokens) || /am\/pm|a\/p/.test(tokens);
  const hasDate = /[yd]/.test(tokens) || (!hasTime && tokens.includes('m'));
  if (hasDate && hasTime) {
    return 'datetime';
  }
  if (hasDate) {
    return 'date';
  }
  return hasTime ? 'time' : undefined;
}

/** The format's first section, lower-cased, without literals, padding, colours, conditions and locale tags. */
function formatLetters(format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === ';') {
      break;
    }
    if (c === '"') {
      const close = format.indexOf('"', i + 1);
      i = close < 0 ? format.length : close;
      continue;
    }
    if (c === '\\' || c === '_' || c === '*') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = format.indexOf(']', i + 1);
      const inner = (close < 0 ? format.slice(i + 1) : format.slice(i + 1, close)).toLowerCase();
      if (/^(h+|m+|s+)$/.test(inner)) {
        out += inner;
      }
      i = close < 0 ? format.length : close;
      continue;
    }
    out += c.toLowerCase();
  }
  return out.replace(/general/g, '');
}
