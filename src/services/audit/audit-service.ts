import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../libs/crypto/canonical-json.js';
import { chainHash, createChainVerifier, type ChainFault } from '../../libs/crypto/hash-chain.js';
import { HavenError } from '../../errors/haven-error.js';
import type { AuditCheckpoint, AuditEntry, AuditEvent, CheckpointMirror, Clock, Repositories, Storage } from '../ports.js';

/** The keys the ledger needs: a MAC key for the chain and an Ed25519 pair for checkpoints. */
export interface AuditKeys {
  readonly macKey: Uint8Array;
  readonly signingKey: KeyObject | undefined;
  readonly publicKeys: ReadonlyMap<string, KeyObject>;
  readonly signingKeyId: string;
}

/** Result of verifying the whole ledger. */
export interface AuditVerifyReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly checkpoints: number;
  readonly headSeq: number;
  readonly firstBad?: { readonly seq: number; readonly fault: ChainFault | 'checkpoint_signature' | 'checkpoint_mismatch' | 'truncated' };
}

function entryBody(e: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): Record<string, string | number | boolean | Record<string, string | number | boolean>> {
  return {
    ts: e.ts,
    actor: e.actor,
    action: e.action,
    resource: e.resource,
    outcome: e.outcome,
    requestId: e.requestId,
    detail: { ...e.detail },
  };
}

function checkpointMessage(c: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(canonicalJson({ seq: c.seq, hash: c.hash, ts: c.ts, keyId: c.keyId }));
}

/**
 * The tamper-evident audit ledger: appends hash-chained entries inside the caller's transaction
 * (so a change and its record commit together, and a failed append fails the change),
 * signs periodic checkpoints, and verifies the whole chain offline.
 */
/** An event waiting to be committed, with its caller's promise. */
interface PendingEvent {
  readonly storage: Storage;
  readonly event: AuditEvent;
  resolve(seq: number): void;
  reject(err: unknown): void;
}

/** Most events written in one group-commit transaction. */
const MAX_GROUP_COMMIT = 256;

export class AuditService {
  /** The key new checkpoints are signed with (the data directory's, until useSigningKey). */
  private signer: { readonly keyId: string; readonly privateKey: KeyObject | undefined };
  /** Every public key checkpoints may be signed with, by key id. */
  private readonly verifiers: Map<string, KeyObject>;
  /** Events waiting for the next group commit, and whether one is being written. */
  private pending: PendingEvent[] = [];
  private flushing = false;

  constructor(
    private readonly keys: AuditKeys,
    private readonly clock: Clock,
    private readonly checkpointInterval: number,
    private readonly mirror: CheckpointMirror,
  ) {
    this.signer = { keyId: keys.signingKeyId, privateKey: keys.signingKey };
    this.verifiers = new Map(keys.publicKeys);
  }

  /**
   * Sign checkpoints from now on with another Ed25519 key (the key hierarchy's audit signing key). Its public key
   * must already be published where offline verification loads keys from; checkpoints signed before keep verifying
   * with their own keys. Throws HAVEN_AUDIT_SIGNATURE_INVALID when the two halves do not belong together.
   * @param keyId - the key id checkpoints will name (as offline verification computes it)
   * @param privateKey - the private key
   * @param publicKey - its public key
   */
  useSigningKey(keyId: string, privateKey: KeyObject, publicKey: KeyObject): void {
    const probe = Buffer.from(`haven audit signer ${keyId}`);
    if (!verify(null, probe, publicKey, sign(null, probe, privateKey))) {
      throw new HavenError('HAVEN_AUDIT_SIGNATURE_INVALID', 'the signing key does not match its public key');
    }
    this.verifiers.set(keyId, publicKey);
    this.signer = { keyId, privateKey };
  }

  /** Key id new checkpoints are signed with. */
  get signingKeyId(): string {
    return this.signer.keyId;
  }

  /**
   * Append an event within a transaction. Throws HAVEN_AUDIT_WRITE_FAILED if it cannot be written.
   * @param repos - the transaction's repositories
   * @param event - what happened
   */
  async append(repos: Repositories, event: AuditEvent): Promise<number> {
    try {
      const head = await repos.audit.lockHead();
      const seq = head.seq + 1;
      const partial = { ...event, ts: this.clock.now().toISOString(), detail: event.detail ?? {} };
      const hash = chainHash(this.keys.macKey, { seq, prevHash: head.hash, body: entryBody(partial) });
      await repos.audit.insert({ ...partial, seq, prevHash: head.hash, hash });
      await repos.audit.setHead(seq, hash);
      if (seq % this.checkpointInterval === 0) {
        await this.writeCheckpoint(repos, seq, hash);
      }
      return seq;
    } catch (cause) {
      throw new HavenError('HAVEN_AUDIT_WRITE_FAILED', undefined, { cause });
    }
  }

