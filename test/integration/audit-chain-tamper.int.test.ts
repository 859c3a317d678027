import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HavenError } from '../../src/errors/haven-error.js';
import { rawSql } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

for (const store of testStores()) {
  describe(`audit-chain-tamper [${store.name}]`, () => {
    let t: TestInstance;
    beforeEach(async () => {
      t = await createTestInstance(store, { config: { audit: { checkpointInterval: 1000 } } });
      for (let i = 0; i < 8; i++) {
        await t.instance.audit.record(t.instance.storage, {
          actor: `user${i}`,
          action: 'test.event',
          resource: `thing:${i}`,
          outcome: 'success',
          requestId: `r${i}`,
        });
      }
    });
    afterEach(() => t.cleanup());
    afterAll(() => store.cleanup());

    const verify = () => t.instance.audit.verify(t.instance.storage);

    it('verifies an untouched ledger', async () => {
      const r = await verify();
      expect(r.ok).toBe(true);
      expect(r.entries).toBe(r.headSeq);
      expect(r.entries).toBeGreaterThanOrEqual(9);
    });

    it('catches a changed entry and names it', async () => {
      await rawSql(t, ["update audit_log set actor = 'mallory' where seq = 4"]);
      expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 4, fault: 'hash_mismatch' } });
    });

    it('catches a deleted entry', async () => {
      await rawSql(t, ['delete from audit_log where seq = 5']);
      expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 6, fault: 'sequence_gap' } });
    });

    it('catches an inserted entry (renumbering the rest)', async () => {
      await rawSql(t, [
        'update audit_log set seq = seq + 100 where seq >= 3',
        'update audit_log set seq = seq - 99 where seq >= 103',
        "insert into audit_log (seq, ts, actor, action, resource, outcome, request_id, detail, prev_hash, hash) select 3, ts, 'mallory', action, resource, outcome, request_id, detail, hash, hash from audit_log where seq = 2",
      ]);
      expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 3, fault: 'hash_mismatch' } });
    });

    it('catches reordered entries', async () => {
      await rawSql(t, [
        'update audit_log set seq = 1000 where seq = 3',
        'update audit_log set seq = 3 where seq = 4',
        'update audit_log set seq = 4 where seq = 1000',
      ]);
      expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 3, fault: 'prev_hash_mismatch' } });
    });

    it('catches truncation of the tail after a signed checkpoint', async () => {
      await t.instance.audit.checkpointNow(t.instance.storage);
      await rawSql(t, [
        'delete from audit_log where seq > 6',
        'delete from audit_checkpoint where seq > 6',
        'update audit_head set seq = 6, hash = (select hash from audit_log where seq = 6) where id = 1',
      ]);
      expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 7, fault: 'truncated' } });
    });

    it('catches a forged checkpoint signature', async () => {
      await t.instance.audit.checkpointNow(t.instance.storage);
      await rawSql(t, ["update audit_checkpoint set signature = 'AAAA' || substr(signature, 5)"]);
      expect(await verify()).toMatchObject({ ok: false, firstBad: { fault: 'checkpoint_signature' } });
    });

    it('fails closed: a change is not made when its ledger entry cannot be written', async () => {
      await rawSql(t, ['drop table audit_head']);
      const ops = (await t.instance.storage.read.users.byUsername('ops'))!;
      let issued = '';
      const attempt = t.instance.audit.withAudit(
        t.instance.storage,
        { actor: 'a', action: 'token.issue', resource: 'token', requestId: 'x' },
        async (repos) => {
          const r = await t.instance.tokens.issue(repos, ops.id, { name: 'n', scopes: null, workspace: null, ttlDays: 1, mfaAt: null });
          issued = r.token;
          return r;
        },
      );
      await expect(attempt).rejects.toBeInstanceOf(HavenError);
      await expect(attempt).rejects.toMatchObject({ code: 'HAVEN_AUDIT_WRITE_FAILED' });
      expect(issued).toMatch(/^hvn_/);
      // The token was written inside the transaction, then rolled back with it: it must not authenticate.
      await expect(t.instance.tokens.authenticate(t.instance.storage, issued)).rejects.toMatchObject({ code: 'HAVEN_AUTH_INVALID_TOKEN' });
    });
  });
}
