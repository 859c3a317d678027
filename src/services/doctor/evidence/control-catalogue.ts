import type { OutOfScopeStatement, ReportFramework } from '../../../libs/report/evidence-document.js';
import type { Check } from './check-outcome.js';
import { emergencyAccess, automaticLogoff, mfaEnrolment, passwordStorage, roleBasedAccess, uniqueIdentity, workspaceIsolation } from './identity-checks.js';
import {
  auditLedger,
  configurationPosture,
  dataAccessRecords,
  dataIntegrity,
  databaseTransport,
  egressControl,
  encryptionAtRest,
  keyManagement,
  serverTransport,
  usageRecords,
} from './platform-checks.js';

/**
 * The controls the evidence report evaluates: each names a requirement of a framework (in our own words, with its
 * reference) and the checks whose outcomes decide it. A control fails when any of its checks fails.
 * See docs/decisions/0021-evidence-report.md for how statements were chosen.
 */
export interface ControlSpec {
  readonly id: string;
  readonly framework: 'hipaa' | 'satre';
  readonly ref: string;
  readonly title: string;
  readonly requirement: string;
  readonly checks: readonly Check[];
}

export const FRAMEWORKS: readonly ReportFramework[] = [
  {
    id: 'hipaa',
    name: 'HIPAA Security Rule — technical safeguards',
    source: '45 CFR §164.312. Required and addressable implementation specifications of the standards (a) to (e).',
  },
  {
    id: 'satre',
    name: 'SATRE — Standard Architecture for Trusted Research Environments',
    source:
      'Technical statements of the SATRE specification (satre-specification.readthedocs.io; sa-tre/satre-specification), numbered as published. Statements are paraphrased; see the specification for the exact wording.',
  },
];

const H = 'hipaa' as const;
const S = 'satre' as const;