  /**
   * Append an event in its own transaction (for events not tied to a change, e.g. a request log line).
   * @param storage - the database
   * @param event - what happened
   */
  record(storage: Storage, event: AuditEvent): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ storage, event, resolve, reject });
      void this.flushPending();
    });
  }

  /**
   * Group commit: events recorded while a transaction is being written are appended together in the next one, in
   * the order they were recorded. Each caller's promise settles only when its entry has committed (or failed), so
   * nothing is reported as recorded before it is durable.
   */
  private async flushPending(): Promise<void> {
    if (this.flushing) {
      return;
    }
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const storage = this.pending[0]!.storage;
        const batch: PendingEvent[] = [];
        const rest: PendingEvent[] = [];
        for (const p of this.pending) {
          (p.storage === storage && batch.length < MAX_GROUP_COMMIT ? batch : rest).push(p);
        }
        this.pending = rest;
        try {
          const seqs = await storage.transaction(async (repos) => {
            const out: number[] = [];
            for (const p of batch) {
              out.push(await this.append(repos, p.event));
            }
            return out;
          });
          batch.forEach((p, i) => p.resolve(seqs[i]!));
        } catch (err) {
          batch.forEach((p) => p.reject(err));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Run a change and record it in the same transaction; on failure record the failure and rethrow.
   * @param storage - the database
   * @param event - the event, without its outcome
   * @param change - the change to make
   */
  async withAudit<T>(storage: Storage, event: Omit<AuditEvent, 'outcome'>, change: (repos: Repositories) => Promise<T>): Promise<T> {
    try {
      return await storage.transaction(async (repos) => {
        const result = await change(repos);
        await this.append(repos, { ...event, outcome: 'success' });
        return result;
      });
    } catch (err) {
      const code = err instanceof HavenError ? err.code : 'HAVEN_INTERNAL';
      if (code !== 'HAVEN_AUDIT_WRITE_FAILED') {
        await this.record(storage, { ...event, outcome: code.startsWith('HAVEN_AUTH_') ? 'denied' : 'failure', detail: { ...event.detail, code } });
      }
      throw err;
    }
  }

  /**
   * Sign a checkpoint of the current head now (e.g. at shutdown), unless the head is already checkpointed.
   * @param storage - the database
   */
  async checkpointNow(storage: Storage): Promise<void> {
    await storage.transaction(async (repos) => {
      const head = await repos.audit.lockHead();
      const cps = await repos.audit.checkpoints();
      if (head.seq > 0 && cps.at(-1)?.seq !== head.seq) {
        await this.writeCheckpoint(repos, head.seq, head.hash);
      }
    });
  }

  private async writeCheckpoint(repos: Repositories, seq: number, hash: string): Promise<void> {
    const { keyId, privateKey } = this.signer;
    if (!privateKey) {
      throw new HavenError('HAVEN_AUDIT_SIGNATURE_INVALID', 'no signing key available');
    }
    const unsigned = { seq, hash, ts: this.clock.now().toISOString(), keyId };
    const signature = sign(null, checkpointMessage(unsigned), privateKey).toString('base64');
    const checkpoint = { ...unsigned, signature };
    await repos.audit.insertCheckpoint(checkpoint);
    repos.afterCommit(() => this.mirror.write(checkpoint));
  }

  private checkpointValid(c: AuditCheckpoint): boolean {
    const key = this.verifiers.get(c.keyId);
    return key !== undefined && verify(null, checkpointMessage(c), key, Buffer.from(c.signature, 'base64'));
  }

  /**
   * Verify the chain from the first entry, every checkpoint's signature and position, and that the ledger
   * reaches at least the checkpoint mirrored outside the database. Names the first bad entry.
   * @param storage - the database
   */
  async verify(storage: Storage): Promise<AuditVerifyReport> {
    const verifier = createChainVerifier(this.keys.macKey);
    const checkpoints = await storage.read.audit.checkpoints();
    const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
    let entries = 0;
    let after = 0;
    for (;;) {
      const page = await storage.read.audit.page(after, 1000);
      for (const e of page) {
        const fault = verifier.next({ seq: e.seq, prevHash: e.prevHash, hash: e.hash, body: entryBody(e) });
        if (fault) {
          return { ok: false, entries, checkpoints: checkpoints.length, headSeq: e.seq, firstBad: { seq: e.seq, fault } };
        }
        entries++;
        const cp = bySeq.get(e.seq);
        if (cp && cp.hash !== e.hash) {
          return { ok: false, entries, checkpoints: checkpoints.length, headSeq: e.seq, firstBad: { seq: e.seq, fault: 'checkpoint_mismatch' } };
        }
      }
      if (page.length < 1000) {
        break;
      }
      after = page.at(-1)!.seq;
    }
    const head = verifier.head();
    for (const c of checkpoints) {
      if (!this.checkpointValid(c)) {
        return { ok: false, entries, checkpoints: checkpoints.length, headSeq: head.seq, firstBad: { seq: c.seq, fault: 'checkpoint_signature' } };
      }
      if (c.seq > head.seq) {
        return { ok: false, entries, checkpoints: checkpoints.length, headSeq: head.seq, firstBad: { seq: head.seq + 1, fault: 'truncated' } };
      }
    }
    const mirrored = this.mirror.read();
    if (mirrored) {
      if (!this.checkpointValid(mirrored)) {
        return { ok: false, entries, checkpoints: checkpoints.length, headSeq: head.seq, firstBad: { seq: mirrored.seq, fault: 'checkpoint_signature' } };
      }
      if (mirrored.seq > head.seq) {
        return { ok: false, entries, checkpoints: checkpoints.length, headSeq: head.seq, firstBad: { seq: head.seq + 1, fault: 'truncated' } };
      }
    }
    const storedHead = await storage.read.audit.head();
    if (storedHead.seq !== head.seq || storedHead.hash !== head.hash) {
      return { ok: false, entries, checkpoints: checkpoints.length, headSeq: head.seq, firstBad: { seq: head.seq + 1, fault: 'truncated' } };
    }
    return { ok: true, entries, checkpoints: checkpoints.length, headSeq: head.seq };
  }

  /**
   * The ledger as JSON lines for a SIEM, in sequence order.
   * @param storage - the database
   */
  async *exportJsonLines(storage: Storage): AsyncGenerator<string> {
    let after = 0;
    for (;;) {
      const page = await storage.read.audit.page(after, 1000);
      for (const e of page) {
        yield `${JSON.stringify(e)}\n`;
      }
      if (page.length < 1000) {
        return;
      }
      after = page.at(-1)!.seq;
    }
  }
}
