/** Storage records and repositories of identity and access. */

/** A human account as stored. */
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly passwordHash: string;
  readonly passwordChangedAt: string;
  readonly mustChangePassword: boolean;
  readonly globalRoles: readonly string[];
  readonly totpSecret: string | null;
  readonly totpLastStep: number | null;
  readonly mfaEnrolledAt: string | null;
  readonly disabledAt: string | null;
  readonly createdAt: string;
}

/** A workspace membership. */
export interface MembershipRecord {
  readonly workspaceId: string;
  readonly userId: string;
  readonly role: string;
}

/** A workspace. */
export interface WorkspaceRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly deletedAt: string | null;
}

/** A browser session (hashes only). */
export interface SessionRecord {
  readonly idHash: string;
  readonly userId: string;
  readonly csrfHash: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly mfaAt: string | null;
  readonly revokedAt: string | null;
}

/** Failed-login counter for one key (`account:<name>` or `ip:<addr>`). */
export interface ThrottleRecord {
  readonly key: string;
  readonly failures: number;
  readonly firstFailureAt: string;
  readonly lockedUntil: string | null;
}

/** Users, their password history, recovery codes and MFA state. */
export interface UserRepository {
  insert(user: UserRecord): Promise<void>;
  byId(id: string): Promise<UserRecord | undefined>;
  byUsername(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  update(id: string, changes: Partial<Omit<UserRecord, 'id' | 'username' | 'createdAt'>>): Promise<void>;
  addPasswordHistory(userId: string, passwordHash: string, at: string): Promise<void>;
  recentPasswordHashes(userId: string, limit: number): Promise<string[]>;
  replaceRecoveryCodes(userId: string, hashes: readonly string[]): Promise<void>;
  unusedRecoveryCodes(userId: string): Promise<string[]>;
  useRecoveryCode(userId: string, hash: string, at: string): Promise<boolean>;
}

/** Workspaces and memberships. */
export interface WorkspaceRepository {
  insert(ws: WorkspaceRecord): Promise<void>;
  byName(name: string): Promise<WorkspaceRecord | undefined>;
  byId(id: string): Promise<WorkspaceRecord | undefined>;
  list(): Promise<WorkspaceRecord[]>;
  addMember(m: MembershipRecord): Promise<void>;
  removeMember(workspaceId: string, userId: string): Promise<number>;
  membershipsOf(userId: string): Promise<MembershipRecord[]>;
  members(workspaceId: string): Promise<MembershipRecord[]>;
}

/** Browser sessions. */
export interface SessionRepository {
  insert(s: SessionRecord): Promise<void>;
  byIdHash(idHash: string): Promise<SessionRecord | undefined>;
  touch(idHash: string, at: string): Promise<void>;
  revoke(idHash: string, at: string): Promise<void>;
  revokeAllFor(userId: string, at: string): Promise<void>;
}

/** Login failure counters. */
export interface ThrottleRepository {
  get(key: string): Promise<ThrottleRecord | undefined>;
  put(r: ThrottleRecord): Promise<void>;
  clear(key: string): Promise<void>;
}
