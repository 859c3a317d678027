import type { HavenConfig } from '../../../config/schema.js';
import type { Finding } from '../posture-checks.js';

/**
 * Facts about a live instance, measured by gatherEvidence and judged by the control checks. Counts, settings,
 * dates and key fingerprints only: nothing here may hold a secret, a user or workspace name, or patient data.
 */
export interface EvidenceFacts {
  readonly generatedAt: string;
  readonly instanceId: string;
  readonly havenVersion: string;
  readonly store: 'sqlite' | 'postgres';
  readonly config: HavenConfig;
  /** The findings of `haven doctor` (file permissions, configuration, certificate). */
  readonly posture: readonly Finding[];
  /** The server certificate, or null when TLS is off. */
  readonly certificate: { readonly present: boolean; readonly keyPresent: boolean; readonly notAfter: string | null } | null;
  /** How the database is reached: in-process file, loopback, TLS, or a network link without TLS. */
  readonly databaseLink: 'embedded' | 'loopback' | 'tls' | 'unencrypted';
  readonly accounts: AccountFacts;
  readonly tokens: TokenFacts;
  readonly workspaces: WorkspaceFacts;
  readonly datasets: DatasetFacts;
  readonly keys: KeyFacts;
  readonly ledger: LedgerFacts;
  readonly policy: PolicyFacts;
}

/** Accounts, their MFA state, roles and stored password hashes. */
export interface AccountFacts {
  readonly total: number;
  readonly active: number;
  readonly disabled: number;
  readonly activeWithMfa: number;
  /** Active, no MFA, still holding the generated first password (cannot reach anything but enrolment). */
  readonly activeAwaitingFirstSignIn: number;
  /** Active, no MFA, past the first sign-in (MFA reset or removed, or an SSO account that never enrolled). */
  readonly activeWithoutMfaOther: number;
  /** Account names that break Haven's naming rule (only possible by writing the database directly). */
  readonly namesBreakingRule: number;
  /** Accounts whose name equals another's when case is ignored (confusable identities). */
  readonly caseInsensitiveDuplicates: number;
  /** Global role grants naming a role the policy does not know. */
  readonly unknownGlobalRoleGrants: number;
  readonly activeSiteAdmins: number;
  /** Active site admins with MFA enrolled and at least one unused recovery code. */
  readonly readySiteAdmins: number;
  readonly activeAuditors: number;
  readonly activeAdminsAlsoAuditors: number;
  /** Active password hashes by strength: argon2id at or above the OWASP floor, below it, SSO-only (no password), unrecognised. */
  readonly passwordHashes: { readonly strong: number; readonly weak: number; readonly ssoOnly: number; readonly unrecognised: number };
}

/** API tokens (hashes only are stored; these are counts). */
export interface TokenFacts {
  readonly active: number;
  readonly activeWithoutMfa: number;
  /** Active tokens whose lifetime exceeds identity.tokenMaxDays. */
  readonly activeBeyondMaxLifetime: number;
  readonly activeOfDisabledAccounts: number;
  /** Remaining days of the longest-living active token (0 when there is none). */
  readonly longestRemainingDays: number;
}

/** Workspaces and memberships. */
export interface WorkspaceFacts {
  readonly active: number;
  readonly deleted: number;
  readonly memberships: number;
  readonly unknownRoleMemberships: number;
  readonly membershipsOfDisabledAccounts: number;
}

/** Datasets and their versions' integrity records. */
export interface DatasetFacts {
  readonly datasets: number;
  readonly versions: number;
  readonly byStatus: { readonly importing: number; readonly ready: number; readonly published: number; readonly failed: number };
  /** Ready or published versions without a recorded SHA-256 of their source. */
  readonly withoutContentHash: number;
  /** Ready or published versions whose rows read ≠ rows stored + rows quarantined. */
  readonly unreconciled: number;
  readonly workspacesWithData: number;
  readonly workspacesWithDataWithoutKek: number;
}

/** The key hierarchy: root keystore and key versions (never key material). */
export interface KeyFacts {
  readonly keystore: {
    readonly state: 'present' | 'absent' | 'invalid';
    readonly provider: 'local' | 'pkcs11' | null;
    readonly rootVersion: number | null;
    /** Why an invalid keystore is invalid (a reason code). */
    readonly problem: string | null;
  };
  readonly versions: { readonly active: number; readonly retired: number; readonly destroyed: number };
  readonly activeWorkspaceKeks: number;
  readonly systemKekActive: boolean;
  readonly activeDataKeys: number;
}

/** The audit ledger as verified now. */
export interface LedgerFacts {
  readonly verified: boolean;
  readonly entries: number;
  readonly headSeq: number;
  readonly checkpoints: number;
  readonly firstBad: { readonly seq: number; readonly fault: string } | null;
  /** The error code when verification could not run to the end (e.g. a damaged checkpoint mirror), else null. */
  readonly error: string | null;
  readonly lastCheckpoint: { readonly seq: number; readonly ts: string; readonly keyId: string } | null;
  /** The checkpoint mirrored outside the database (detects truncation), or null when there is none. */
  readonly mirroredCheckpointSeq: number | null;
  readonly checkpointInterval: number;
  readonly outcomes: { readonly success: number; readonly failure: number; readonly denied: number };
  /** Ledger entries about workspace data: requests to its data routes and data service events (datasets, encounters, models). */
  readonly dataAccessEvents: number;
}

/** The live authorisation policy table (src/services/access/policy.ts), as facts. */
export interface PolicyFacts {
  readonly roles: number;
  readonly permissions: number;
  readonly workspacePermissions: number;
  /** Global roles (site admin, auditor) named in a workspace permission: would give them data access. */
  readonly globalRolesInWorkspacePermissions: readonly string[];
  /** Permissions about data (dataset, encounter, model, training) that are not workspace-scoped. */
  readonly dataPermissionsOutsideWorkspaces: readonly string[];
  readonly stepUpPermissions: number;
}
