/**
 * MITRE ATT&CK's copyright marking and MITRE's identity, copied verbatim from
 * the ATT&CK v18.1 Enterprise bundle (shared/intel/attack, see its
 * SOURCES.md §2). The ATT&CK licence asks every copy of ATT&CK content to
 * keep MITRE's copyright designation, so every exported object that carries
 * ATT&CK names or ids points at this marking and the bundle includes it
 * (with MITRE's identity, which the marking's `created_by_ref` names).
 *
 * Do not edit these objects: a test compares them with the ATT&CK bundle.
 *
 * @example
 * const marked = { ...attackPattern, object_marking_refs: [ATTACK_MARKING_ID] };
 */
import type { StixIdentity, StixMarkingDefinition } from './stix-objects.js';

export const ATTACK_MARKING_ID = 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168';

export const ATTACK_MARKING_DEFINITION: StixMarkingDefinition = {
  definition: {
    statement:
      'Copyright 2015-2025, The MITRE Corporation. MITRE ATT&CK and ATT&CK are registered trademarks of The MITRE Corporation.',
  },
  id: ATTACK_MARKING_ID,
  type: 'marking-definition',
  created: '2017-06-01T00:00:00.000Z',
  created_by_ref: 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5',
  definition_type: 'statement',
  spec_version: '2.1',
};

export const MITRE_IDENTITY: StixIdentity = {
  modified: '2025-03-19T15:00:40.855Z',
  name: 'The MITRE Corporation',
  description: '',
  identity_class: 'organization',
  type: 'identity',
  id: 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5',
  created: '2017-06-01T00:00:00.000Z',
  object_marking_refs: [ATTACK_MARKING_ID],
  x_mitre_attack_spec_version: '3.2.0',
  spec_version: '2.1',
};
