import { textAt } from './read-fields.js';

/** Who an OCSF `user` object names, in native terms. */
export interface OcsfIdentity {
  /** The native `account.id` (or `actor.id`): lower-cased login. */
  readonly id: string;
  /** Set when the login is an email address. */
  readonly email?: string;
  /** The producer's own `uid`, to tell two users apart when their logins differ in form. */
  readonly uid?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_ID = 256;

/**
 * The identity an OCSF `user` object names: its `email_addr` when that is
 * an email address (the login at most identity providers; the OCSF Okta
 * mapping puts the display name in `name`), else its `name` (the login at
 * GitHub, Windows, AWS), else its `uid` (an AWS ARN, an Okta user id), all
 * lower-cased. Placeholders (`"-"`, `"NULL SID"`) count as absent.
 *
 * @example
 * userIdentity({ name: 'John Doe', email_addr: 'John.Doe@example.com', uid: '00u1' });
 * // { id: 'john.doe@example.com', email: 'john.doe@example.com', uid: '00u1' }
 * userIdentity({ name: '-', uid: 'NULL SID' }); // undefined
 */
export function userIdentity(user: unknown): OcsfIdentity | undefined {
  const email = textAt(user, 'email_addr')?.toLowerCase();
  const name = textAt(user, 'name')?.toLowerCase();
  const uid = textAt(user, 'uid');
  const login = email !== undefined && EMAIL.test(email) ? email : (name ?? uid?.toLowerCase());
  if (login === undefined || login.length > MAX_ID) return undefined;
  return {
    id: login,
    ...(EMAIL.test(login) ? { email: login } : {}),
    ...(uid !== undefined ? { uid } : {}),
  };
}

/**
 * Whether two identities are the same user: by `uid` when both have one,
 * else by login.
 *
 * @example
 * sameIdentity({ id: 'a@x.org', uid: '1' }, { id: 'ana', uid: '1' }); // true
 */
export function sameIdentity(a: OcsfIdentity, b: OcsfIdentity): boolean {
  if (a.uid !== undefined && b.uid !== undefined) return a.uid === b.uid;
  return a.id === b.id;
}
