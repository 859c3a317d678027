import { createHash, randomUUID } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { signMessage, verifySignature } from '../../libs/crypto/signing.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { KeyService } from '../keys/key-service.js';
import { SigningKeys } from '../keys/signing-keys.js';
import type { Clock, Storage } from '../ports.js';
import { modelStatement, parseArtifact, type ModelArtifact } from './model-artifact.js';
import type { ModelCard } from './model-card.js';
import type { ModelRecord, ModelStage } from './model-ports.js';

/** The pseudo-dataset whose key encrypts model artifacts (one DEK per workspace). */
export const MODEL_KEY_ID = 'models';
const SIGNING_PURPOSE = 'model';

/** A model version as the API shows it (never the artifact). */
export interface ModelView {
  readonly name: string;
  readonly version: number;
  readonly format: string;
  readonly stage: ModelStage;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly gateOverridden: boolean;
  readonly retiredAt: string | null;
  readonly signKeyId: string;
  readonly artifactSha256: string;
  readonly card: ModelCard;
}

const view = (m: ModelRecord): ModelView => ({
  name: m.name,
  version: m.version,
  format: m.format,
  stage: m.stage,
  createdBy: m.createdBy,
  createdAt: m.createdAt,
  approvedBy: m.approvedBy,
  approvedAt: m.approvedAt,
  gateOverridden: m.overrideReason !== null,
  retiredAt: m.retiredAt,
  signKeyId: m.signKeyId,
  artifactSha256: m.artifactSha256,
  card: JSON.parse(m.card) as ModelCard,
});

/** A loaded, verified model ready to score. */
export interface VerifiedModel {
  readonly record: ModelRecord;
  readonly artifact: ModelArtifact;
}

/**
 * The model registry: versioned artifacts encrypted at rest under the workspace's `models` key and signed with the
 * hierarchy's Ed25519 `model` key; loading verifies signature, hash, decryption and identity and refuses anything
 * else. Stages: candidate → approved (by a steward who did not train it, through the privacy release gate) → retired.
 */
