/**
 * The one writer of commit_first_deploys: per service and commit, its first succeeded production deployment (the
 * README's "DORA figures (calculator)": a failed or rolled-back deployment is never a commit's first). Called in the
 * transaction that changes what it derives from: a deployment's state (services/deployments.ts), a release's
 * commits (services/releases.ts), an environment's production flag (services/environments.ts).
 */
import { type DbOrTx, sql } from '@sextant/db';
import type { SQL } from 'drizzle-orm';

/** The succeeded production deployments' commits, ordered so `distinct on (service_id, sha)` keeps each first. */
const firstsOf = (where: SQL) => sql`
  select distinct on (d.service_id, c.sha) d.service_id, c.sha, c.committed_at, d.id, d.finished_at
  from deployments d
  join environments e on e.id = d.environment_id and e.is_production
  join release_commits c on c.release_id = d.release_id
  where d.state = 'succeeded' and d.finished_at is not null and ${where}
  order by d.service_id, c.sha, d.finished_at, d.id`;

const columns = sql`insert into commit_first_deploys (service_id, sha, committed_at, deployment_id, deployed_at)`;
const replace = sql`on conflict (service_id, sha) do update set committed_at = excluded.committed_at,
  deployment_id = excluded.deployment_id, deployed_at = excluded.deployed_at`;

/** Offers `where`'s deployments as firsts: a row changes only for one that finished earlier (ties: lower id). */
async function offer(tx: DbOrTx, where: SQL) {
  await tx.execute(sql`${columns} ${firstsOf(where)} ${replace}
    where (excluded.deployed_at, excluded.deployment_id)
      < (commit_first_deploys.deployed_at, commit_first_deploys.deployment_id)`);
}

/** A deployment reached `succeeded`: its commits' rows take it when it is their earliest. No-op outside production. */
export async function deploymentSucceeded(tx: DbOrTx, deploymentId: string) {
  await offer(tx, sql`d.id = ${deploymentId}::uuid`);
}

/** Commits were added to a release: its succeeded production deployments are offered for them. */
export async function releaseCommitsAdded(tx: DbOrTx, releaseId: string) {
  await offer(tx, sql`d.release_id = ${releaseId}::uuid`);
}

/**
 * A succeeded deployment was rolled back, so it is no commit's first any more: the rows it held take the next
 * succeeded deployment of their commit, and those with none left go.
 */
export async function deploymentNoLongerSucceeded(tx: DbOrTx, deploymentId: string) {
  // From the rows it held (commit_first_deploys_deployment_idx) to their commits' other releases by SHA
  // (release_commits_sha_idx) and deployments (deployments_release_env_idx): no scan of the history. Only rows it
  // still holds are replaced: a concurrent earlier success that took one since keeps it.
  await tx.execute(sql`${columns}
    select distinct on (h.service_id, h.sha) h.service_id, h.sha, c.committed_at, d.id, d.finished_at
    from commit_first_deploys h
    join release_commits c on c.sha = h.sha
    join deployments d on d.release_id = c.release_id and d.service_id = h.service_id
    join environments e on e.id = d.environment_id and e.is_production
    where h.deployment_id = ${deploymentId}::uuid and d.state = 'succeeded' and d.finished_at is not null
    order by h.service_id, h.sha, d.finished_at, d.id
    ${replace} where commit_first_deploys.deployment_id = ${deploymentId}::uuid`);
  await tx.execute(sql`delete from commit_first_deploys where deployment_id = ${deploymentId}::uuid`);
}

/** An environment's production flag changed (rare, an admin's edit): the table is rebuilt from the history. */
export async function environmentProductionChanged(tx: DbOrTx) {
  await tx.execute(sql`delete from commit_first_deploys`);
  await tx.execute(sql`${columns} ${firstsOf(sql`true`)}`);
}
