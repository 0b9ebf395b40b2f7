/**
 * ATT&CK technique names from data/attack-techniques.json. A sub-technique's
 * `name` is the full `Parent: Sub` form ATT&CK's site shows
 * ("Brute Force: Password Spraying"); `short_name` is ATT&CK's own `name`.
 *
 * @example
 * const catalog = new TechniqueCatalog(data);
 * catalog.name('T1110.003'); // 'Brute Force: Password Spraying'
 * catalog.get('T1002')?.status; // 'revoked'
 */
import type { AttackTechniquesData } from './actor-data.js';

/**
 * One technique. Revoked and deprecated ones are kept (flagged) so an old id
 * in someone's data still gets its name.
 */
export interface Technique {
  readonly id: string;
  /** `Brute Force: Password Spraying` for a sub-technique, else ATT&CK's name. */
  readonly name: string;
  /** ATT&CK's name: `Password Spraying`. */
  readonly short_name: string;
  /** ATT&CK tactics (kill-chain phases), e.g. `credential-access`. */
  readonly tactics: readonly string[];
  readonly status: 'active' | 'revoked' | 'deprecated';
}

export class TechniqueCatalog {
  readonly #techniques: ReadonlyMap<string, Technique>;

  constructor(data: AttackTechniquesData) {
    this.#techniques = new Map(
      Object.entries(data.techniques).map(([id, t]) => [
        id,
        Object.freeze({
          id,
          name: t.full_name ?? t.name,
          short_name: t.name,
          tactics: Object.freeze([...t.tactics]),
          status: t.status ?? 'active',
        }),
      ]),
    );
  }

  /** The technique, or undefined for an id ATT&CK does not have. Ids are case-insensitive. */
  get(id: string): Technique | undefined {
    return this.#techniques.get(id.trim().toUpperCase());
  }

  /** The full name (`Parent: Sub`), or undefined for an unknown id. */
  name(id: string): string | undefined {
    return this.get(id)?.name;
  }

  /** How many techniques the catalog holds, revoked and deprecated included. */
  get size(): number {
    return this.#techniques.size;
  }
}
