/**
 * Every detector, in one typed list: a detector not listed here does not run.
 */
import type { Detector } from './detector.js';
import { attemptBurstDetector } from './detectors/attempt-burst-detector.js';
import { hostingNetworkDetector } from './detectors/hosting-network-detector.js';
import { impossibleTravelDetector } from './detectors/impossible-travel-detector.js';
import { iocMatchDetector } from './detectors/ioc-match-detector.js';
import { postTakeoverDetector } from './detectors/post-takeover-detector.js';
import { recoveryProbeDetector } from './detectors/recovery-probe-detector.js';
import { resetVelocityDetector } from './detectors/reset-velocity-detector.js';
import { credentialExposedDetector } from './detectors/credential-exposed-detector.js';
import { recoveryPivotDetector } from './detectors/recovery-pivot-detector.js';
import { sourceSpreadDetector } from './detectors/source-spread-detector.js';
import { unfamiliarSigninDetector } from './detectors/unfamiliar-signin-detector.js';
import { vendorRiskDetector } from './detectors/vendor-risk-detector.js';

export const DETECTORS = [
  unfamiliarSigninDetector,
  impossibleTravelDetector,
  resetVelocityDetector,
  recoveryProbeDetector,
  sourceSpreadDetector,
  hostingNetworkDetector,
  postTakeoverDetector,
  credentialExposedDetector,
  recoveryPivotDetector,
  iocMatchDetector,
  vendorRiskDetector,
  attemptBurstDetector,
] as const satisfies readonly Detector[];

export type DetectorId = (typeof DETECTORS)[number]['id'];
