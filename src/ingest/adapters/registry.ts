/**
 * Every vendor adapter, by format: a new format does not compile until it is
 * listed here.
 *
 * @example
 * ADAPTERS.entra.vendor; // 'Microsoft Entra ID'
 */
import type { Adapter, VendorFormat } from './adapter.js';
import { entraAdapter } from './entra-adapter.js';
import { m365Adapter } from './m365-adapter.js';
import { ocsfAdapter } from './ocsf-adapter.js';
import { oktaAdapter } from './okta-adapter.js';
import { workspaceAdapter } from './workspace-adapter.js';

export const ADAPTERS: Readonly<Record<VendorFormat, Adapter>> = {
  entra: entraAdapter,
  okta: oktaAdapter,
  workspace: workspaceAdapter,
  ocsf: ocsfAdapter,
  m365: m365Adapter,
};
