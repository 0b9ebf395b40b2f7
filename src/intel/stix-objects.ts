/**
 * The STIX 2.1 objects Tripline writes, as types: only the properties it
 * sets, custom ones with the `x_tripline_` prefix (STIX 2.1 §11.1).
 *
 * @example
 * const bundle: StixBundle = campaignToStix(campaign, { organisation, now });
 * bundle.objects.filter((o): o is StixIndicator => o.type === 'indicator');
 */

/** `<type>--<uuid>`. */
export type StixId<T extends string> = `${T}--${string}`;

export interface StixExternalReference {
  readonly source_name: string;
  readonly external_id?: string;
  readonly url?: string;
  readonly description?: string;
}

/** Common properties of every SDO and SRO (STIX 2.1 §3.2). */
interface StixCore<T extends string> {
  readonly type: T;
  readonly spec_version: '2.1';
  readonly id: StixId<T>;
  /** Timestamps with millisecond precision, `Z`. */
  readonly created: string;
  readonly modified: string;
  readonly created_by_ref?: StixId<'identity'>;
  readonly object_marking_refs?: readonly StixId<'marking-definition'>[];
  readonly external_references?: readonly StixExternalReference[];
  /** 0–100 (STIX 2.1 §3.2, Appendix A). */
  readonly confidence?: number;
}

export interface StixIdentity extends StixCore<'identity'> {
  readonly name: string;
  readonly identity_class: 'organization' | 'class' | 'individual';
  readonly description?: string;
  readonly contact_information?: string;
  /** Target classes (anonymised export): the tag and its counts. */
  readonly x_tripline_tag?: string;
  readonly x_tripline_targeted_count?: number;
  readonly x_tripline_compromised_count?: number;
  /** Target individuals (export with `anonymiseTargets: false`). */
  readonly x_tripline_account_id?: string;
  readonly x_tripline_compromised?: boolean;
  readonly x_tripline_tags?: readonly string[];
  readonly x_tripline_first_seen?: string;
  readonly x_tripline_events?: number;
  /** Present on MITRE's own identity, copied verbatim. */
  readonly x_mitre_attack_spec_version?: string;
}

/** A statement marking (STIX 2.1 §7.2.1). Marking definitions have no `modified`. */
export interface StixMarkingDefinition {
  readonly type: 'marking-definition';
  readonly spec_version: '2.1';
  readonly id: StixId<'marking-definition'>;
  readonly created: string;
  readonly created_by_ref?: StixId<'identity'>;
  readonly definition_type: 'statement';
  readonly definition: { readonly statement: string };
}

export interface StixCampaign extends StixCore<'campaign'> {
  readonly name: string;
  readonly description?: string;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly x_tripline_status: string;
  readonly x_tripline_targeted_count: number;
  readonly x_tripline_compromised_count: number;
  /** Targeted accounts per tag (the contract's `by_tag`). */
  readonly x_tripline_by_tag: Readonly<Record<string, number>>;
  /** Compromised accounts per tag, counted from the campaign's targets. */
  readonly x_tripline_compromised_by_tag: Readonly<Record<string, number>>;
  readonly x_tripline_event_count?: number;
}

export interface StixIntrusionSet extends StixCore<'intrusion-set'> {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly description?: string;
}

export interface StixAttackPattern extends StixCore<'attack-pattern'> {
  readonly name: string;
}

export interface StixIndicator extends StixCore<'indicator'> {
  readonly name: string;
  readonly description: string;
  readonly indicator_types: readonly ('malicious-activity' | 'anomalous-activity')[];
  readonly pattern: string;
  readonly pattern_type: 'stix';
  readonly pattern_version: '2.1';
  readonly valid_from: string;
}

export type StixRelationshipType = 'attributed-to' | 'uses' | 'indicates' | 'targets';

export interface StixRelationship extends StixCore<'relationship'> {
  readonly relationship_type: StixRelationshipType;
  readonly source_ref: StixId<string>;
  readonly target_ref: StixId<string>;
  readonly description?: string;
  readonly start_time?: string;
}

export type StixObject =
  | StixIdentity
  | StixMarkingDefinition
  | StixCampaign
  | StixIntrusionSet
  | StixAttackPattern
  | StixIndicator
  | StixRelationship;

/** A STIX 2.1 bundle (§8). */
export interface StixBundle {
  readonly type: 'bundle';
  readonly id: StixId<'bundle'>;
  readonly objects: readonly StixObject[];
}
