/**
 * Kinds of target, the common ground between a campaign's account tags
 * (`campaign-staff`, `journalist`, `official`, … as a directory labels
 * accounts) and an actor's targeting as MISP records it (`cfr-target-category`
 * "Civil society", `targeted-sector` "News - Media", victims such as "Iranian
 * internet activists"). Tags are matched by name, the MISP strings by words,
 * so a new MISP spelling ("Telecomms") needs no code change.
 *
 * The map is deliberately coarse: attribution only takes a small boost from
 * targeting (docs/ATTRIBUTION.md), and a wrong fine-grained map would be
 * worse than a right coarse one.
 *
 * @example
 * targetKindOfTag('journalists'); // 'media'
 * [...targetKindsOf(kb.get('G0059')!.targeting).keys()]; // ['government', 'diplomatic', 'defense', 'technology']
 */
import type { ActorTargeting } from '../domain/actor.js';

/**
 * Every kind of target, in the order evidence lists them.
 *
 * @example
 * TARGET_KINDS.includes('media'); // true
 */
export const TARGET_KINDS = [
  'political',
  'government',
  'diplomatic',
  'defense',
  'media',
  'civil-society',
  'academic',
  'business',
  'finance',
  'healthcare',
  'energy',
  'telecom',
  'technology',
  'legal',
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * One kind: how people call it, the account tags that belong to it, and the
 * words in MISP's targeting strings that show it.
 *
 * @example
 * const r: TargetKindRule = { label: 'legal', tags: ['legal', 'lawyer'], terms: /\blegal\b/i };
 */
export interface TargetKindRule {
  /** For evidence text: `journalists and media`. */
  readonly label: string;
  /** Account tags, in their normal form (lower case, words joined by `-`). */
  readonly tags: readonly string[];
  readonly terms: RegExp;
}

/**
 * Every kind's rule; a kind added to {@link TARGET_KINDS} does not compile
 * until it has one.
 *
 * @example
 * TARGET_KIND_RULES.media.terms.test('News - Media'); // true
 */
export const TARGET_KIND_RULES: Readonly<Record<TargetKind, TargetKindRule>> = {
  political: {
    label: 'political campaigns and parties',
    tags: ['campaign-staff', 'politician', 'political', 'political-party', 'election'],
    terms: /\bpolitic|\bpart(?:y|ies)\b|\belection|\bopposition\b/i,
  },
  government: {
    label: 'government',
    tags: ['government', 'official', 'public-sector', 'ministry', 'civil-servant'],
    terms: /\bgovern|\bintergovernmental\b|\badministration\b|\bministr|\bpublic sector\b/i,
  },
  diplomatic: {
    label: 'diplomats',
    tags: ['diplomat', 'diplomatic', 'embassy', 'foreign-affairs'],
    terms: /\bdiploma(?:t|cy)|\bembass|\bforeign affairs\b|\bintergovernmental\b/i,
  },
  defense: {
    label: 'defense and military',
    tags: ['defense', 'defence', 'military'],
    terms: /\bdefen[cs]e|\bmilitary\b|\baerospace\b/i,
  },
  media: {
    label: 'journalists and media',
    tags: ['journalist', 'media', 'press', 'reporter', 'newsroom'],
    terms: /\bjournalis|\bmedia\b|\bnews\b|\bpress\b|\bbroadcast/i,
  },
  'civil-society': {
    label: 'civil society, activists and diaspora',
    tags: ['ngo', 'activist', 'dissident', 'diaspora', 'human-rights', 'non-profit', 'nonprofit'],
    terms:
      /\bcivil society\b|\bngos?\b|\bnon-?profit|\bactivist|\bdissident|\bhuman rights\b|\bdiaspora|\bpro-democracy\b/i,
  },
  academic: {
    label: 'academia and research',
    tags: ['academic', 'academia', 'university', 'researcher', 'student', 'think-tank'],
    terms: /\bacadem|\buniversit|\beducation\b|\bresearch\b|\bthink tanks?\b|\bscientific\b/i,
  },
  business: {
    label: 'business',
    tags: ['executive', 'business', 'private-sector', 'corporate'],
    terms: /\bprivate sector\b|\bbusiness\b|\bcorporat/i,
  },
  finance: {
    label: 'finance',
    tags: ['finance', 'financial', 'bank', 'banking'],
    terms: /\bfinanc|\bbank|\binvestment\b|\bpayment|\bcryptocurrenc/i,
  },
  healthcare: {
    label: 'healthcare',
    tags: ['healthcare', 'health', 'medical', 'pharma', 'hospital'],
    terms: /\bhealth|\bmedical\b|\bpharma|\bbiomedical\b|\bhospitals?\b/i,
  },
  energy: {
    label: 'energy',
    tags: ['energy', 'utility', 'oil-and-gas'],
    terms: /\benergy\b|\belectric\b|\boil\b|\bgas\b|\bpetroleum\b|\bnuclear\b|\butilit/i,
  },
  telecom: {
    label: 'telecoms',
    tags: ['telecom', 'telecoms', 'telco'],
    terms: /\btelecom/i,
  },
  technology: {
    label: 'technology',
    tags: ['technology', 'tech', 'it'],
    terms: /\btechnolog|\bhigh[- ]tech\b|\bsoftware\b|\bsemiconductor/i,
  },
  legal: {
    label: 'legal',
    tags: ['legal', 'lawyer', 'law-firm', 'judiciary'],
    terms: /\blegal\b|\bjustice\b|\blaw firms?\b|\blawyers?\b/i,
  },
};

const KIND_OF_TAG: ReadonlyMap<string, TargetKind> = new Map(
  TARGET_KINDS.flatMap((kind) => TARGET_KIND_RULES[kind].tags.map((tag) => [tag, kind] as const)),
);

/**
 * The kind an account tag belongs to, or undefined for a tag that says
 * nothing about targeting (`general`, `untagged`, a tenant's own labels).
 * Case, spaces and underscores are ignored, and a plural `s` is dropped.
 *
 * @example
 * targetKindOfTag('Campaign_Staff'); // 'political'
 * targetKindOfTag('officials'); // 'government'
 * targetKindOfTag('general'); // undefined
 */
export function targetKindOfTag(tag: string): TargetKind | undefined {
  const norm = tag
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  return (
    KIND_OF_TAG.get(norm) ?? (norm.endsWith('s') ? KIND_OF_TAG.get(norm.slice(0, -1)) : undefined)
  );
}

/**
 * The kinds an actor's targeting shows, each with the actor's own strings
 * that show it (categories and sectors first, then victims), in kind order.
 *
 * @example
 * [...targetKindsOf({ categories: ['Government'], sectors: ['Journalist'], victims: ['Iran'] }).keys()];
 * // ['government', 'media']
 */
export function targetKindsOf(
  targeting: ActorTargeting,
): ReadonlyMap<TargetKind, readonly string[]> {
  const strings = [...targeting.categories, ...targeting.sectors, ...targeting.victims];
  const kinds = new Map<TargetKind, string[]>();
  for (const kind of TARGET_KINDS) {
    const { terms } = TARGET_KIND_RULES[kind];
    const shown = strings.filter((s) => terms.test(s));
    if (shown.length > 0) kinds.set(kind, [...new Set(shown)]);
  }
  return kinds;
}
