// The KMS's own scheduled work: deleting keys whose deletion window has ended, and automatic rotations that are due.
import { recordKmsEvent, type AuditNote, type AuditSpec } from './kmsAudit.js';
import { arnOf, type KmsContext } from './kmsContext.js';
import type { DueWorkReport, KmsActor } from './kmsTypes.js';
import { rotateMaterial } from './keyRotation.js';
import { DEFAULT_ROTATION_PERIOD_DAYS, nextRotationAfter } from './schedules.js';

/** Who the audit trail names for work nobody asked for at that moment. */
export const SCHEDULER: KmsActor = { principal: 'scheduler' };

function serviceEvent(eventName: string, actor: KmsActor, region: string): AuditSpec {
  return { category: 'admin', eventName, actor, eventType: 'AwsServiceEvent', requestParameters: null, region };
}

/**
 * Every due item is re-checked inside its own write transaction, so two processes running this
 * at once (the store and `coffer kms`) never delete or rotate the same key twice.
 */
export function runDueWork(ctx: KmsContext, now: Date, actor: KmsActor = SCHEDULER): DueWorkReport {
  const at = now.getTime();
  const report: DueWorkReport = { rotated: [], deleted: [] };

  for (const due of ctx.repo.dueDeletions(at)) {
    const deleted = ctx.repo.write(() => {
      const row = ctx.repo.key(due.keyId);
      if (!row || row.state !== 'PendingDeletion' || row.deletionAt === null || row.deletionAt > at) return undefined;
      const aliases = ctx.repo.aliasesOfKey(row.keyId).map((a) => a.aliasName);
      ctx.repo.deleteKey(row.keyId);
      return { arn: arnOf(ctx, row), region: row.region, aliases };
    });
    if (!deleted) continue;
    report.deleted.push(deleted.arn);
    const note: AuditNote = { keyArn: deleted.arn, serviceEventDetails: { deletedAliases: deleted.aliases } };
    recordKmsEvent(ctx, serviceEvent('DeleteKey', actor, deleted.region), note, undefined, now);
  }
  // secure_delete has zeroed the freed pages; a checkpoint also drops the old copies from the WAL.
  if (report.deleted.length > 0) ctx.repo.db.pragma('wal_checkpoint(TRUNCATE)');

  for (const due of ctx.repo.dueRotations(at)) {
    const note: AuditNote = {};
    const rotated = ctx.repo.write(() => {
      const row = ctx.repo.key(due.keyId);
      if (!row || row.state !== 'Enabled' || !row.rotationEnabled || row.nextRotationAt === null || row.nextRotationAt > at) return undefined;
      const material = rotateMaterial(ctx, row, 'AUTOMATIC', at, note);
      ctx.repo.setRotation(row.keyId, true, row.rotationPeriodDays, nextRotationAfter(row.nextRotationAt, row.rotationPeriodDays ?? DEFAULT_ROTATION_PERIOD_DAYS, at));
      return { keyId: arnOf(ctx, row), keyMaterialId: material.materialId, region: row.region };
    });
    if (!rotated) continue;
    report.rotated.push({ keyId: rotated.keyId, keyMaterialId: rotated.keyMaterialId });
    recordKmsEvent(ctx, serviceEvent('RotateKey', actor, rotated.region), note, undefined, now);
  }
  return report;
}