export const CONTROLS: readonly ControlSpec[] = [
  {
    id: 'hipaa.164.312.a.1',
    framework: H,
    ref: '§164.312(a)(1)',
    title: 'Access control',
    requirement: 'Allow access to electronic PHI only to the persons or software programs that have been granted access rights.',
    checks: [roleBasedAccess, workspaceIsolation],
  },
  {
    id: 'hipaa.164.312.a.2.i',
    framework: H,
    ref: '§164.312(a)(2)(i)',
    title: 'Unique user identification (required)',
    requirement: 'Assign a unique name or number to identify and track each user.',
    checks: [uniqueIdentity],
  },
  {
    id: 'hipaa.164.312.a.2.ii',
    framework: H,
    ref: '§164.312(a)(2)(ii)',
    title: 'Emergency access procedure (required)',
    requirement:
      'Have a way to obtain necessary electronic PHI during an emergency: here, an enrolled administrator who can restore access even without their authenticator.',
    checks: [emergencyAccess],
  },
  {
    id: 'hipaa.164.312.a.2.iii',
    framework: H,
    ref: '§164.312(a)(2)(iii)',
    title: 'Automatic logoff (addressable)',
    requirement: 'End an electronic session after a period of inactivity (here: NIST SP 800-63B AAL2 limits, 30 minutes idle and 12 hours at most).',
    checks: [automaticLogoff],
  },
  {
    id: 'hipaa.164.312.a.2.iv',
    framework: H,
    ref: '§164.312(a)(2)(iv)',
    title: 'Encryption and decryption (addressable)',
    requirement: 'Encrypt and decrypt electronic PHI.',
    checks: [encryptionAtRest],
  },
  {
    id: 'hipaa.164.312.b',
    framework: H,
    ref: '§164.312(b)',
    title: 'Audit controls',
    requirement: 'Record and examine activity in systems that contain or use electronic PHI.',
    checks: [auditLedger],
  },
  {
    id: 'hipaa.164.312.c',
    framework: H,
    ref: '§164.312(c)(1), (c)(2)',
    title: 'Integrity, and a mechanism to authenticate electronic PHI',
    requirement: 'Protect electronic PHI from improper alteration or destruction, and be able to corroborate that it has not been altered or destroyed.',
    checks: [dataIntegrity],
  },
  {
    id: 'hipaa.164.312.d',
    framework: H,
    ref: '§164.312(d)',
    title: 'Person or entity authentication',
    requirement: 'Verify that a person or entity seeking access to electronic PHI is the one claimed.',
    checks: [mfaEnrolment, passwordStorage],
  },
  {
    id: 'hipaa.164.312.e',
    framework: H,
    ref: '§164.312(e)(1), (e)(2)(i), (e)(2)(ii)',
    title: 'Transmission security: integrity controls and encryption',
    requirement:
      'Guard electronic PHI sent over a network against unauthorised access and undetected modification. The server’s TLS settings are fixed in code (TLS 1.2 or later, forward-secret AEAD suites; the security battery scans them); this control measures that TLS is on, its certificate and the database link.',
    checks: [serverTransport, databaseTransport],
  },
  {
    id: 'satre.1.5.3',
    framework: S,
    ref: '1.5.3',
    title: 'Identity-based, role-based access with least privilege',
    requirement: 'Manage access to resources by identity, with a role-based security model and technical controls that enforce least privilege.',
    checks: [roleBasedAccess],
  },
  {
    id: 'satre.1.5.5',
    framework: S,
    ref: '1.5.5',
    title: 'Robust authentication of users and services',
    requirement: 'Authenticate users and services with robust, secure applications applying common controls such as MFA and password rules.',
    checks: [mfaEnrolment, passwordStorage],
  },
  {
    id: 'satre.1.5.6',
    framework: S,
    ref: '1.5.6',
    title: 'A unique logon for each user',
    requirement: 'Give every user a unique logon, traceable across the environment, with changes to the record strictly controlled.',
    checks: [uniqueIdentity],
  },
  {
    id: 'satre.2.1.8',
    framework: S,
    ref: '2.1.8',
    title: 'Shared services only within a project',
    requirement: 'Services shared between users (here: datasets and their keys) are available only to users of the same project (workspace).',
    checks: [workspaceIsolation],
  },
  {
    id: 'satre.2.2.14',
    framework: S,
    ref: '2.2.14',
    title: 'Usage data is recorded',
    requirement: 'Record usage data such as numbers of users, projects, datasets and requests.',
    checks: [usageRecords],
  },
  {
    id: 'satre.2.2.15',
    framework: S,
    ref: '2.2.15',
    title: 'Dataset access is recorded: which, when, by whom',
    requirement: 'Record which datasets are accessed, when and by whom.',
    checks: [dataAccessRecords],
  },
  {
    id: 'satre.2.4.3',
    framework: S,
    ref: '2.4.3',
    title: 'Configuration can be verified',
    requirement: 'Be able to verify whether the configuration is valid (here: the `haven doctor` posture checks).',
    checks: [configurationPosture],
  },
  {
    id: 'satre.2.5.12',
    framework: S,
    ref: '2.5.12',
    title: 'Encryption at rest',
    requirement: 'Encrypt project and user data at rest.',
    checks: [encryptionAtRest],
  },
  {
    id: 'satre.2.5.13',
    framework: S,
    ref: '2.5.13',
    title: 'Encryption in transit to and from the environment',
    requirement: 'Encrypt data in transit between the environment and external networks or computers, users’ access included.',
    checks: [serverTransport],
  },
  {
    id: 'satre.2.5.14',
    framework: S,
    ref: '2.5.14',
    title: 'Encryption in transit inside the environment',
    requirement: 'Encrypt data moving between components of the environment where possible (here: Haven and its database).',
    checks: [databaseTransport],
  },
  {
    id: 'satre.2.5.16',
    framework: S,
    ref: '2.5.16',
    title: 'Secure key management',
    requirement: 'Manage encryption keys securely, keeping them apart from the data they protect.',
    checks: [keyManagement],
  },
  {
    id: 'satre.3.1.12',
    framework: S,
    ref: '3.1.12',
    title: 'Unauthorised egress is prevented (technical part)',
    requirement:
      'Prevent unauthorised data egress to a reasonable extent. Measured: which permissions let data leave and who holds them; approval workflows (3.1.5, 3.1.6) are out of scope.',
    checks: [egressControl],
  },
  {
    id: 'satre.3.2.3',
    framework: S,
    ref: '3.2.3',
    title: 'Access limited to the data a user’s work needs',
    requirement: 'Restrict each user to the data required for their work, through roles or isolated project workspaces.',
    checks: [workspaceIsolation],
  },
  {
    id: 'satre.3.2.4',
    framework: S,
    ref: '3.2.4',
    title: 'Multi-factor authentication for all users',
    requirement: 'Multi-factor authentication is enabled for every user (Haven requires its own second factor for SSO users too).',
    checks: [mfaEnrolment],
  },
];

const ORGANISATIONAL = 'An organisational process or policy: software cannot measure it about itself.';