export class ModelRegistry {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly keys: () => Promise<KeyService>,
  ) {}

  /**
   * Register a new candidate version: encrypt, sign and store it with its card. Returns the version.
   * @param actor - who trained it
   * @param workspaceId - workspace id
   * @param build - makes the artifact and card for the version number chosen
   * @param meta - run id, format and request id
   */
  async register(
    actor: string,
    workspaceId: string,
    name: string,
    build: (version: number) => { artifact: ModelArtifact; card: ModelCard },
    meta: { runId: string | null; format: string; requestId: string },
  ): Promise<ModelView> {
    const keys = await this.keys();
    const version = (await this.storage.read.models.lastModelVersion(workspaceId, name)) + 1;
    const { artifact, card } = build(version);
    const bytes = Buffer.from(JSON.stringify(artifact), 'utf8');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = randomUUID();
    const ciphertext = await keys.encryptField(this.storage, { workspace: workspaceId, dataset: MODEL_KEY_ID, column: 'artifact', recordId: id }, bytes);
    const signer = await new SigningKeys(keys).current(this.storage, SIGNING_PURPOSE);
    const signature = signMessage(signer.privateKey, modelStatement(workspaceId, name, version, sha256)).toString('base64');
    const record: ModelRecord = {
      id,
      workspaceId,
      name,
      version,
      runId: meta.runId,
      format: meta.format,
      stage: 'candidate',
      artifact: ciphertext,
      artifactSha256: sha256,
      signature,
      signKeyId: signer.keyId,
      card: JSON.stringify(card),
      createdBy: actor,
      createdAt: this.clock.now().toISOString(),
      approvedBy: null,
      approvedAt: null,
      overrideReason: null,
      retiredBy: null,
      retiredAt: null,
    };
    const event = {
      actor,
      action: 'model.register',
      resource: `model:${name}@${version}`,
      requestId: meta.requestId,
      detail: { workspace: workspaceId, keyId: signer.keyId },
    };
    await this.audit.withAudit(this.storage, event, (repos) => repos.models.insertModel(record));
    return view(record);
  }

  private async record(workspaceId: string, name: string, version: number): Promise<ModelRecord> {
    const m = await this.storage.read.models.model(workspaceId, name, version);
    if (!m) {
      throw new HavenError('HAVEN_MODEL_NOT_FOUND');
    }
    return m;
  }

  /** Versions of every model in a workspace. */
  async list(workspaceId: string): Promise<ModelView[]> {
    return (await this.storage.read.models.models(workspaceId)).map(view);
  }

  /** One version, or HAVEN_MODEL_NOT_FOUND. */
  async get(workspaceId: string, name: string, version: number): Promise<ModelView> {
    return view(await this.record(workspaceId, name, version));
  }

  /** The approved version of a model name, or HAVEN_MODEL_NO_APPROVED. */
  async approvedRecord(workspaceId: string, name: string): Promise<ModelRecord> {
    const approved = (await this.storage.read.models.models(workspaceId)).filter((m) => m.name === name && m.stage === 'approved');
    const m = approved.at(-1);
    if (!m) {
      throw new HavenError('HAVEN_MODEL_NO_APPROVED');
    }
    return m;
  }

  /**
   * Load and verify a model: known signing key, valid signature over (workspace, name, version, hash), decryption
   * under this workspace's key, matching hash and identity. Refuses tampered, unsigned and foreign models.
   * @param m - the registry record
   */
  async load(m: ModelRecord): Promise<VerifiedModel> {
    const keys = await this.keys();
    const publicKey = (await new SigningKeys(keys).publicKeys(this.storage, SIGNING_PURPOSE)).get(m.signKeyId);
    if (!publicKey) {
      throw new HavenError('HAVEN_MODEL_SIGNING_KEY_UNKNOWN', undefined, { detail: { keyId: m.signKeyId } });
    }
    let signatureOk = false;
    try {
      signatureOk = verifySignature(publicKey, modelStatement(m.workspaceId, m.name, m.version, m.artifactSha256), Buffer.from(m.signature, 'base64'));
    } catch {
      signatureOk = false;
    }
    if (!signatureOk) {
      throw new HavenError('HAVEN_MODEL_INTEGRITY', undefined, { detail: { reason: 'signature' } });
    }
    let bytes: Buffer;
    try {
      bytes = await keys.decryptField(this.storage, { workspace: m.workspaceId, dataset: MODEL_KEY_ID, column: 'artifact', recordId: m.id }, m.artifact);
    } catch {
      throw new HavenError('HAVEN_MODEL_INTEGRITY', undefined, { detail: { reason: 'decryption' } });
    }
    if (createHash('sha256').update(bytes).digest('hex') !== m.artifactSha256) {
      throw new HavenError('HAVEN_MODEL_INTEGRITY', undefined, { detail: { reason: 'hash' } });
    }
    return { record: m, artifact: parseArtifact(bytes, { workspace: m.workspaceId, name: m.name, version: m.version }) };
  }

  /**
   * Approve a candidate for serving. The approver must not be its trainer; the privacy release gate must pass unless
   * the steward overrides it with a reason (kept with the model; the ledger records that an override happened).
   * The previously approved version of the same name is retired in the same transaction.
   * @param principal - the steward
   * @param workspaceId - workspace id
   * @param name - model name
   * @param version - model version
   * @param opts - override reason and request id
   */
  async approve(
    principal: Principal,
    workspaceId: string,
    name: string,
    version: number,
    opts: { overrideReason?: string | undefined; requestId: string },
  ): Promise<ModelView> {
    const m = await this.record(workspaceId, name, version);
    // Verify outside the transaction (decryption may open its own; SQLite has one connection).
    const loadError: unknown =
      m.stage === 'candidate' && m.createdBy !== principal.subject
        ? await this.load(m).then(
            () => undefined,
            (err: unknown) => err,
          )
        : undefined;
    const event = {
      actor: principal.subject,
      action: 'model.approve',
      resource: `model:${name}@${version}`,
      requestId: opts.requestId,
      detail: { workspace: workspaceId, override: opts.overrideReason !== undefined },
    };
    return this.audit.withAudit(this.storage, event, async (repos) => {
      if (m.stage !== 'candidate') {
        throw new HavenError('HAVEN_MODEL_STAGE', undefined, { detail: { stage: m.stage } });
      }
      if (m.createdBy === principal.subject) {
        throw new HavenError('HAVEN_MODEL_SELF_APPROVAL');
      }
      const card = JSON.parse(m.card) as ModelCard;
      if (!card.privacyAudit.gate.release && opts.overrideReason === undefined) {
        throw new HavenError('HAVEN_MODEL_GATE_REFUSED', undefined, { detail: { reasons: card.privacyAudit.gate.reasons.map((r) => r.code).join(',') } });
      }
      if (loadError !== undefined) {
        throw loadError;
      }
      const now = this.clock.now().toISOString();
      for (const other of (await repos.models.models(workspaceId)).filter((x) => x.name === name && x.stage === 'approved')) {
        await repos.models.updateModel(other.id, { stage: 'retired', retiredBy: principal.subject, retiredAt: now });
      }
      const changes = { stage: 'approved' as const, approvedBy: principal.subject, approvedAt: now, overrideReason: opts.overrideReason ?? null };
      await repos.models.updateModel(m.id, changes);
      return view({ ...m, ...changes });
    });
  }

  /**
   * Retire a candidate or approved version (it can no longer be approved or served).
   * @param principal - the steward
   * @param workspaceId - workspace id
   * @param name - model name
   * @param version - model version
   * @param requestId - for the ledger
   */
  async retire(principal: Principal, workspaceId: string, name: string, version: number, requestId: string): Promise<ModelView> {
    const m = await this.record(workspaceId, name, version);
    const event = { actor: principal.subject, action: 'model.retire', resource: `model:${name}@${version}`, requestId, detail: { workspace: workspaceId } };
    return this.audit.withAudit(this.storage, event, async (repos) => {
      if (m.stage === 'retired') {
        throw new HavenError('HAVEN_MODEL_STAGE', undefined, { detail: { stage: m.stage } });
      }
      const changes = { stage: 'retired' as const, retiredBy: principal.subject, retiredAt: this.clock.now().toISOString() };
      await repos.models.updateModel(m.id, changes);
      return view({ ...m, ...changes });
    });
  }
}
