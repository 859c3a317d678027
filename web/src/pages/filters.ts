/** The filter form of the report pages: facility (and admission months), applied by navigating to the new query. */
import { FACILITIES } from '../../../src/libs/formats/fhir/los-record.js';
import { FACILITY_INFO } from '../../../src/libs/stay-reports/facilities.js';
import type { PageContext } from '../app.js';
import { h } from '../dom.js';
import { input, select } from '../ui.js';

/** Label of a facility key. */
export function facilityName(f: string): string {
  return Object.hasOwn(FACILITY_INFO, f) ? `${f} · ${FACILITY_INFO[f as keyof typeof FACILITY_INFO].name}` : f === 'unknown' ? 'Unknown facility' : f;
}

/**
 * The filter form.
 * @param ctx - the page context (current query, navigation)
 * @param withMonths - whether the admission-month range applies
 */
export function filterForm(ctx: PageContext, withMonths: boolean): HTMLFormElement {
  const p = ctx.params;
  const form = h(
    'form',
    {
      class: 'filters',
      attrs: { 'aria-label': 'Filters' },
      on: {
        submit: (e) => {
          e.preventDefault();
          const data = new FormData(form);
          const q = new URLSearchParams({ workspace: ctx.workspace });
          for (const k of ['facility', 'from', 'to']) {
            const v = String(data.get(k) ?? '');
            if (v !== '') {
              q.set(k, v);
            }
          }
          ctx.navigate(`/app/${ctx.page.slug}?${q.toString()}`);
        },
      },
    },
    select('facility', 'Facility', [['', 'All facilities'], ...FACILITIES.map((f) => [f, facilityName(f)] as const)], p.get('facility') ?? ''),
    withMonths ? input('from', 'Admitted from (month)', { type: 'month', value: p.get('from') ?? '' }) : null,
    withMonths ? input('to', 'Admitted to (month)', { type: 'month', value: p.get('to') ?? '' }) : null,
    h('button', { attrs: { type: 'submit' } }, 'Apply'),
  );
  return form;
}

/**
 * The query string of a report request from the page's filters.
 * @param ctx - the page context
 * @param keys - the filter keys the report accepts
 */
export function reportQuery(ctx: PageContext, keys: readonly string[]): string {
  const q = new URLSearchParams();
  for (const k of keys) {
    const v = ctx.params.get(k);
    if (v) {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
