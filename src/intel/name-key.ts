/**
 * The form in which actor names are compared: case, accents, spaces, hyphens
 * and punctuation ignored, so "APT 35", "apt35" and "APT-35" are one name.
 *
 * @example
 * nameKey('APT-35'); // 'apt35'
 * nameKey('Charming  Kitten'); // 'charmingkitten'
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The digits of a key, in order. Names that differ in a digit are different
 * groups (APT34 is not APT35), so a misspelling may never change them.
 *
 * @example
 * digitsOf('apt35'); // '35'
 */
export function digitsOf(key: string): string {
  return key.replace(/\P{N}+/gu, '');
}