/** SATRE statements this report does not evaluate, and why. */
export const OUT_OF_SCOPE: readonly OutOfScopeStatement[] = [
  { framework: 'SATRE', ref: '1.1–1.4, 1.6', title: 'Information governance, quality and risk management, study management, training', reason: ORGANISATIONAL },
  {
    framework: 'SATRE',
    ref: '1.5.1, 1.5.2, 1.5.4, 3.2.2',
    title: 'Identity checks, onboarding, data controller agreement',
    reason:
      'Decided by people before an account or membership exists; the ledger records who created accounts and granted roles, but not whether the checks behind them happened.',
  },
  {
    framework: 'SATRE',
    ref: '2.1.1',
    title: 'No copying out through the system clipboard',
    reason: 'Haven offers no remote desktop; there is no clipboard to control.',
  },
  {
    framework: 'SATRE',
    ref: '2.1.2–2.1.7, 2.1.9–2.1.18',
    title: 'End-user computing: desktops, software tools, telemetry, HPC and accelerators',
    reason: 'Haven is a web API and CLI, not a desktop or compute environment; these describe the environment around it.',
  },
  {
    framework: 'SATRE',
    ref: '2.2.1–2.2.8, 2.4.1, 2.4.2, 2.4.5',
    title: 'Deployment, change, removal, availability and configuration procedures',
    reason: ORGANISATIONAL,
  },
  {
    framework: 'SATRE',
    ref: '2.2.9–2.2.13',
    title: 'Network control, isolation between projects on the network, blocking outbound internet',
    reason:
      'Enforced by the host and network (firewall, segmentation), which Haven does not manage. Haven itself connects out only to a configured alert webhook and SSO provider (shown under 2.5.13).',
  },
  { framework: 'SATRE', ref: '2.2.16', title: 'Computational resource usage', reason: 'Haven does not yet record compute use per user.' },
  { framework: 'SATRE', ref: '2.3.1–2.3.4', title: 'Capacity planning and billing', reason: ORGANISATIONAL },
  {
    framework: 'SATRE',
    ref: '2.4.4',
    title: 'Regular verification of the configuration',
    reason: 'A schedule, not a state: run `haven doctor --report` regularly (2.4.3 shows the last run).',
  },
  {
    framework: 'SATRE',
    ref: '2.5.1–2.5.3',
    title: 'Backups and redundancy',
    reason: '`haven backup` writes encrypted, integrity-checked backups, but where they are kept and how often is outside the instance.',
  },
  {
    framework: 'SATRE',
    ref: '2.5.4–2.5.11',
    title: 'Incident response, vulnerability scanning, patching, penetration testing',
    reason:
      'Processes of the operator. Haven’s own security battery (npm run security) is evidence for 2.5.9, reported in docs/security.md, not measured from an instance.',
  },
  {
    framework: 'SATRE',
    ref: '2.5.15',
    title: 'Widely accepted algorithms',
    reason: 'Fixed in code, not configurable: AES-256-GCM, HMAC-SHA256, Ed25519, argon2id, TLS 1.2+ (ADR 0004, 0010).',
  },
  { framework: 'SATRE', ref: '2.5.17, 2.5.18', title: 'Physical security, sector regulation', reason: ORGANISATIONAL },
  {
    framework: 'SATRE',
    ref: '3.1.1–3.1.11, 3.1.13',
    title: 'Data lifecycle: assessments, classification policy, ingress and egress approval, deletion policy',
    reason:
      'Processes and approvals. Haven classifies columns at import and records imports and publication in the ledger, but has no egress approval workflow (3.1.5, 3.1.6): a gap, not a pass.',
  },
  {
    framework: 'SATRE',
    ref: '3.2.1',
    title: 'Accounts are not shared',
    reason: 'Haven has personal accounts only, but whether a person shares theirs cannot be measured; 1.5.6 shows each account is unique.',
  },
  {
    framework: 'SATRE',
    ref: '3.2.5, 3.2.6',
    title: 'SSO (optional), network or location restrictions (optional)',
    reason: 'Optional. SSO is supported (oidc.*); address restrictions belong to the proxy or firewall.',
  },
  { framework: 'SATRE', ref: '3.3.1–3.3.8', title: 'Output management and disclosure control', reason: ORGANISATIONAL },
  {
    framework: 'SATRE',
    ref: '3.4–3.8',
    title: 'Dataset catalogue, security tiers, research metadata, archives',
    reason:
      'Haven keeps a per-workspace catalogue with schema, classification and immutable versions, but these statements concern usability and policy rather than a security state to measure; tiers are not implemented.',
  },
  {
    framework: 'SATRE',
    ref: 'pillars 4 and 5',
    title: 'Supporting capabilities, federation',
    reason: 'Organisational, or not implemented (Haven does not federate).',
  },
];
