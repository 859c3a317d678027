/** How a report's figures were protected, and what a refusal means, in words. */
import type { DisclosureApplied } from '../../../src/libs/stay-reports/report-types.js';
import { h } from '../dom.js';
import { notice } from '../ui.js';

/**
 * The note under a report.
 * @param d - the disclosure settings the server applied
 */
export function disclosureNote(d: DisclosureApplied): HTMLElement {
  if (!d.applied) {
    return notice('note', 'Exact figures: your role may see these patients row by row.');
  }
  return notice(
    'note',
    h('strong', {}, 'Disclosure control. '),
    `Cells with fewer than ${d.threshold} patients are withheld, and enough others that they cannot be worked out from the totals; `,
    `counts are rounded to the nearest ${d.roundingBase}; averages dominated by one patient are withheld. `,
    `This view withheld ${d.suppressed.primary} small or dominated and ${d.suppressed.secondary} further figures.`,
  );
}

/**
 * The notice for a section the differencing guard refused.
 * @param what - what was refused
 * @param threshold - the disclosure threshold
 */
export function refusedNote(what: string, threshold: number): HTMLElement {
  return notice(
    'alert',
    h('strong', {}, `${what}: refused. `),
    `Compared with a view you have already seen, this one differs by fewer than ${threshold} patients (or covers fewer than ${threshold}), `,
    'so the difference could reveal individual patients. It becomes available when more patients are admitted or discharged.',
  );
}
