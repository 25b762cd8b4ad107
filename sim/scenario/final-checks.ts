import type { RowDelta } from '../../src/delta/types';
import { checkAppliedOnce } from '../oracles/applied-once';
import { checkConvergence, type NamedView } from '../oracles/convergence';
import { checkDurability } from '../oracles/durability';
import { checkIdempotency } from '../oracles/idempotency';
import { foldDeltas, type LakeContents, lakeDeltas, readLake } from '../oracles/lake-contents';
import { checkModelAgreement } from '../oracles/model-agreement';
import {
  type RowsBaseline,
  type RowsView,
  rowsMatchView,
  shownOfStates,
  viewOfRows,
} from '../oracles/rows-view';
import type { LivenessMonitor } from './liveness';
import type { SimWorld } from './sim-world';

/**
 * The oracles checked once the heal phase is over: convergence (1), idempotency (2), durability
 * (3), applied-once (no user write in the lake under two stampings), model agreement (4), the
 * gateway log's order (5) and liveness (6). The lake is read from
 * the store underneath the simulated faults, so the check itself cannot fail by injection.
 * Returns what the lake held, for the result.
 */
export async function checkAfterHeal(
  world: SimWorld,
  liveness: LivenessMonitor,
): Promise<LakeContents> {
  const lake = await readLake(world.lake);
  if (world.violations.full) return lake;
  // Liveness first: when the run never settled, the differences below are its symptoms.
  if (liveness.convergedAtMs === null) {
    const { durationMs, healMs } = world.plan.config;
    world.violation(
      'liveness',
      `faults stopped at ${durationMs} ms but the system did not settle within healMs=${healMs} ms; ` +
        `last seen ${liveness.lastReason}`,
    );
  }
  for (const problem of lake.problems) world.violation('durability', problem);
  const deltasInLake = lakeDeltas(lake.envelopes);
  const { view: lakeView, baseline: lakeBaseline } = shownOfStates(foldDeltas(deltasInLake));

  const gateway = world.gateway.gateway;
  let gatewayView: RowsView | null = null;
  let gatewayBaseline: RowsBaseline | null = null;
  let logDeltas: RowDelta[] = [];
  if (gateway === null) {
    world.violation('liveness', 'the gateway is still down at the end of the heal phase');
  } else {
    try {
      const shown = shownOfStates(gateway.index());
      gatewayView = shown.view;
      gatewayBaseline = shown.baseline;
      logDeltas = gateway.log().map((entry) => entry.delta);
    } catch (error) {
      world.exception(error, 'SyncGateway.index/log');
    }
    world.checkGatewayLog('end of run');
  }

  const clientViews: NamedView[] = [];
  for (const node of world.clients) {
    const client = node.client;
    if (client === null) {
      world.violation('liveness', `${node.clientId} is still down at the end of the heal phase`);
      continue;
    }
    try {
      const rows = client.rows();
      // Agreeing clients (the usual case) are compared without building their view.
      if (gatewayBaseline?.shownBy(rows)) continue;
      if (gatewayView !== null && rowsMatchView(gatewayView, rows)) continue;
      clientViews.push({ name: node.clientId, view: viewOfRows(rows) });
    } catch (error) {
      world.exception(error, `SyncClient.rows on ${node.clientId}`);
    }
  }

  const reference = gatewayView ?? lakeView;
  for (const message of checkConvergence(reference, lakeView, clientViews))
    world.violation('convergence', message);
  for (const message of checkIdempotency(logDeltas, lake.envelopes))
    world.violation('idempotency', message);
  // A stamping replaced by a restamp that is in the lake anyway was applied: it counts as
  // written, and the applied-once oracle below judges whether the write landed twice.
  world.ledger.settleSuperseded(deltasInLake);
  // Writes in an outbox that was wiped (a reincarnation) or rolled back (a restore from backup)
  // may be lost: exempt exactly those.
  world.ledger.settleWiped(deltasInLake);
  for (const message of checkDurability(world.ledger.issued, deltasInLake))
    world.violation('durability', message);
  for (const message of checkAppliedOnce([...deltasInLake, ...logDeltas], world.ledger))
    world.violation('applied-once', message);
  // The model's view is built only when the model does not show exactly the reference's rows.
  const model = world.ledger.model;
  if (!model.shows(gatewayBaseline ?? lakeBaseline)) {
    for (const message of checkModelAgreement(model.view(), reference)) {
      world.violation('model-agreement', message);
    }
  }
  return lake;
}
