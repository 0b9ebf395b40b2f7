/**
 * The result of validating one input record at the edge: the typed value, or
 * every problem found, each naming the field and the reason.
 *
 * @example
 * const r: Validation<number> = { ok: false, problems: [{ field: 'type', reason: 'required' }] };
 */
export interface Problem {
  /** Dotted path of the offending field, e.g. `account.id`; empty for the record itself. */
  readonly field: string;
  readonly reason: string;
}

export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** `account.id: required; type: unknown value "singin"` */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.field ? `${p.field}: ${p.reason}` : p.reason)).join('; ');
}
